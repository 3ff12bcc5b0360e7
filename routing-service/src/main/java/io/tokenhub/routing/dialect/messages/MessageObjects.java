package io.tokenhub.routing.dialect.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.openai.ChatSpec.Reasoning;
import io.tokenhub.routing.openai.ChatSpec.RedactedThinking;
import io.tokenhub.routing.openai.ChatSpec.Thinking;
import io.tokenhub.routing.openai.FinishReason;
import io.tokenhub.routing.openai.ReasoningDetails;
import io.tokenhub.routing.translate.AnthropicStopReasons;
import io.tokenhub.routing.usage.UsageCost;
import java.io.IOException;

/**
 * The objects of Anthropic's Messages API (https://docs.claude.com/en/api/messages), built the same way for a whole
 * answer and for a stream's events, so both have exactly the fields the Anthropic SDKs read.
 */
final class MessageObjects {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private MessageObjects() {}

    /**
     * Message ids from the chat answer's id, so one answer has the same id however it is read; Claude's own id is
     * kept as it is.
     */
    static String id(String chatId) {
        return chatId.startsWith("msg_") ? chatId : "msg_" + chatId.replaceAll("[^A-Za-z0-9]", "");
    }

    /** A {@code message} with no content yet, and no stop reason (as in {@code message_start}). */
    static ObjectNode message(String id, String model) {
        ObjectNode message = NODES.objectNode()
                .put("id", id)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        return message;
    }

    /** The stop reason of a chat {@code finish_reason}; none (a stream cut short) reads as a finished turn. */
    static String stopReason(String finishReason) {
        return AnthropicStopReasons.fromFinishReason(
                FinishReason.fromWire(finishReason).orElse(FinishReason.STOP));
    }

    /** Whether the entry is Claude's thinking: the Messages API has no block for another provider's reasoning. */
    static boolean isClaudes(JsonNode detail) {
        Reasoning reasoning = ReasoningDetails.of(detail);
        return reasoning instanceof Thinking || reasoning instanceof RedactedThinking;
    }

    /**
     * A {@code reasoning_details} entry as the block Claude made it: {@code thinking} with its signature (empty when the
     * entry has none, as Anthropic opens a streamed one) or {@code redacted_thinking}.
     */
    static ObjectNode reasoningBlock(JsonNode detail) {
        Reasoning reasoning = ReasoningDetails.of(detail);
        if (reasoning instanceof RedactedThinking redacted) {
            return NODES.objectNode().put("type", "redacted_thinking").put("data", redacted.data());
        }
        Thinking thinking = (Thinking) reasoning;
        return NODES.objectNode()
                .put("type", "thinking")
                .put("thinking", thinking.text())
                .put("signature", thinking.signature() == null ? "" : thinking.signature());
    }

    static ObjectNode textBlock(String text) {
        return NODES.objectNode().put("type", "text").put("text", text);
    }

    static ObjectNode toolUse(String id, String name, JsonNode input) {
        ObjectNode block =
                NODES.objectNode().put("type", "tool_use").put("id", id).put("name", name);
        block.set("input", input);
        return block;
    }

    /** A tool call's arguments as the {@code input} object Anthropic gives; text that is no object reads as none. */
    static JsonNode input(String arguments) {
        try {
            JsonNode parsed = arguments == null || arguments.isBlank() ? null : UsageCost.EXACT.readTree(arguments);
            return parsed instanceof ObjectNode ? parsed : NODES.objectNode();
        } catch (IOException e) {
            // A model wrote broken JSON: Anthropic's input is always an object, so the SDKs could not read it anyway.
            return NODES.objectNode();
        }
    }

    /**
     * Chat Completions usage as Anthropic's, whose {@code input_tokens} leaves out cache reads and writes (its three
     * counts add up to the prompt), with the writes split by lifetime in {@code cache_creation} as Anthropic reports
     * them when there were any, plus the cost TokenHub added ({@code cost}, {@code cost_details}) carried over exactly.
     */
    static ObjectNode usage(JsonNode chat) {
        JsonNode details = chat.path("prompt_tokens_details");
        long cacheRead = details.path("cached_tokens").asLong();
        long cacheWrite = details.path("cache_write_tokens").asLong();
        ObjectNode usage = NODES.objectNode()
                .put("input_tokens", Math.max(0, chat.path("prompt_tokens").asLong() - cacheRead - cacheWrite))
                .put("cache_creation_input_tokens", cacheWrite)
                .put("cache_read_input_tokens", cacheRead);
        if (cacheWrite > 0) {
            usage.putObject("cache_creation")
                    .put(
                            "ephemeral_5m_input_tokens",
                            details.path("cache_write_5m_tokens").asLong(cacheWrite))
                    .put(
                            "ephemeral_1h_input_tokens",
                            details.path("cache_write_1h_tokens").asLong());
        }
        usage.put("output_tokens", chat.path("completion_tokens").asLong());
        if (chat.has("cost")) {
            usage.set("cost", chat.get("cost"));
            usage.set("cost_details", chat.get("cost_details"));
        }
        return usage;
    }
}
