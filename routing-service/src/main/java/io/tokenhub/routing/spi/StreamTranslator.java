package io.tokenhub.routing.spi;

import java.util.List;

/**
 * Turns one provider stream into OpenAI {@code chat.completion.chunk} events. One instance per stream: it keeps the
 * state a provider spreads over several events (tool-call indices, usage arriving late, the finish reason).
 */
public interface StreamTranslator {

    /**
     * Translates one server-sent event from the provider into zero or more OpenAI {@code data:} payloads, in order.
     * {@code [DONE]} is not among them: the caller writes it once the translator reports {@link #completed()}.
     *
     * @param event the SSE {@code event:} field, or null when the provider sends none
     * @param data the SSE {@code data:} field
     */
    List<String> onEvent(String event, String data);

    /**
     * Payloads to send after the provider's last event when the stream {@link #completed()}, before {@code [DONE]}:
     * the usage chunk of providers whose usage is only final once their stream is over. None by default.
     */
    default List<String> onEnd() {
        return List.of();
    }

    /** True once the provider signalled a normal end of the answer. */
    boolean completed();

    /** The provider's error seen in the stream, as the OpenAI error payload to send; null when none. */
    String failure();

    /** Usage reported so far; final once {@link #completed()}. */
    Usage usage();

    /** Characters of answer (text and tool calls) sent to the client so far: what a cancelled stream is billed on. */
    long answerChars();
}
