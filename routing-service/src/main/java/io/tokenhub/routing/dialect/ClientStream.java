package io.tokenhub.routing.dialect;

import io.vertx.core.buffer.Buffer;

/**
 * One answer stream in a client API's event format, fed with the Chat Completions stream routing produces: every
 * {@code chat.completion.chunk} (the final usage chunk with its cost included), then exactly one of {@link #done} or
 * {@link #error}. One instance per stream: it keeps what the API repeats or sums up at the end.
 */
public interface ClientStream {

    /** One {@code chat.completion.chunk} payload, as this API's frames appended to {@code out}. */
    void chunk(String payload, Buffer out);

    /** The answer is complete: this API's closing frames. */
    void done(Buffer out);

    /** The provider failed after the stream began; {@code errorPayload} is OpenAI's {@code {"error": ...}}. */
    void error(String errorPayload, Buffer out);
}
