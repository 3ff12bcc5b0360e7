package io.tokenhub.health.config;

import io.smallrye.config.ConfigMapping;
import io.tokenhub.common.catalog.Provider;
import java.util.Optional;

/** Where each provider is reached; shared with routing-service under the same keys. */
@ConfigMapping(prefix = "tokenhub.providers")
public interface ProvidersConfig {

    /** OpenAI, base URL such as {@code https://api.openai.com/v1}. */
    Endpoint openai();

    /** Anthropic, base URL such as {@code https://api.anthropic.com}. */
    Endpoint anthropic();

    /** Google Gemini, base URL such as {@code https://generativelanguage.googleapis.com}. */
    Endpoint google();

    /** Mistral, base URL such as {@code https://api.mistral.ai}. */
    Endpoint mistral();

    /** Meta Llama API, base URL such as {@code https://api.llama.com/compat/v1}. */
    Endpoint meta();

    /** One provider's connection settings. */
    interface Endpoint {

        /** Base URL as the provider's official SDK means it; a provider without one is not probed. */
        Optional<String> baseUrl();

        /** Key sent with each probe; never logged. */
        Optional<String> apiKey();
    }

    default Endpoint endpoint(Provider provider) {
        return switch (provider) {
            case OPENAI -> openai();
            case ANTHROPIC -> anthropic();
            case GOOGLE -> google();
            case MISTRAL -> mistral();
            case META -> meta();
        };
    }

    /** Whether health-monitor probes {@code provider}, i.e. it has a base URL. */
    default boolean probed(Provider provider) {
        return endpoint(provider).baseUrl().filter(url -> !url.isBlank()).isPresent();
    }
}
