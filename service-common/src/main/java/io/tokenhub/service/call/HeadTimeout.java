package io.tokenhub.service.call;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeoutException;

/**
 * A deadline for a response head, on a Vert.x timer: the call's promise fails with a {@link TimeoutException} when the
 * time is up, and the call is stopped. One timer per call, set and cancelled on the caller's event loop.
 */
public final class HeadTimeout {

    private final Vertx vertx;
    private final long timer;

    private HeadTimeout(Vertx vertx, long timer) {
        this.vertx = vertx;
        this.timer = timer;
    }

    /**
     * Starts the clock for {@code head}: after {@code millis} it fails with a timeout naming {@code what}, unless it
     * completed before, and {@code stop} runs to abandon the call.
     */
    public static HeadTimeout start(Vertx vertx, long millis, Promise<?> head, String what, Runnable stop) {
        long timer = vertx.setTimer(millis, t -> {
            if (head.tryFail(new Expired(what + " gave no response head within " + millis + " ms"))) {
                stop.run();
            }
        });
        return new HeadTimeout(vertx, timer);
    }

    /** The head arrived or the call failed: the clock stops. */
    public void cancel() {
        vertx.cancelTimer(timer);
    }

    /** The deadline passed; expected under load, so without a stack trace to fill. */
    static final class Expired extends TimeoutException {

        Expired(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
