package io.tokenhub.simulator.openai;

import static io.tokenhub.simulator.openai.OpenAiAnswers.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsFailures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/** What OpenAI's API refuses with a 400 before answering: unreadable JSON, o-series parameters, embeddings inputs. */
final class OpenAiRequests {

    private OpenAiRequests() {}

    /** Reasoning models (the o-series and GPT-5 family) take {@code max_completion_tokens} only. */
    static boolean isReasoningModel(String model) {
        return model.matches("o\\d.*|gpt-5.*");
    }

    /** The inputs as texts (token arrays as their JSON), or null when the input is missing or empty. */
    static List<String> inputs(JsonNode input) {
        if (input.isTextual()) {
            return input.asText().isEmpty() ? null : List.of(input.asText());
        }
        if (!input.isArray() || input.isEmpty()) {
            return null;
        }
        if (input.get(0).isNumber()) {
            return List.of(input.toString());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : input) {
            if ((!item.isTextual() && !item.isArray())
                    || (item.isTextual() && item.asText().isEmpty())) {
                return null;
            }
            out.add(item.isTextual() ? item.asText() : item.toString());
        }
        return out;
    }

    static ObjectNode parse(HttpServerResponse res, Buffer body) {
        ObjectNode request = Json.parseObject(body);
        if (request == null) {
            ChatCompletionsFailures.error(
                    res,
                    400,
                    "We could not parse the JSON body of your request. (HINT: This "
                            + "likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON "
                            + "payload, but what was sent was not valid JSON.)",
                    "invalid_request_error",
                    null,
                    null);
        }
        return request;
    }

    /** The request, or null after refusing it for unreadable JSON or a missing {@code model}. */
    static ObjectNode withModel(HttpServerResponse res, Buffer body) {
        ObjectNode request = parse(res, body);
        if (request == null) {
            return null;
        }
        if (!request.path("model").isTextual()) {
            ChatCompletionsFailures.error(
                    res, 400, "you must provide a model parameter", "invalid_request_error", null, null);
            return null;
        }
        return request;
    }
}
