package io.tokenhub.routing.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.tokenhub.routing.openai.FinishReason;
import io.tokenhub.routing.spi.Usage;

/**
 * The objects of the Responses API (https://platform.openai.com/docs/api-reference/responses/object), built the same
 * way for a whole answer and for a stream's events, so both have exactly the fields the OpenAI SDKs read; and read
 * back where OpenAI itself answers in them. Both directions of each mapping (finish reason and end state, usage
 * names) sit side by side here: the Responses dialect writes them for clients, OpenAI's adapter reads them from
 * OpenAI for the models it serves on its Responses API only.
 */
public final class ResponseObjects {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    /** {@code incomplete_details.reason}'s two values (https://platform.openai.com/docs/api-reference/responses/object). */
    private static final String INCOMPLETE_MAX_OUTPUT_TOKENS = "max_output_tokens";

    private static final String INCOMPLETE_CONTENT_FILTER = "content_filter";

    private ResponseObjects() {}

    /**
     * A {@code response} without output and usage, echoing what the request asked for as OpenAI does.
     *
     * @param status {@code in_progress}, {@code completed}, {@code incomplete} or {@code failed}
     */
    public static ObjectNode response(ObjectNode request, String id, long createdAt, String model, String status) {
        ObjectNode out = NODES.objectNode()
                .put("id", id)
                .put("object", "response")
                .put("created_at", createdAt)
                .put("status", status)
                .put("background", false);
        out.putNull("error");
        out.putNull("incomplete_details");
        out.set("instructions", echo(request, "instructions"));
        out.set("max_output_tokens", echo(request, "max_output_tokens"));
        out.put("model", model);
        out.putArray("output");
        out.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        out.putNull("previous_response_id");
        ObjectNode reasoning = out.putObject("reasoning");
        reasoning.set("effort", echo(request.path("reasoning"), "effort"));
        reasoning.putNull("summary");
        // Nothing is ever stored, whatever the request said.
        out.put("store", false);
        out.set("temperature", orDefault(request, "temperature", 1));
        ObjectNode text = out.putObject("text");
        JsonNode format = request.path("text").path("format");
        if (format.isObject()) {
            text.set("format", format);
        } else {
            text.putObject("format").put("type", "text");
        }
        JsonNode toolChoice = request.get("tool_choice");
        out.set("tool_choice", toolChoice == null || toolChoice.isNull() ? NODES.textNode("auto") : toolChoice);
        out.set("tools", request.path("tools").isArray() ? request.get("tools") : NODES.arrayNode());
        out.set("top_p", orDefault(request, "top_p", 1));
        out.put("truncation", "disabled");
        out.putNull("usage");
        out.set("user", echo(request, "user"));
        out.set("metadata", request.path("metadata").isObject() ? request.get("metadata") : NODES.objectNode());
        return out;
    }

    /**
     * Sets the end state from the chat answer's {@code finish_reason}: a cut answer is {@code incomplete} with why;
     * any other reason, or none, is a completed answer.
     */
    public static void finish(ObjectNode response, String finishReason) {
        String reason = FinishReason.fromWire(finishReason)
                .map(finish -> switch (finish) {
                    case LENGTH -> INCOMPLETE_MAX_OUTPUT_TOKENS;
                    case CONTENT_FILTER -> INCOMPLETE_CONTENT_FILTER;
                    case STOP, TOOL_CALLS -> null;
                })
                .orElse(null);
        if (reason == null) {
            response.put("status", "completed");
        } else {
            response.put("status", "incomplete");
            response.putObject("incomplete_details").put("reason", reason);
        }
    }

    /**
     * The chat finish reason of a {@code response} OpenAI sent, the inverse of {@link #finish}: an {@code incomplete}
     * one by its {@code incomplete_details.reason}, a finished one with function calls {@code tool_calls}, else
     * {@code stop}.
     */
    public static FinishReason finishReason(JsonNode response) {
        if ("incomplete".equals(response.path("status").asText())) {
            String reason = response.path("incomplete_details").path("reason").asText("");
            switch (reason) {
                case INCOMPLETE_MAX_OUTPUT_TOKENS:
                    return FinishReason.LENGTH;
                case INCOMPLETE_CONTENT_FILTER:
                    return FinishReason.CONTENT_FILTER;
                default:
                    // A reason newer than this code: the answer was still cut, which is what "length" tells a client.
                    Log.warnf(
                            "unknown Responses incomplete reason '%s' read as length"
                                    + " (https://platform.openai.com/docs/api-reference/responses/object)",
                            reason);
                    return FinishReason.LENGTH;
            }
        }
        for (JsonNode item : response.path("output")) {
            if ("function_call".equals(item.path("type").asText())) {
                return FinishReason.TOOL_CALLS;
            }
        }
        return FinishReason.STOP;
    }

    /** An assistant {@code message} item holding one {@code output_text} part, or a {@code refusal}. */
    public static ObjectNode message(String id, String status, String text, String refusal) {
        ObjectNode item = NODES.objectNode()
                .put("id", id)
                .put("type", "message")
                .put("status", status)
                .put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (refusal != null) {
            content.addObject().put("type", "refusal").put("refusal", refusal);
        } else if (text != null) {
            content.add(outputText(text));
        }
        return item;
    }

    public static ObjectNode outputText(String text) {
        ObjectNode part = NODES.objectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    public static ObjectNode functionCall(String callId, String status, String name, String arguments) {
        return NODES.objectNode()
                .put("id", "fc_" + callId)
                .put("type", "function_call")
                .put("status", status)
                .put("arguments", arguments)
                .put("call_id", callId)
                .put("name", name);
    }

    /**
     * Chat Completions usage as Responses usage: the same counts under the Responses names, and the cost TokenHub
     * added ({@code cost}, {@code cost_details}) carried over exactly.
     */
    public static ObjectNode usage(JsonNode chat) {
        long input = chat.path("prompt_tokens").asLong();
        long output = chat.path("completion_tokens").asLong();
        ObjectNode usage = NODES.objectNode().put("input_tokens", input);
        usage.putObject("input_tokens_details")
                .put(
                        "cached_tokens",
                        chat.path("prompt_tokens_details").path("cached_tokens").asLong());
        usage.put("output_tokens", output);
        usage.putObject("output_tokens_details")
                .put(
                        "reasoning_tokens",
                        chat.path("completion_tokens_details")
                                .path("reasoning_tokens")
                                .asLong());
        usage.put("total_tokens", chat.path("total_tokens").asLong(input + output));
        if (chat.has("cost")) {
            usage.set("cost", chat.get("cost"));
            usage.set("cost_details", chat.get("cost_details"));
        }
        return usage;
    }

    /** Responses usage as the provider-neutral counts billing takes, the inverse of {@link #usage}. */
    public static Usage usageOf(JsonNode usage) {
        if (!usage.isObject()) {
            return Usage.NONE;
        }
        return new Usage(
                usage.path("input_tokens").asLong(0),
                usage.path("output_tokens").asLong(0),
                usage.path("input_tokens_details").path("cached_tokens").asLong(0));
    }

    /** The output tokens a Responses usage says were spent thinking, already counted in {@code output_tokens}. */
    public static long reasoningTokens(JsonNode usage) {
        return usage.path("output_tokens_details").path("reasoning_tokens").asLong(0);
    }

    private static JsonNode echo(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value == null ? NODES.nullNode() : value;
    }

    private static JsonNode orDefault(JsonNode request, String field, int fallback) {
        JsonNode value = request.get(field);
        return value == null || value.isNull() ? NODES.numberNode(fallback) : value;
    }
}
