package io.tokenhub.routing.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.openai.FinishReason;
import io.tokenhub.routing.openai.ReasoningDetails;
import io.tokenhub.routing.spi.Usage;

/**
 * OpenAI's response objects (https://platform.openai.com/docs/api-reference/chat/object), built the same way by every
 * adapter that translates a foreign answer, so each provider's answer has exactly the fields OpenAI clients read.
 */
public final class OpenAiShapes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OpenAiShapes() {}

    /** A {@code chat.completion}. */
    public static ObjectNode completion(String id, long created, String model, ArrayNode choices, ObjectNode usage) {
        ObjectNode out = NODES.objectNode()
                .put("id", id)
                .put("object", "chat.completion")
                .put("created", created)
                .put("model", model);
        out.set("choices", choices);
        out.set("usage", usage);
        return out;
    }

    /** One choice of a completion; {@code content} null when the model only called tools. */
    public static ObjectNode choice(int index, String content, ArrayNode toolCalls, FinishReason finish) {
        ObjectNode choice = NODES.objectNode().put("index", index);
        ObjectNode message =
                choice.putObject("message").put("role", "assistant").put("content", content);
        message.putNull("refusal");
        if (toolCalls != null && !toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finish.wireName());
        return choice;
    }

    /**
     * Adds the model's reasoning to a {@link #choice}'s message when it showed any: the thinking text as
     * {@code reasoning_content}, and every block, signatures and redacted thinking included, as
     * {@code reasoning_details}.
     */
    public static void reasoning(ObjectNode choice, String text, ArrayNode details) {
        if (details.isEmpty()) {
            return;
        }
        ObjectNode message = (ObjectNode) choice.get("message");
        message.put(ReasoningDetails.TEXT_FIELD, text);
        message.set(ReasoningDetails.FIELD, details);
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** A function tool call with its arguments as JSON text. */
    public static ObjectNode toolCall(String id, String name, String arguments) {
        ObjectNode call = NODES.objectNode().put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        return call;
    }

    /**
     * Usage in OpenAI's shape from counts already normalised to OpenAI's semantics. Cache writes (Anthropic) go in
     * {@code prompt_tokens_details.cache_write_tokens}, the field OpenAI's {@code CompletionUsage} has for them, and
     * by lifetime in {@code cache_write_5m_tokens} / {@code cache_write_1h_tokens} beside it, which bill differently.
     *
     * @param reasoningTokens the part of the completion spent thinking, 0 when none
     */
    public static ObjectNode usage(Usage usage, long reasoningTokens) {
        ObjectNode out = NODES.objectNode()
                .put("prompt_tokens", usage.inputTokens())
                .put("completion_tokens", usage.outputTokens())
                .put("total_tokens", usage.inputTokens() + usage.outputTokens());
        ObjectNode prompt = out.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        if (usage.cacheWriteTokens() > 0) {
            prompt.put("cache_write_tokens", usage.cacheWriteTokens())
                    .put("cache_write_5m_tokens", usage.cacheWrite5mTokens())
                    .put("cache_write_1h_tokens", usage.cacheWrite1hTokens());
        }
        out.putObject("completion_tokens_details").put("reasoning_tokens", reasoningTokens);
        return out;
    }

    /** Characters of answer the {@code choices} of one {@code chat.completion.chunk} carry: text, tool names and args. */
    public static long answerChars(JsonNode choices) {
        long chars = 0;
        for (JsonNode choice : choices) {
            JsonNode delta = choice.path("delta");
            chars += delta.path("content").asText("").length();
            for (JsonNode call : delta.path("tool_calls")) {
                JsonNode function = call.path("function");
                chars += function.path("name").asText("").length()
                        + function.path("arguments").asText("").length();
            }
        }
        return chars;
    }
}
