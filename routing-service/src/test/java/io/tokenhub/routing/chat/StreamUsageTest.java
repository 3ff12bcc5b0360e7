package io.tokenhub.routing.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.UsageSource;
import io.tokenhub.common.wire.TokenEstimate;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.stream.SseTranslation;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 16 item 3, estimates are never silent: what a stream is billed for when it ends complete, when the provider
 * cuts it, breaks off or goes silent after output began, and when the client leaves; run over every provider's
 * {@link StreamFixtures} stream, whole and cut half way.
 */
class StreamUsageTest {

    private static ChatRequest request(String body) {
        return ChatRequest.parse(StreamFixtures.JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    /** How the relay learns that the provider's side of a stream is over. */
    enum Ending {
        /** The provider closed the stream (or finished it). */
        CLOSED(SseTranslation::end),
        /** The connection broke, or the provider went silent past the idle timeout. */
        BROKEN_OR_SILENT(SseTranslation::interrupted);

        final Function<SseTranslation, Buffer> close;

        Ending(Function<SseTranslation, Buffer> close) {
            this.close = close;
        }
    }

    /** The translation after the first {@code events} events of the provider's fixture stream; all when negative. */
    private static SseTranslation fed(Provider provider, ChatRequest request, int events) {
        SseTranslation translation = StreamFixtures.translation(provider, request);
        String[] all = events(provider);
        for (String event : Arrays.copyOf(all, events < 0 ? all.length : events)) {
            translation.feed(Buffer.buffer(event + "\n\n"));
        }
        return translation;
    }

    /** The fixture stream's events; Gemini's ends its lines with CRLF. */
    private static String[] events(Provider provider) {
        return new String(StreamFixtures.fixture(provider, "stream-native.sse"), StandardCharsets.UTF_8)
                .split("\r?\n\r?\n");
    }

    private static int half(Provider provider) {
        return events(provider).length / 2;
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aCompleteStreamIsBilledAsTheProviderReported(Provider provider) {
        ChatRequest request = StreamFixtures.request(provider, true);
        SseTranslation translation = fed(provider, request, -1);
        translation.end();
        assertFalse(translation.failed(), provider + " fixture stream failed");
        StreamUsage.Billed billed = StreamUsage.ended(request, translation);
        assertEquals(new StreamUsage.Billed(translation.usage(), UsageSource.REPORTED), billed);
        assertTrue(billed.usage().outputTokens() > 0, billed.toString());
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void aStreamCutAfterOutputBeganIsEstimatedWhereTheProviderReportedNothing(Ending ending) {
        // OpenAI reports usage only in the last chunk: a cut stream has none, both counts are estimated.
        ChatRequest request = StreamFixtures.request(Provider.OPENAI, true);
        SseTranslation translation = fed(Provider.OPENAI, request, half(Provider.OPENAI));
        ending.close.apply(translation);
        assertTrue(translation.failed());
        assertEquals(Usage.NONE, translation.usage());
        assertTrue(translation.answerChars() > 0, "the half stream sent some answer");
        assertEquals(
                new StreamUsage.Billed(
                        new Usage(
                                StreamUsage.promptTokens(request.body()),
                                TokenEstimate.fromChars(translation.answerChars()),
                                0),
                        UsageSource.ESTIMATED),
                StreamUsage.ended(request, translation));
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void everyProvidersCutStreamIsBilledNeverBelowWhatItReported(Provider provider) {
        for (Ending ending : Ending.values()) {
            ChatRequest request = StreamFixtures.request(provider, true);
            SseTranslation translation = fed(provider, request, half(provider));
            ending.close.apply(translation);
            assertTrue(translation.failed(), provider + " " + ending);
            assertTrue(translation.answerChars() > 0, provider + ": the half stream sent some answer");
            Usage reported = translation.usage();
            StreamUsage.Billed billed = StreamUsage.ended(request, translation);
            String what = provider + " " + ending + ": " + billed + " after " + reported;
            assertTrue(billed.usage().inputTokens() > 0, what);
            assertTrue(billed.usage().outputTokens() > 0, what);
            assertTrue(billed.usage().inputTokens() >= reported.inputTokens(), what);
            assertTrue(billed.usage().outputTokens() >= reported.outputTokens(), what);
            assertEquals(reported.cachedTokens(), billed.usage().cachedTokens(), what);
            assertEquals(
                    billed.usage().equals(reported) ? UsageSource.REPORTED : UsageSource.ESTIMATED, billed.source());
        }
    }

    @Test
    void aStreamCutBeforeAnyAnswerBillsOnlyWhatTheProviderReported() {
        // Anthropic's message_start reports the prompt; the stream is cut before any text reached the client.
        ChatRequest request = StreamFixtures.request(Provider.ANTHROPIC, true);
        SseTranslation translation = fed(Provider.ANTHROPIC, request, 1);
        translation.end();
        assertTrue(translation.failed());
        assertEquals(0, translation.answerChars());
        assertTrue(translation.usage().inputTokens() > 0);
        assertEquals(
                new StreamUsage.Billed(translation.usage(), UsageSource.REPORTED),
                StreamUsage.ended(request, translation));
    }

    @Test
    void aCancelledStreamIsEstimatedEvenBeforeTheAnswer() {
        ChatRequest request = StreamFixtures.request(Provider.OPENAI, true);
        SseTranslation translation = fed(Provider.OPENAI, request, 0);
        assertEquals(
                new StreamUsage.Billed(
                        new Usage(StreamUsage.promptTokens(request.body()), 0, 0), UsageSource.ESTIMATED),
                StreamUsage.cancelled(request, translation));
    }

    @Test
    void aCancelledStreamWithNoReportedUsageIsBilledOnThePromptAndTheAnswerSent() {
        // 16 + 24 characters of text in two messages: 10 tokens, plus 3 per message and 3 to prime the reply.
        ChatRequest request = request("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Answer in Danish\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Tell me a very long tale\"}]}]}");
        assertEquals(
                new StreamUsage.Billed(new Usage(19, 11, 0), UsageSource.ESTIMATED),
                StreamUsage.estimated(request, Usage.NONE, 41));
    }

    @Test
    void whatTheProviderReportedIsNeverUndercut() {
        ChatRequest request = request("{\"model\":\"claude-3-5-sonnet\",\"stream\":true,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Hi\"}]}");
        // Anthropic reports the prompt up front and a running output count: both stand when larger, and then the
        // line says so.
        assertEquals(
                new StreamUsage.Billed(new Usage(1_200, 40, 1_000), UsageSource.REPORTED),
                StreamUsage.estimated(request, new Usage(1_200, 40, 1_000), 80));
        // An output count that lags behind what was streamed gives way to the estimate.
        assertEquals(
                new StreamUsage.Billed(new Usage(1_200, 50, 0), UsageSource.ESTIMATED),
                StreamUsage.estimated(request, new Usage(1_200, 3, 0), 200));
    }

    @Test
    void toolDefinitionsAndToolCallsCountTowardsThePrompt() {
        String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{}}}]";
        ChatRequest withTools = request("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}],"
                + "\"tools\":" + tools + "}");
        ChatRequest without = request("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}");
        assertEquals(
                StreamUsage.promptTokens(without.body()) + (tools.length() + 3) / 4,
                StreamUsage.promptTokens(withTools.body()));
    }
}
