package io.tokenhub.routing.dialect;

import io.tokenhub.routing.openai.ChatRequest;

/** One request read by a {@link ClientDialect}: what routing runs, and how its answer goes back to the client. */
public interface ClientExchange {

    /** The request as Chat Completions, which the providers' adapters translate. */
    ChatRequest chat();

    /**
     * A whole {@code chat.completion}, its {@code usage.cost} included, as this API's answer. Its numbers are exact
     * decimals: read it with {@code UsageCost.EXACT}.
     */
    byte[] answer(byte[] completion);

    /** The writer of this request's stream, when {@link ChatRequest#stream()}. */
    ClientStream stream();
}
