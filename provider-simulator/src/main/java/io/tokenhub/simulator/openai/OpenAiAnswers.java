package io.tokenhub.simulator.openai;

import static io.tokenhub.simulator.openai.OpenAiRequests.inputs;
import static io.tokenhub.simulator.openai.OpenAiRequests.withModel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Embeddings;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.TokenCounter;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsFailures;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OpenAI's non-chat bodies: embeddings (float or base64) and the model list; chat bodies come from {@link OpenAiStreams}' Chat Completions dialect. */
final class OpenAiAnswers {

    private OpenAiAnswers() {}

    /** The dated snapshot OpenAI answers with when a request names an alias. */
    static final Map<String, String> SNAPSHOTS = Map.ofEntries(
            Map.entry("gpt-4o", "gpt-4o-2024-08-06"),
            Map.entry("gpt-4o-mini", "gpt-4o-mini-2024-07-18"),
            Map.entry("gpt-4.1", "gpt-4.1-2025-04-14"),
            Map.entry("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14"),
            Map.entry("gpt-4.1-nano", "gpt-4.1-nano-2025-04-14"),
            Map.entry("gpt-5", "gpt-5-2025-08-07"),
            Map.entry("gpt-5-mini", "gpt-5-mini-2025-08-07"),
            Map.entry("gpt-5-nano", "gpt-5-nano-2025-08-07"),
            Map.entry("gpt-5.5", "gpt-5.5-2026-04-23"),
            Map.entry("o1", "o1-2024-12-17"),
            Map.entry("o3", "o3-2025-04-16"),
            Map.entry("o3-mini", "o3-mini-2025-01-31"),
            Map.entry("o4-mini", "o4-mini-2025-04-16"));

    /** Default vector sizes (https://platform.openai.com/docs/guides/embeddings). */
    static final Map<String, Integer> EMBEDDING_DIMENSIONS = Map.of(
            "text-embedding-3-small", 1536,
            "text-embedding-3-large", 3072,
            "text-embedding-ada-002", 1536);

    static void embeddings(HttpServerResponse res, Buffer body) {
        ObjectNode request = withModel(res, body);
        if (request == null) {
            return;
        }
        String model = request.get("model").asText();
        List<String> inputs = inputs(request.path("input"));
        if (inputs == null) {
            ChatCompletionsFailures.error(
                    res,
                    400,
                    "'$.input' is invalid. Please check the API reference: "
                            + "https://platform.openai.com/docs/api-reference.",
                    "invalid_request_error",
                    null,
                    null);
            return;
        }
        String format = request.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            ChatCompletionsFailures.error(
                    res,
                    400,
                    "'" + format + "' is not one of ['float', 'base64'] - " + "'encoding_format'",
                    "invalid_request_error",
                    "encoding_format",
                    null);
            return;
        }
        int dimensions = EMBEDDING_DIMENSIONS.getOrDefault(model, 1536);
        if (request.hasNonNull("dimensions")) {
            if (model.equals("text-embedding-ada-002")) {
                ChatCompletionsFailures.error(
                        res,
                        400,
                        "This model does not support specifying dimensions.",
                        "invalid_request_error",
                        null,
                        null);
                return;
            }
            int wanted = request.get("dimensions").asInt();
            if (wanted < 1 || wanted > dimensions) {
                ChatCompletionsFailures.error(
                        res,
                        400,
                        "Invalid value for 'dimensions': must be between 1 and " + dimensions + ".",
                        "invalid_request_error",
                        "dimensions",
                        null);
                return;
            }
            dimensions = wanted;
        }
        ObjectNode out = Json.object().put("object", "list");
        ArrayNode data = out.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = Embeddings.vector(inputs.get(i), dimensions);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (format.equals("base64")) {
                item.put("embedding", Embeddings.base64(vector));
            } else {
                item.set("embedding", Embeddings.json(vector));
            }
            tokens += TokenCounter.count(inputs.get(i));
        }
        out.put("model", model);
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        Json.send(res, 200, out);
    }

    static ObjectNode models() {
        ObjectNode out = Json.object().put("object", "list");
        ArrayNode data = out.putArray("data");
        modelIds().forEach(id -> data.add(modelObject(id)));
        return out;
    }

    static List<String> modelIds() {
        List<String> ids = new ArrayList<>(SNAPSHOTS.keySet());
        ids.addAll(SNAPSHOTS.values());
        ids.addAll(EMBEDDING_DIMENSIONS.keySet());
        ids.sort(String::compareTo);
        return ids;
    }

    static ObjectNode modelObject(String id) {
        return ChatCompletionsWire.model(id, 1715367049L, "system");
    }

    static void model(HttpServerResponse res, String id) {
        if (modelIds().contains(id)) {
            Json.send(res, 200, modelObject(id));
        } else {
            ChatCompletionsFailures.error(
                    res,
                    404,
                    "The model '" + id + "' does not exist",
                    "invalid_request_error",
                    "model",
                    "model_not_found");
        }
    }
}
