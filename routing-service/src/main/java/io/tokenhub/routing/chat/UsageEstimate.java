package io.tokenhub.routing.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenhub.common.wire.TokenEstimate;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.spi.Usage;

/**
 * Token counts for a stream the client abandoned. Providers report usage only at the end of a stream (OpenAI,
 * Mistral, Meta) or partly along the way (Anthropic's prompt count up front, Gemini's running counts), and a cancelled
 * call never reaches that end. So a cancelled stream is billed on what the provider did report and, where it reported
 * nothing, on {@link TokenEstimate} (about four characters per token) for the prompt and for the answer the client
 * was sent before it left. Never below what the provider reported.
 */
public final class UsageEstimate {

    /**
     * Framing tokens OpenAI adds around each message and to prime the reply
     * (https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken).
     */
    private static final int TOKENS_PER_MESSAGE = 3;

    private static final int TOKENS_PRIMING_REPLY = 3;

    private UsageEstimate() {}

    static Usage cancelledStream(ChatRequest request, Usage reported, long answerChars) {
        long input = reported.inputTokens() > 0 ? reported.inputTokens() : promptTokens(request.body());
        long output = Math.max(reported.outputTokens(), TokenEstimate.fromChars(answerChars));
        return new Usage(input, output, reported.cachedTokens());
    }

    /**
     * The prompt as the provider counts it, roughly: message texts, tool calls and tool definitions. Also the answer
     * of Anthropic's {@code count_tokens}, which TokenHub serves without a provider call.
     */
    public static long promptTokens(JsonNode body) {
        long chars = 0;
        long messages = 0;
        for (JsonNode message : body.path("messages")) {
            messages++;
            chars += textChars(message.path("content"));
            JsonNode toolCalls = message.path("tool_calls");
            if (toolCalls.isArray()) {
                chars += toolCalls.toString().length();
            }
        }
        JsonNode tools = body.path("tools");
        if (tools.isArray()) {
            chars += tools.toString().length();
        }
        return TokenEstimate.fromChars(chars) + messages * TOKENS_PER_MESSAGE + TOKENS_PRIMING_REPLY;
    }

    private static long textChars(JsonNode content) {
        if (content.isTextual()) {
            return content.asText().length();
        }
        long chars = 0;
        for (JsonNode part : content) {
            chars += part.path("text").asText("").length();
        }
        return chars;
    }
}
