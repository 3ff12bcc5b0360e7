package io.tokenhub.routing.translate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.openai.FinishReason;
import io.tokenhub.routing.openai.ReasoningDetails;
import io.tokenhub.routing.spi.Usage;
import java.io.IOException;

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

    /**
     * What the {@code choices} of one {@code chat.completion.chunk} carry: how many there are and the characters of
     * answer in their deltas (text, tool names and arguments).
     */
    public record Choices(int count, long answerChars) {}

    /**
     * Reads the {@code choices} value {@code parser} stands on, to its end, without building a tree: it runs for every
     * chunk of every stream. A value that is not an array holds no choices.
     */
    public static Choices choices(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return new Choices(0, 0);
        }
        int count = 0;
        long chars = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            count++;
            chars += members(parser, (name, p) -> "delta".equals(name) ? members(p, OpenAiShapes::deltaChars) : -1);
        }
        return new Choices(count, chars);
    }

    /** Reads a member's value and returns the characters of answer in it, or -1 to have it skipped. */
    @FunctionalInterface
    private interface MemberReader {
        long read(String name, JsonParser parser) throws IOException;
    }

    /** The characters of answer in the object {@code parser} stands on; any other value is skipped and holds none. */
    private static long members(JsonParser parser, MemberReader reader) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return 0;
        }
        long chars = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            long read = reader.read(name, parser);
            if (read < 0) {
                parser.skipChildren();
            } else {
                chars += read;
            }
        }
        return chars;
    }

    private static long deltaChars(String name, JsonParser parser) throws IOException {
        return switch (name) {
            case "content" -> textLength(parser);
            case "tool_calls" -> toolCallChars(parser);
            default -> -1;
        };
    }

    private static long toolCallChars(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            return -1;
        }
        long chars = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            chars += members(
                    parser,
                    (name, call) -> "function".equals(name)
                            ? members(
                                    call,
                                    (field, f) ->
                                            "name".equals(field) || "arguments".equals(field) ? textLength(f) : -1)
                            : -1);
        }
        return chars;
    }

    /** The length of a scalar as text (a string's decoded characters); -1, skipped, for null and containers. */
    private static long textLength(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return parser.getTextLength();
        }
        if (token != null && token.isScalarValue() && token != JsonToken.VALUE_NULL) {
            return parser.getText().length();
        }
        return -1;
    }
}
