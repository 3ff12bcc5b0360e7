package io.tokenhub.routing.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.openai.ReasoningDetails;
import io.tokenhub.routing.spi.StreamTranslator;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.translate.AnthropicStopReasons;
import io.tokenhub.routing.translate.ChunkWriter;
import io.tokenhub.routing.translate.ProviderErrors;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Anthropic's named-event stream (https://docs.claude.com/en/docs/build-with-claude/streaming) as OpenAI chunks:
 * {@code message_start} opens the choice, text deltas become content, thinking and signature deltas and redacted
 * thinking become reasoning ({@link ReasoningDetails}), each {@code tool_use} block becomes a tool call
 * whose OpenAI index counts tool calls only (Anthropic's block index also counts text blocks), {@code message_delta}
 * carries the finish reason and the cumulative output count, {@code message_stop} ends the answer. An {@code error}
 * event ends the stream with an OpenAI error event. Unknown events are ignored, as Anthropic asks.
 */
final class AnthropicStreamTranslator implements StreamTranslator {

    private final ObjectMapper json;
    private final ChunkWriter chunks;
    private final boolean includeUsage;
    private final boolean jsonTool;
    private final AnthropicUsage usage = new AnthropicUsage();
    /** Anthropic block index to OpenAI tool-call index, for client tools. */
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();
    /** Blocks of the JSON tool, whose input is the answer's content. */
    private final Set<Integer> jsonBlocks = new HashSet<>();
    /** Anthropic block index to reasoning_details index, for thinking and redacted thinking blocks. */
    private final Map<Integer, Integer> reasoningBlocks = new HashMap<>();

    private boolean completed;
    private String failure;

    AnthropicStreamTranslator(ObjectMapper json, long created, boolean includeUsage, boolean jsonTool) {
        this.json = json;
        this.chunks = new ChunkWriter(created, includeUsage);
        this.includeUsage = includeUsage;
        this.jsonTool = jsonTool;
    }

    @Override
    public List<String> onEvent(String event, String data) {
        JsonNode node;
        try {
            node = json.readTree(data);
        } catch (IOException e) {
            failure = OpenAiError.badGateway("The provider sent a malformed stream event.")
                    .toJson();
            return List.of();
        }
        String type = node.path("type").asText(event == null ? "" : event);
        switch (type) {
            case "message_start" -> {
                JsonNode message = node.path("message");
                chunks.identify(
                        message.path("id").asText(null), message.path("model").asText(null));
                usage.read(message.path("usage"));
                return List.of(chunks.role(0));
            }
            case "content_block_start" -> {
                return blockStart(node.path("index").asInt(), node.path("content_block"));
            }
            case "content_block_delta" -> {
                return blockDelta(node.path("index").asInt(), node.path("delta"));
            }
            case "message_delta" -> {
                usage.read(node.path("usage"));
                String stopReason = node.path("delta").path("stop_reason").asText(null);
                return stopReason == null
                        ? List.of()
                        : List.of(chunks.finish(
                                0, AnthropicStopReasons.toFinishReason(stopReason, !toolBlocks.isEmpty())));
            }
            case "message_stop" -> {
                completed = true;
                return List.of();
            }
            case "error" -> {
                failure = ProviderErrors.streamError(node.path("error"));
                return List.of();
            }
            default -> {
                // ping, content_block_stop and event types added after this was written carry nothing to relay.
                return List.of();
            }
        }
    }

    private List<String> blockStart(int index, JsonNode block) {
        String type = block.path("type").asText();
        if (type.equals("text") && !block.path("text").asText().isEmpty()) {
            return List.of(chunks.content(0, block.get("text").asText()));
        }
        if (type.equals("thinking") || type.equals("redacted_thinking")) {
            int detail = reasoningBlocks.size();
            reasoningBlocks.put(index, detail);
            if (type.equals("redacted_thinking")) {
                return List.of(chunks.reasoning(
                        0,
                        "",
                        ReasoningDetails.redacted(detail, block.path("data").asText())));
            }
            String text = block.path("thinking").asText("");
            return text.isEmpty()
                    ? List.of()
                    : List.of(chunks.reasoning(0, text, ReasoningDetails.thinking(detail, text, null)));
        }
        if (!type.equals("tool_use")) {
            return List.of();
        }
        if (jsonTool && AnthropicAdapter.JSON_TOOL.equals(block.path("name").asText())) {
            jsonBlocks.add(index);
            return List.of();
        }
        int toolIndex = toolBlocks.size();
        toolBlocks.put(index, toolIndex);
        return List.of(chunks.toolCall(
                0, toolIndex, block.path("id").asText(), block.path("name").asText(), ""));
    }

    private List<String> blockDelta(int index, JsonNode delta) {
        String type = delta.path("type").asText();
        if (type.equals("text_delta")) {
            return List.of(chunks.content(0, delta.path("text").asText()));
        }
        Integer detail = reasoningBlocks.get(index);
        if (detail != null && type.equals("thinking_delta")) {
            String text = delta.path("thinking").asText();
            return List.of(chunks.reasoning(0, text, ReasoningDetails.thinking(detail, text, null)));
        }
        if (detail != null && type.equals("signature_delta")) {
            return List.of(chunks.reasoning(
                    0,
                    "",
                    ReasoningDetails.thinking(
                            detail, null, delta.path("signature").asText())));
        }
        if (!type.equals("input_json_delta")) {
            // Citation deltas have no Chat Completions field.
            return List.of();
        }
        String fragment = delta.path("partial_json").asText();
        if (fragment.isEmpty()) {
            return List.of();
        }
        if (jsonBlocks.contains(index)) {
            return List.of(chunks.content(0, fragment));
        }
        Integer toolIndex = toolBlocks.get(index);
        return toolIndex == null ? List.of() : List.of(chunks.toolArguments(0, toolIndex, fragment));
    }

    @Override
    public Optional<String> usageChunk() {
        return includeUsage ? Optional.of(chunks.usage(usage.json())) : Optional.empty();
    }

    @Override
    public boolean completed() {
        return completed;
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public Usage usage() {
        return usage.usage();
    }

    @Override
    public long answerChars() {
        return chunks.answerChars();
    }
}
