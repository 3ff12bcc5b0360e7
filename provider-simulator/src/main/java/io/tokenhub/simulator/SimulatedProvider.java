package io.tokenhub.simulator;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.buffer.Buffer;

/** One provider's API as the simulator serves it, in that provider's own wire format. */
public interface SimulatedProvider {

    /** The provider name as TokenHub spells it. */
    String name();

    /** Answers one request whose body has been read; {@code behaviour} is the state set by the test. */
    void handle(HttpServerRequest request, Buffer body, Behaviour behaviour);
}
