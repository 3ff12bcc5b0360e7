package io.tokenhub.routing.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.catalog.Provider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How one request asks to be routed, in OpenRouter's request fields (https://openrouter.ai/docs/features/
 * provider-routing, https://openrouter.ai/docs/features/model-routing) so clients already sending them through
 * {@code extra_body} work unchanged. They win over the account's routing settings for this request. Taken out of the
 * body when read, so no provider ever receives them.
 *
 * @param models further models to try, in order, after the request's {@code model}; each plain or pinned
 * @param order providers to try first, in this order
 * @param only the providers allowed; empty for all
 * @param ignore the providers never to use
 * @param allowFallbacks whether backups (other providers of an equivalent model) may answer; empty to follow the
 *     account's setting
 * @param sort candidates ordered by price, latency or throughput instead of the strategy; empty for none
 * @param requireParameters when true, candidates that cannot take every parameter of the request are skipped, the
 *     first choice included, instead of refusing the request
 */
public record RoutingPreferences(
        List<String> models,
        List<Provider> order,
        Set<Provider> only,
        Set<Provider> ignore,
        Optional<Boolean> allowFallbacks,
        Optional<Sort> sort,
        boolean requireParameters) {

    /** What a request without routing fields asks for: nothing beyond the account's settings. */
    public static final RoutingPreferences NONE =
            new RoutingPreferences(List.of(), List.of(), Set.of(), Set.of(), Optional.empty(), Optional.empty(), false);

    /** The most models a request may list, as OpenRouter allows. */
    private static final int MAX_MODELS = 10;

    private static final Set<String> PROVIDER_FIELDS =
            Set.of("order", "only", "ignore", "allow_fallbacks", "sort", "require_parameters");

    /** The orders {@code provider.sort} offers. */
    public enum Sort {
        /** Cheapest first: input plus output price per million tokens in force now. */
        PRICE,
        /** Fastest first by observed time to first token. */
        LATENCY,
        /** Most output tokens per second first, as observed. */
        THROUGHPUT;

        static Sort of(JsonNode value) {
            String wire = value.asText();
            for (Sort sort : values()) {
                if (sort.name().toLowerCase(Locale.ROOT).equals(wire)) {
                    return sort;
                }
            }
            throw invalid(
                    "Invalid value: '" + wire + "'. Supported values are: 'price', 'latency' and 'throughput'.",
                    "provider.sort");
        }
    }

    /** True when the request asks for nothing beyond the account's settings. */
    public boolean none() {
        return equals(NONE);
    }

    /** Reads and removes {@code models} and {@code provider} from {@code body}, or throws the 400 to send. */
    static RoutingPreferences take(ObjectNode body) {
        JsonNode models = body.remove("models");
        JsonNode provider = body.remove("provider");
        if ((models == null || models.isNull()) && (provider == null || provider.isNull())) {
            return NONE;
        }
        List<String> listed = models == null || models.isNull() ? List.of() : models(models);
        if (provider == null || provider.isNull()) {
            return new RoutingPreferences(
                    listed, List.of(), Set.of(), Set.of(), Optional.empty(), Optional.empty(), false);
        }
        if (!provider.isObject()) {
            throw invalid("'provider' must be an object.", "provider");
        }
        for (Iterator<String> fields = provider.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!PROVIDER_FIELDS.contains(field)) {
                throw invalid(
                        "Unrecognized field 'provider." + field + "'. Supported fields are: "
                                + String.join(
                                        ", ", PROVIDER_FIELDS.stream().sorted().toList()) + ".",
                        "provider." + field);
            }
        }
        JsonNode sort = provider.path("sort");
        return new RoutingPreferences(
                listed,
                providers(provider.path("order"), "provider.order"),
                Set.copyOf(providers(provider.path("only"), "provider.only")),
                Set.copyOf(providers(provider.path("ignore"), "provider.ignore")),
                bool(provider.path("allow_fallbacks"), "provider.allow_fallbacks"),
                sort.isMissingNode() || sort.isNull() ? Optional.empty() : Optional.of(Sort.of(sort)),
                bool(provider.path("require_parameters"), "provider.require_parameters")
                        .orElse(false));
    }

    private static List<String> models(JsonNode models) {
        if (!models.isArray() || models.isEmpty() || models.size() > MAX_MODELS) {
            throw invalid("'models' must be an array of 1 to " + MAX_MODELS + " model names.", "models");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            JsonNode model = models.get(i);
            if (!model.isTextual() || model.asText().isBlank()) {
                throw invalid("'models[" + i + "]' must be a model name.", "models[" + i + "]");
            }
            out.add(model.asText());
        }
        return List.copyOf(out);
    }

    private static List<Provider> providers(JsonNode list, String field) {
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw invalid("'" + field + "' must be an array of provider names.", field);
        }
        List<Provider> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).asText("");
            Provider provider = Provider.find(name)
                    .orElseThrow(() -> invalid(
                            "Invalid value: '" + name + "'. Supported providers are: "
                                    + Arrays.stream(Provider.values())
                                            .map(Provider::wireName)
                                            .collect(Collectors.joining(", "))
                                    + ".",
                            field));
            if (!out.contains(provider)) {
                out.add(provider);
            }
        }
        return List.copyOf(out);
    }

    private static Optional<Boolean> bool(JsonNode value, String field) {
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw invalid("'" + field + "' must be a boolean.", field);
        }
        return Optional.of(value.asBoolean());
    }

    private static InvalidRequestException invalid(String message, String param) {
        return new InvalidRequestException(OpenAiError.invalidRequest(message, param));
    }
}
