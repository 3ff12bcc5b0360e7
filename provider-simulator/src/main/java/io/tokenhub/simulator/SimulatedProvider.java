package io.tokenhub.simulator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** One provider's API as the simulator serves it, in that provider's own wire format. */
public interface SimulatedProvider {

    /** The provider name as TokenHub spells it. */
    String name();

    /**
     * The path the provider's official SDK puts after the host in its base URL ({@code /v1} for OpenAI,
     * {@code /compat/v1} for Meta's OpenAI-compatible endpoint, empty for the others).
     */
    String basePath();

    /** Answers one request whose body has been read; {@code behaviour} says how. Runs on the event loop. */
    void handle(HttpServerRequest request, Buffer body, Behaviour behaviour);
}
