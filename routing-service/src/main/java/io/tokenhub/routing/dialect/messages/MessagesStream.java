package io.tokenhub.routing.dialect.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.common.http.AnthropicErrorBody;
import io.tokenhub.routing.dialect.ClientStream;
import io.tokenhub.routing.openai.ReasoningDetails;
import io.tokenhub.routing.usage.UsageCost;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Chat Completions stream as Anthropic's stream events (https://docs.claude.com/en/docs/build-with-claude/streaming),
 * in the order Anthropic sends them: {@code message_start} and a {@code ping}, then per content block
 * {@code content_block_start}, its deltas ({@code thinking_delta} and {@code signature_delta} for thinking,
 * {@code text_delta} for text, {@code input_json_delta} for a tool call's input) and {@code content_block_stop}, and last {@code message_delta} with the stop reason and the usage (its cost
 * included) and {@code message_stop}; or, when the provider fails after the stream began, an {@code error} event in
 * Anthropic's error shape. Every frame is {@code event: <type>} then {@code data: <json>} whose {@code type} repeats
 * the event name.
 */
final class MessagesStream implements ClientStream {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final String requestedModel;
    /** Chat tool-call index to content block index. */
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();

    private boolean started;
    private int blocks;
    /** The block being streamed, -1 when none is open. */
    private int open = -1;
    /** Whether the open block is text (deltas of text go on in it). */
    private boolean openIsText;
    /** The reasoning_details index of the open block when it is reasoning, else -1. */
    private int openReasoning = -1;

    private String finishReason;
    private JsonNode usage;

    MessagesStream(String requestedModel) {
        this.requestedModel = requestedModel;
    }

    @Override
    public void chunk(String payload, Buffer out) {
        JsonNode chunk = read(payload);
        start(chunk, out);
        if (chunk.path("usage").isObject()) {
            usage = chunk.get("usage");
        }
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            for (JsonNode detail : delta.path(ReasoningDetails.FIELD)) {
                reasoning(detail, out);
            }
            String text =
                    delta.path("content").asText("") + delta.path("refusal").asText("");
            if (!text.isEmpty()) {
                text(text, out);
            }
            for (JsonNode call : delta.path("tool_calls")) {
                toolCall(call, out);
            }
            if (choice.path("finish_reason").isTextual()) {
                finishReason = choice.path("finish_reason").asText();
            }
        }
    }

    @Override
    public void done(Buffer out) {
        start(NODES.objectNode(), out);
        closeBlock(out);
        event("message_delta", out, e -> {
            e.putObject("delta")
                    .put("stop_reason", MessageObjects.stopReason(finishReason))
                    .putNull("stop_sequence");
            e.set("usage", MessageObjects.usage(usage == null ? NODES.objectNode() : usage));
        });
        event("message_stop", out, e -> {});
    }

    @Override
    public void error(String errorPayload, Buffer out) {
        JsonNode error = read(errorPayload).path("error");
        out.appendString("event: error\ndata: ")
                .appendString(AnthropicErrorBody.json(
                        502, error.path("message").asText("The provider failed in the middle of the answer."), null))
                .appendString("\n\n");
    }

    /** The opening events, once, from the first chunk's id and model. */
    private void start(JsonNode chunk, Buffer out) {
        if (started) {
            return;
        }
        started = true;
        ObjectNode message = MessageObjects.message(
                MessageObjects.id(chunk.path("id").asText("")),
                chunk.path("model").asText(requestedModel));
        // Anthropic counts the prompt up front; TokenHub knows it only at the end, in message_delta.
        message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
        event("message_start", out, e -> e.set("message", message));
        event("ping", out, e -> {});
    }

    private void text(String delta, Buffer out) {
        if (open < 0 || !openIsText) {
            openBlock(MessageObjects.textBlock(""), true, out);
        }
        blockDelta(open, "text_delta", "text", delta, out);
    }

    /**
     * A piece of reasoning: a new entry opens its block (a thinking block empty as Anthropic opens it, or the whole
     * redacted_thinking block), thinking text is a {@code thinking_delta} and a signature a {@code signature_delta}.
     * Entries that are not Claude's are left out.
     */
    private void reasoning(JsonNode detail, Buffer out) {
        if (!MessageObjects.isClaudes(detail)) {
            // Gemini's thought signatures have no Messages block; a client of this API cannot send them back.
            return;
        }
        int entry = detail.path("index").asInt(0);
        if (entry != openReasoning) {
            ObjectNode block = MessageObjects.reasoningBlock(detail);
            if (block.has("thinking")) {
                block.put("thinking", "").put("signature", "");
            }
            openBlock(block, false, out);
            openReasoning = entry;
            if (!block.has("thinking")) {
                return;
            }
        }
        String text = detail.path("text").asText("");
        if (!text.isEmpty()) {
            blockDelta(open, "thinking_delta", "thinking", text, out);
        }
        if (detail.path("signature").isTextual()) {
            blockDelta(
                    open,
                    "signature_delta",
                    "signature",
                    detail.get("signature").asText(),
                    out);
        }
    }

    /** A tool call delta: the first names the call and opens its block, later ones carry input JSON. */
    private void toolCall(JsonNode delta, Buffer out) {
        int chatIndex = delta.path("index").asInt(0);
        Integer block = toolBlocks.get(chatIndex);
        if (block == null) {
            block = openBlock(
                    MessageObjects.toolUse(
                            delta.path("id").asText(),
                            delta.path("function").path("name").asText(),
                            NODES.objectNode()),
                    false,
                    out);
            toolBlocks.put(chatIndex, block);
        }
        String arguments = delta.path("function").path("arguments").asText("");
        if (!arguments.isEmpty()) {
            blockDelta(block, "input_json_delta", "partial_json", arguments, out);
        }
    }

    /** A {@code content_block_delta} of {@code type} whose one field carries the piece. */
    private static void blockDelta(int index, String type, String field, String piece, Buffer out) {
        event(
                "content_block_delta",
                out,
                e -> e.put("index", index).putObject("delta").put("type", type).put(field, piece));
    }

    private int openBlock(ObjectNode block, boolean text, Buffer out) {
        closeBlock(out);
        open = blocks++;
        openIsText = text;
        openReasoning = -1;
        int index = open;
        event("content_block_start", out, e -> e.put("index", index).set("content_block", block));
        return index;
    }

    private void closeBlock(Buffer out) {
        if (open < 0) {
            return;
        }
        int index = open;
        event("content_block_stop", out, e -> e.put("index", index));
        open = -1;
    }

    private static void event(String type, Buffer out, Consumer<ObjectNode> fields) {
        ObjectNode event = NODES.objectNode().put("type", type);
        fields.accept(event);
        try {
            out.appendString("event: ")
                    .appendString(type)
                    .appendString("\ndata: ")
                    .appendString(UsageCost.EXACT.writeValueAsString(event))
                    .appendString("\n\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String payload) {
        try {
            return UsageCost.EXACT.readTree(payload);
        } catch (IOException e) {
            // Payloads are TokenHub's own chunks: unreadable means a bug, not bad input.
            throw new UncheckedIOException(e);
        }
    }
}
