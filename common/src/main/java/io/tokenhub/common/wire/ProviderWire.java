package io.tokenhub.common.wire;

import io.tokenhub.common.catalog.Provider;
import java.util.HashMap;
import java.util.Map;

/**
 * What every client of a provider's API must send the same way: where its official SDK's base URL points, the path
 * part of that base URL (which the simulators serve alike), the paths TokenHub appends, and how a call authenticates.
 * Routing's adapters, health-monitor's probes, the simulators and the local suite all read these facts from here, so
 * a provider's wire details are written once.
 *
 * @param provider the provider
 * @param productionBaseUrl the base URL the provider's official SDK uses
 * @param basePath the path part of {@code productionBaseUrl}, empty when none
 * @param chatPath the chat call, appended to the base URL; Google's holds {@code {model}} and takes an action suffix
 * @param embeddingsPath the embeddings call, appended to the base URL; null when the provider has none TokenHub uses
 * @param responsesPath the Responses API call, for the models the catalog marks {@code upstream-api: responses}; null
 *     when the provider has no such API
 * @param modelsPath the list-models call, the cheapest authenticated request (health probes use it)
 * @param auth how the API key travels
 */
public record ProviderWire(
        Provider provider,
        String productionBaseUrl,
        String basePath,
        String chatPath,
        String embeddingsPath,
        String responsesPath,
        String modelsPath,
        Auth auth) {

    /** The API version Anthropic requires on every call (https://docs.anthropic.com/en/api/versioning). */
    public static final String ANTHROPIC_VERSION = "2023-06-01";

    /** The header that carries {@link #ANTHROPIC_VERSION}. */
    public static final String ANTHROPIC_VERSION_HEADER = "anthropic-version";

    /** How a provider takes its API key. */
    public enum Auth {
        /** {@code Authorization: Bearer <key>} (OpenAI, Mistral, Meta's Llama API). */
        BEARER("authorization"),
        /** {@code x-api-key: <key>} plus {@code anthropic-version} (https://docs.anthropic.com/en/api/overview). */
        ANTHROPIC("x-api-key"),
        /** {@code x-goog-api-key: <key>}, never {@code ?key=}, which ends up in access logs (https://ai.google.dev/api). */
        GOOGLE("x-goog-api-key");

        private final String header;

        Auth(String header) {
            this.header = header;
        }

        /** The header that carries the key, lower-case. */
        public String header() {
            return header;
        }
    }

    private static final Map<Provider, ProviderWire> ALL = Map.of(
            Provider.OPENAI,
                    new ProviderWire(
                            Provider.OPENAI,
                            "https://api.openai.com/v1",
                            "/v1",
                            "/chat/completions",
                            "/embeddings",
                            "/responses",
                            "/models",
                            Auth.BEARER),
            Provider.ANTHROPIC,
                    new ProviderWire(
                            Provider.ANTHROPIC,
                            "https://api.anthropic.com",
                            "",
                            "/v1/messages",
                            null,
                            null,
                            "/v1/models",
                            Auth.ANTHROPIC),
            Provider.GOOGLE,
                    new ProviderWire(
                            Provider.GOOGLE,
                            "https://generativelanguage.googleapis.com",
                            "",
                            "/v1beta/models/{model}",
                            "/v1beta/models/{model}:batchEmbedContents",
                            null,
                            "/v1beta/models",
                            Auth.GOOGLE),
            Provider.MISTRAL,
                    new ProviderWire(
                            Provider.MISTRAL,
                            "https://api.mistral.ai",
                            "",
                            "/v1/chat/completions",
                            "/v1/embeddings",
                            null,
                            "/v1/models",
                            Auth.BEARER),
            Provider.META,
                    new ProviderWire(
                            Provider.META,
                            "https://api.llama.com/compat/v1",
                            "/compat/v1",
                            "/chat/completions",
                            null,
                            null,
                            "/models",
                            Auth.BEARER));

    /** The wire facts of {@code provider}; every provider has them (ProviderWireTest holds the map complete). */
    public static ProviderWire of(Provider provider) {
        return ALL.get(provider);
    }

    /** The chat path for {@code providerModel} (only Google's names the model in the path). */
    public String chatPathFor(String providerModel) {
        return chatPath.replace("{model}", providerModel);
    }

    /** The embeddings path for {@code providerModel}; only for a provider with an embeddings API. */
    public String embeddingsPathFor(String providerModel) {
        return embeddingsPath.replace("{model}", providerModel);
    }

    /** The headers that authenticate a call with {@code apiKey}, Anthropic's version header included. */
    public Map<String, String> authHeaders(String apiKey) {
        return switch (auth) {
            case BEARER -> Map.of(auth.header(), "Bearer " + apiKey);
            case ANTHROPIC -> Map.of(auth.header(), apiKey, ANTHROPIC_VERSION_HEADER, ANTHROPIC_VERSION);
            case GOOGLE -> Map.of(auth.header(), apiKey);
        };
    }

    /** {@link #authHeaders} plus the JSON content type every call TokenHub makes sends. */
    public Map<String, String> jsonHeaders(String apiKey) {
        Map<String, String> all = new HashMap<>(authHeaders(apiKey));
        all.put("content-type", "application/json");
        return Map.copyOf(all);
    }
}
