package io.tokenhub.simulator.mistral;

import static io.tokenhub.simulator.mistral.MistralFailures.error;
import static io.tokenhub.simulator.mistral.MistralFailures.invalidJson;
import static io.tokenhub.simulator.mistral.MistralRequests.EMBEDDING_FIELDS;
import static io.tokenhub.simulator.mistral.MistralRequests.extraFields;
import static io.tokenhub.simulator.mistral.MistralRequests.missing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Embeddings;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.TokenCounter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Mistral's non-chat bodies: embeddings and the model cards; chat bodies come from {@link MistralStreams}' Chat Completions dialect. */
final class MistralAnswers {

    private MistralAnswers() {}

    /** Models with their context windows (https://docs.mistral.ai/getting-started/models/). */
    static final Map<String, Integer> CHAT_MODELS = Map.of(
            "mistral-large-latest", 131072,
            "mistral-small-latest", 131072,
            "codestral-latest", 262144,
            "mistral-large-2512", 262144,
            "mistral-medium-latest", 131072,
            "devstral-2512", 262144,
            "magistral-medium-latest", 131072);

    static final Map<String, Integer> EMBEDDING_DIMENSIONS = Map.of(
            "mistral-embed", 1024,
            "codestral-embed", 1536);

    static void embeddings(HttpServerResponse res, Buffer body) {
        ObjectNode request = Json.parseObject(body);
        if (request == null) {
            invalidJson(res);
            return;
        }
        ArrayNode detail = Json.MAPPER.createArrayNode();
        extraFields(request, EMBEDDING_FIELDS, List.of("body"), detail);
        missing(request, "model", detail);
        missing(request, "input", detail);
        if (!detail.isEmpty()) {
            Json.send(res, 422, Json.object().set("detail", detail));
            return;
        }
        List<String> inputs = new ArrayList<>();
        JsonNode input = request.get("input");
        if (input.isTextual()) {
            inputs.add(input.asText());
        } else {
            input.forEach(item -> inputs.add(item.asText()));
        }
        if (inputs.isEmpty()) {
            error(res, 400, "Input must not be empty", "invalid_request_error", null);
            return;
        }
        String model = request.get("model").asText();
        int dimensions = request.path("output_dimension").canConvertToInt()
                ? request.get("output_dimension").asInt()
                : EMBEDDING_DIMENSIONS.getOrDefault(model, 1024);
        ObjectNode out = Json.object().put("id", Ids.hex(32)).put("object", "list");
        ArrayNode data = out.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding");
            item.set("embedding", Embeddings.json(Embeddings.vector(inputs.get(i), dimensions)));
            item.put("index", i);
            tokens += TokenCounter.count(inputs.get(i));
        }
        out.put("model", model);
        ObjectNode usage = out.putObject("usage");
        usage.putNull("prompt_audio_seconds");
        usage.put("prompt_tokens", tokens).put("total_tokens", tokens).put("completion_tokens", 0);
        usage.putNull("request_count");
        Json.send(res, 200, out);
    }

    static List<String> modelIds() {
        List<String> ids = new ArrayList<>(CHAT_MODELS.keySet());
        ids.addAll(EMBEDDING_DIMENSIONS.keySet());
        ids.sort(String::compareTo);
        return ids;
    }

    /** A {@code BaseModelCard} (Mistral's OpenAPI spec). */
    static ObjectNode modelCard(String id) {
        boolean chat = CHAT_MODELS.containsKey(id);
        ObjectNode card = Json.object()
                .put("id", id)
                .put("object", "model")
                .put("created", 1735689600L)
                .put("owned_by", "mistralai");
        ObjectNode capabilities = card.putObject("capabilities")
                .put("completion_chat", chat)
                .put("function_calling", chat)
                .put("completion_fim", id.startsWith("codestral") && chat)
                .put("fine_tuning", false)
                .put("vision", chat && !id.startsWith("codestral"))
                .put("classification", false);
        capabilities.put("reasoning", false);
        card.put("name", id)
                .put("description", "Simulated " + id)
                .put("max_context_length", chat ? CHAT_MODELS.get(id) : 8192);
        card.putArray("aliases");
        card.putNull("deprecation");
        card.putNull("deprecation_replacement_model");
        card.put("default_model_temperature", chat ? 0.3 : null);
        card.put("type", "base");
        return card;
    }
}
