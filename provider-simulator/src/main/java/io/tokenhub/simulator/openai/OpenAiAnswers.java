package io.tokenhub.simulator.openai;

import static io.tokenhub.simulator.openai.OpenAiRequests.inputs;
import static io.tokenhub.simulator.openai.OpenAiRequests.withModel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Answer;
import io.tokenhub.simulator.Embeddings;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.TokenCounter;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsFailures;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's non-chat bodies: embeddings (float or base64), the model list, and the Responses API's {@code response}
 * object (https://platform.openai.com/docs/api-reference/responses/object); chat bodies come from
 * {@link OpenAiStreams}' Chat Completions dialect.
 */
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
            Map.entry("o4-mini", "o4-mini-2025-04-16"),
            Map.entry("o1-pro", "o1-pro-2025-03-19"),
            Map.entry("o3-pro", "o3-pro-2025-06-10"),
            Map.entry("gpt-5-pro", "gpt-5-pro-2025-10-06"),
            Map.entry("gpt-5-codex", "gpt-5-codex"));

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

    /**
     * The {@code response} object for {@code answer} in {@code status} ({@code in_progress} while streaming, then
     * {@code completed} or {@code incomplete}), with its output items and usage when given, echoing the request's
     * settings as OpenAI does. {@code store} echoes the request: OpenAI stores a response unless told not to.
     */
    static ObjectNode response(
            ObjectNode request,
            String id,
            long createdAt,
            String model,
            String status,
            ArrayNode output,
            Answer answer) {
        ObjectNode out = Json.object()
                .put("id", id)
                .put("object", "response")
                .put("created_at", createdAt)
                .put("status", status)
                .put("background", false);
        out.putNull("error");
        if (status.equals("incomplete")) {
            out.putObject("incomplete_details").put("reason", incompleteReason(answer));
        } else {
            out.putNull("incomplete_details");
        }
        out.set("instructions", request.path("instructions").isTextual() ? request.get("instructions") : null);
        out.set("max_output_tokens", request.get("max_output_tokens"));
        out.put("model", model);
        out.set("output", output == null ? Json.MAPPER.createArrayNode() : output);
        out.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        out.putNull("previous_response_id");
        ObjectNode reasoning = out.putObject("reasoning");
        reasoning.set("effort", request.path("reasoning").get("effort"));
        reasoning.putNull("summary");
        out.put("service_tier", "default");
        out.put("store", request.path("store").asBoolean(true));
        out.put("temperature", request.path("temperature").asDouble(1.0));
        ObjectNode text = out.putObject("text");
        JsonNode format = request.path("text").path("format");
        if (format.isObject()) {
            text.set("format", format);
        } else {
            text.putObject("format").put("type", "text");
        }
        text.put("verbosity", request.path("text").path("verbosity").asText("medium"));
        out.set(
                "tool_choice",
                request.has("tool_choice") ? request.get("tool_choice") : Json.MAPPER.valueToTree("auto"));
        out.set("tools", request.path("tools").isArray() ? request.get("tools") : Json.MAPPER.createArrayNode());
        out.put("top_p", request.path("top_p").asDouble(1.0));
        out.put("truncation", "disabled");
        if (status.equals("in_progress")) {
            out.putNull("usage");
        } else {
            Answer.Usage u = answer.usage();
            ObjectNode usage = out.putObject("usage").put("input_tokens", u.promptTokens());
            usage.putObject("input_tokens_details").put("cached_tokens", u.cachedTokens());
            usage.put("output_tokens", u.completionTokens());
            usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
            usage.put("total_tokens", u.totalTokens());
        }
        out.set("user", request.path("user").isTextual() ? request.get("user") : null);
        out.set("metadata", request.path("metadata").isObject() ? request.get("metadata") : Json.object());
        return out;
    }

    /** {@code completed}, or {@code incomplete} when the answer was cut or a test forced a content filter. */
    static String responseStatus(Answer answer) {
        return incompleteReason(answer) == null ? "completed" : "incomplete";
    }

    private static String incompleteReason(Answer answer) {
        String reason = answer.finishReason(finish -> switch (finish) {
            case LENGTH -> "max_output_tokens";
            case STOP, TOOL_CALLS -> "completed";
        });
        return switch (reason) {
            case "max_output_tokens", "length" -> "max_output_tokens";
            case "content_filter" -> "content_filter";
            default -> null;
        };
    }

    /** An assistant {@code message} item holding the text as one {@code output_text} part. */
    static ObjectNode messageItem(String id, String status, String text) {
        ObjectNode item = Json.object()
                .put("id", id)
                .put("type", "message")
                .put("status", status)
                .put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = Json.object().put("type", "output_text");
        part.putArray("annotations");
        part.putArray("logprobs");
        return part.put("text", text);
    }

    static ObjectNode functionCallItem(String id, String callId, String status, Answer.Call call, String arguments) {
        return Json.object()
                .put("id", id)
                .put("type", "function_call")
                .put("status", status)
                .put("arguments", arguments)
                .put("call_id", callId)
                .put("name", call.name());
    }

    /** The whole answer as a {@code response} object. */
    static ObjectNode completeResponse(ObjectNode request, Answer answer, String model) {
        String suffix = Ids.hex(48);
        ArrayNode output = Json.MAPPER.createArrayNode();
        if (answer.text() != null) {
            output.add(messageItem("msg_" + suffix, "completed", answer.text()));
        }
        for (Answer.Call call : answer.toolCalls()) {
            output.add(functionCallItem(
                    "fc_" + Ids.hex(48), "call_" + Ids.alphanumeric(24), "completed", call, call.argumentsJson()));
        }
        return response(
                request,
                "resp_" + suffix,
                System.currentTimeMillis() / 1000,
                model,
                responseStatus(answer),
                output,
                answer);
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
