package io.tokenhub.simulator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Conversation;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.TokenCounter;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsFailures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What OpenAI's API refuses before answering: unreadable JSON, o-series parameters, embeddings inputs, chat calls for
 * the models it serves on its Responses API only, and Chat Completions fields sent to the Responses API; and what the
 * simulated model reads from a Responses request.
 */
final class OpenAiRequests {

    /**
     * Models OpenAI serves on {@code /v1/responses} only (their model pages list no Chat Completions endpoint); written
     * here from OpenAI's pages, not read from TokenHub's catalog, so a catalog that says otherwise fails against this.
     */
    static final Set<String> RESPONSES_ONLY = Set.of(
            "o1-pro",
            "o1-pro-2025-03-19",
            "o3-pro",
            "o3-pro-2025-06-10",
            "gpt-5-pro",
            "gpt-5-pro-2025-10-06",
            "gpt-5-codex");

    /**
     * Chat Completions fields the Responses API moved, with their new place: OpenAI names it in the 400
     * (https://platform.openai.com/docs/guides/migrate-to-responses).
     */
    private static final Map<String, String> MOVED = Map.of(
            "messages", "input",
            "max_tokens", "max_output_tokens",
            "max_completion_tokens", "max_output_tokens",
            "response_format", "text.format",
            "reasoning_effort", "reasoning.effort");

    private OpenAiRequests() {}

    /**
     * The request after refusing it as the Responses API would, or null once refused: no model, a moved Chat
     * Completions field, no input, or a function call output without its call.
     */
    static ObjectNode responsesRequest(HttpServerResponse res, Buffer body) {
        ObjectNode request = withModel(res, body);
        if (request == null) {
            return null;
        }
        for (Map.Entry<String, String> moved : MOVED.entrySet()) {
            if (request.has(moved.getKey())) {
                ChatCompletionsFailures.error(
                        res,
                        400,
                        "Unsupported parameter: '" + moved.getKey() + "'. In the Responses API, this parameter has "
                                + "moved to '" + moved.getValue() + "'. Try again with the new parameter. See the API "
                                + "documentation for more information: "
                                + "https://platform.openai.com/docs/api-reference/responses/create.",
                        "invalid_request_error",
                        moved.getKey(),
                        "unsupported_parameter");
                return null;
            }
        }
        JsonNode input = request.path("input");
        if (!input.isTextual() && !(input.isArray() && !input.isEmpty())) {
            ChatCompletionsFailures.error(
                    res,
                    400,
                    "Missing required parameter: 'input'.",
                    "invalid_request_error",
                    "input",
                    "missing_required_parameter");
            return null;
        }
        Set<String> calls = new HashSet<>();
        for (JsonNode item : input) {
            String type = item.path("type").asText("message");
            if (type.equals("function_call")) {
                calls.add(item.path("call_id").asText());
            } else if (type.equals("function_call_output")
                    && !calls.contains(item.path("call_id").asText())) {
                ChatCompletionsFailures.error(
                        res,
                        400,
                        "No tool call found for function call output with call_id "
                                + item.path("call_id").asText() + ".",
                        "invalid_request_error",
                        "input",
                        null);
                return null;
            }
        }
        return request;
    }

    /** What the simulated model reads from an already checked Responses request. */
    static Conversation responsesConversation(ObjectNode request) {
        List<String> texts = new ArrayList<>();
        if (request.path("instructions").isTextual()) {
            texts.add(request.get("instructions").asText());
        }
        JsonNode input = request.get("input");
        List<String> trailingResults = new ArrayList<>();
        if (input.isTextual()) {
            texts.add(input.asText());
        } else {
            for (JsonNode item : input) {
                String type = item.path("type").asText("message");
                switch (type) {
                    case "function_call_output" -> {
                        texts.add(item.path("output").asText());
                        trailingResults.add(item.path("output").asText());
                    }
                    case "function_call" -> {
                        texts.add(item.path("name").asText()
                                + item.path("arguments").asText());
                        trailingResults.clear();
                    }
                    default -> {
                        texts.add(responsesContentText(item.path("content")));
                        trailingResults.clear();
                    }
                }
            }
        }
        JsonNode format = request.path("text").path("format");
        String formatType = format.path("type").asText("text");
        boolean json = formatType.equals("json_object") || formatType.equals("json_schema");
        JsonNode max = request.get("max_output_tokens");
        return new Conversation(
                request.get("model").asText(),
                TokenCounter.prompt(texts),
                trailingResults.isEmpty() ? null : String.join("\n", trailingResults),
                json,
                formatType.equals("json_schema") ? format.get("schema") : null,
                max != null && max.canConvertToInt() ? max.intValue() : null,
                1);
    }

    /** A Responses message's content: a string, or its text parts joined (other parts as their JSON). */
    private static String responsesContentText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.has("text") ? part.path("text").asText() : part.toString());
        }
        return text.toString();
    }

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
