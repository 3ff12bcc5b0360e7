package io.tokenhub.routing.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.openai.ChatSpec.Reasoning;
import io.tokenhub.routing.openai.ChatSpec.RedactedThinking;
import io.tokenhub.routing.openai.ChatSpec.Thinking;
import io.tokenhub.routing.openai.ChatSpec.ThoughtSignature;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's reasoning in OpenRouter's {@code reasoning_details} shape
 * (https://openrouter.ai/docs/use-cases/reasoning-tokens): the one place the internal chat shape keeps what Claude needs
 * back on a later turn, its thinking text with the signature ({@code reasoning.text}) and its redacted thinking
 * ({@code reasoning.encrypted}). Answers carry them on the message and on stream deltas, beside the thinking text as
 * {@code reasoning_content}; an assistant message sent back may carry them, and reaches Claude as the blocks it was made
 * of. The Messages dialect builds and reads its thinking blocks through the same entries. Gemini's thought signatures
 * ({@code reasoning.encrypted} in format {@code google-gemini-v1}, with the tool call's {@code id}) travel the same
 * way; each kind goes back only to the provider whose format it carries.
 */
public final class ReasoningDetails {

    /** The message and delta field. */
    public static final String FIELD = "reasoning_details";
    /** The message and delta field of the thinking text alone (DeepSeek's name, which OpenAI clients read). */
    public static final String TEXT_FIELD = "reasoning_content";

    private static final String TEXT = "reasoning.text";
    private static final String ENCRYPTED = "reasoning.encrypted";
    /** OpenRouter's format name for Claude's thinking: a signature only Anthropic can check. */
    private static final String ANTHROPIC_FORMAT = "anthropic-claude-v1";
    /** OpenRouter's format name for Gemini's thought signatures. */
    private static final String GEMINI_FORMAT = "google-gemini-v1";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ReasoningDetails() {}

    /** Thinking text, or a piece of it in a stream, or its signature alone; null parts are left out. */
    public static ObjectNode thinking(int index, String text, String signature) {
        ObjectNode detail = NODES.objectNode().put("type", TEXT);
        if (text != null) {
            detail.put("text", text);
        }
        if (signature != null) {
            detail.put("signature", signature);
        }
        return detail.put("format", ANTHROPIC_FORMAT).put("index", index);
    }

    /** Redacted thinking: Anthropic's encrypted {@code data}, handed back as it came. */
    public static ObjectNode redacted(int index, String data) {
        return NODES.objectNode()
                .put("type", ENCRYPTED)
                .put("data", data)
                .put("format", ANTHROPIC_FORMAT)
                .put("index", index);
    }

    /**
     * A Gemini thought signature: {@code toolCallId} ties it to the function call part it came on, null for a text
     * part.
     */
    public static ObjectNode thoughtSignature(int index, String signature, String toolCallId) {
        ObjectNode detail =
                NODES.objectNode().put("type", ENCRYPTED).put("data", signature).put("format", GEMINI_FORMAT);
        if (toolCallId != null) {
            detail.put("id", toolCallId);
        }
        return detail.put("index", index);
    }

    /**
     * One entry as what it is; null for an entry of no kind TokenHub knows, or a stream piece of none. An entry without
     * a format is Claude's, as TokenHub's answers carried no other kind before Gemini's.
     */
    public static Reasoning of(JsonNode detail) {
        String type = detail.path("type").asText("");
        String format = detail.path("format").asText(ANTHROPIC_FORMAT);
        if (format.equals(GEMINI_FORMAT)) {
            return type.equals(ENCRYPTED)
                    ? new ThoughtSignature(
                            detail.path("data").asText(""), detail.path("id").asText(null))
                    : null;
        }
        if (!format.equals(ANTHROPIC_FORMAT)) {
            return null;
        }
        return switch (type) {
            case TEXT ->
                new Thinking(
                        detail.path("text").asText(""), detail.path("signature").asText(null));
            case ENCRYPTED -> new RedactedThinking(detail.path("data").asText(""));
            default -> null;
        };
    }

    /** An assistant message's {@code reasoning_details}, or the 400 naming the entry that is neither kind. */
    static List<Reasoning> read(JsonNode details, String param) {
        if (details == null || details.isNull()) {
            return List.of();
        }
        if (!details.isArray()) {
            throw ChatSpecReader.invalid("'" + param + "' must be an array.", param);
        }
        List<Reasoning> out = new ArrayList<>(details.size());
        for (int i = 0; i < details.size(); i++) {
            JsonNode detail = details.get(i);
            String at = param + "[" + i + "]";
            Reasoning reasoning = of(detail);
            boolean complete = reasoning instanceof Thinking
                    ? detail.path("text").isTextual()
                    : reasoning != null && detail.path("data").isTextual();
            if (!complete) {
                throw ChatSpecReader.invalid(
                        "'" + at + "' must be a 'reasoning.text' entry with its 'text' or a 'reasoning.encrypted' "
                                + "entry with its 'data', in format 'anthropic-claude-v1' or (encrypted only) "
                                + "'google-gemini-v1', as the answer gave it.",
                        at);
            }
            out.add(reasoning);
        }
        return List.copyOf(out);
    }
}
