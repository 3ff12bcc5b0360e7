package io.tokenhub.routing.stream;

import io.tokenhub.routing.dialect.ClientStream;
import io.tokenhub.routing.dialect.chat.ChatCompletionsDialect;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.spi.StreamTranslator;
import io.tokenhub.routing.spi.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.function.UnaryOperator;

/**
 * A provider's event stream in, the client API's event stream out, as framed bytes: the translation without the I/O,
 * so the relay and the fixture tests run the very same code. The provider's events become Chat Completions chunks,
 * which the client's {@link ClientStream} frames. It ends in exactly one of two ways: done after a complete answer
 * ({@code data: [DONE]} in Chat Completions), or an error event when the provider failed or stopped early.
 */
public final class SseTranslation {

    private final StreamTranslator translator;
    private final ClientStream client;
    private final SseParser parser;
    private Buffer pending;
    private boolean ended;
    private boolean failed;
    private boolean closed;

    /** A translation to Chat Completions' own stream. */
    public SseTranslation(StreamTranslator translator) {
        this(translator, ChatCompletionsDialect.STREAM);
    }

    public SseTranslation(StreamTranslator translator, ClientStream client) {
        this.translator = translator;
        this.client = client;
        this.parser = new SseParser(this::onEvent);
    }

    /** The frames the bytes so far complete; empty when none. After a provider error the stream has ended. */
    public Buffer feed(Buffer chunk) {
        pending = Buffer.buffer();
        if (!ended) {
            parser.feed(chunk);
        }
        return pending;
    }

    /**
     * The provider closed the stream: the frames its last bytes complete, and the error frame when the answer was not
     * complete. A complete answer's usage chunk and {@code [DONE]} come from {@link #closing}, once it is billed.
     */
    public Buffer end() {
        pending = Buffer.buffer();
        if (!ended) {
            parser.finish();
        }
        if (!ended) {
            if (translator.completed()) {
                ended = true;
            } else {
                failWith(OpenAiError.badGateway("The provider ended the stream before the answer was complete.")
                        .toJson());
            }
        }
        return pending;
    }

    /**
     * The last frames of a stream that {@link #end() ended} complete: the usage chunk, when the client asked for one,
     * as {@code usageCost} rewrites it (the relay adds the cost billing will charge), then {@code [DONE]}. Empty for a
     * stream that failed, and after the first call. Only this one chunk is rewritten, so the rest of the stream costs
     * nothing more.
     */
    public Buffer closing(UnaryOperator<String> usageCost) {
        pending = Buffer.buffer();
        if (ended && !failed && !closed) {
            closed = true;
            translator.usageChunk().map(usageCost).ifPresent(this::frame);
            client.done(pending);
        }
        return pending;
    }

    /** The connection to the provider broke: the closing error frame, or nothing when the stream had ended. */
    public Buffer interrupted() {
        pending = Buffer.buffer();
        if (!ended) {
            failWith(OpenAiError.badGateway("The provider stream was interrupted.")
                    .toJson());
        }
        return pending;
    }

    /** True once a closing frame has been produced. */
    public boolean ended() {
        return ended;
    }

    /** True when the stream closed with an error event. */
    public boolean failed() {
        return failed;
    }

    public Usage usage() {
        return translator.usage();
    }

    /** Characters of answer sent so far; see {@link StreamTranslator#answerChars()}. */
    public long answerChars() {
        return translator.answerChars();
    }

    private void onEvent(String event, String data) {
        if (ended) {
            return;
        }
        translator.onEvent(event, data).forEach(this::frame);
        if (translator.failure() != null) {
            failWith(translator.failure());
        }
    }

    private void failWith(String errorPayload) {
        ended = true;
        failed = true;
        client.error(errorPayload, pending);
    }

    private void frame(String payload) {
        client.chunk(payload, pending);
    }
}
