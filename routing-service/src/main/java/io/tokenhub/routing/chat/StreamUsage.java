package io.tokenhub.routing.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenhub.common.events.UsageSource;
import io.tokenhub.common.wire.TokenEstimate;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.stream.SseTranslation;

/**
 * What a stream is billed for. Providers report usage only at the end of a stream (OpenAI, Mistral, Meta) or partly
 * along the way (Anthropic's prompt count up front, Gemini's running counts), and a stream that does not end complete
 * never reaches that end: the client left, or the provider cut it, broke off, sent an error or went silent. Such a
 * stream is billed on what the provider did report and, where it reported nothing, on {@link TokenEstimate} (about
 * four characters per token) for the prompt and for the answer the client was sent; the line then says
 * {@link UsageSource#ESTIMATED}, so an estimate is never silent. Never below what the provider reported.
 */
public final class StreamUsage {

    /** The counts to bill, and whether they are the provider's own. */
    record Billed(Usage usage, UsageSource source) {}

    /**
     * Framing tokens OpenAI adds around each message and to prime the reply
     * (https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken).
     */
    private static final int TOKENS_PER_MESSAGE = 3;

    private static final int TOKENS_PRIMING_REPLY = 3;

    private StreamUsage() {}

    /**
     * A stream that ended, on the provider's side: complete, it is billed as the provider reported. Failed after
     * output began, it is estimated where the provider's counts fall short. Failed before any answer reached the
     * client, the client got only an error and is billed what the provider reported, if anything.
     */
    static Billed ended(ChatRequest request, SseTranslation translation) {
        if (!translation.failed() || translation.answerChars() == 0) {
            return new Billed(translation.usage(), UsageSource.REPORTED);
        }
        return estimated(request, translation.usage(), translation.answerChars());
    }

    /** A stream the client left: the provider was stopped, so its counts are at best partial. */
    static Billed cancelled(ChatRequest request, SseTranslation translation) {
        return estimated(request, translation.usage(), translation.answerChars());
    }

    /**
     * The provider's counts, each raised to the estimate for the prompt and for {@code answerChars} of answer where
     * it falls short; reported when none did.
     */
    static Billed estimated(ChatRequest request, Usage reported, long answerChars) {
        long input = reported.inputTokens() > 0 ? reported.inputTokens() : promptTokens(request.body());
        long output = Math.max(reported.outputTokens(), TokenEstimate.fromChars(answerChars));
        Usage usage = new Usage(
                input, output, reported.cachedTokens(), reported.cacheWrite5mTokens(), reported.cacheWrite1hTokens());
        return new Billed(usage, usage.equals(reported) ? UsageSource.REPORTED : UsageSource.ESTIMATED);
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
