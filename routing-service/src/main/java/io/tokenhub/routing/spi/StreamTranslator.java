package io.tokenhub.routing.spi;

import java.util.List;
import java.util.Optional;

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
     * The usage chunk ({@code choices: []}, the whole usage) to send once the stream {@link #completed()}, before
     * {@code [DONE]}; empty when the client did not ask for it ({@code stream_options.include_usage}) or the provider
     * sent no usage. Never among {@link #onEvent}'s payloads, even where the provider sends it as an event of its own
     * (OpenAI): usage is only final once the stream is over, and the relay adds the cost to this one chunk in one
     * place for every provider, after the usage was billed.
     */
    default Optional<String> usageChunk() {
        return Optional.empty();
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
