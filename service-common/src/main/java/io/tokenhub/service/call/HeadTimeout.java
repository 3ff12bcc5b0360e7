package io.tokenhub.service.call;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One HTTP exchange up to its response head, within a deadline on a Vert.x timer: past it the call fails with a
 * {@link TimeoutException} and the request is reset. One timer per call, set and cancelled on the caller's event loop.
 */
public final class HeadTimeout {

    private HeadTimeout() {}

    /**
     * Opens a request with {@code options}, lets {@code send} finish and send it once a connection is free, and yields
     * the response head with its body paused for the caller; a head later than {@code millis} fails the call with a
     * timeout naming {@code what}. A request whose deadline passed while its connection was opening is never sent.
     */
    public static Future<HttpClientResponse> exchange(
            Vertx vertx,
            HttpClient http,
            RequestOptions options,
            long millis,
            String what,
            Function<HttpClientRequest, Future<HttpClientResponse>> send) {
        Promise<HttpClientResponse> head = Promise.promise();
        HttpClientRequest[] sent = {null};
        long timer = vertx.setTimer(millis, t -> {
            if (head.tryFail(new Expired(what + " gave no response head within " + millis + " ms"))
                    && sent[0] != null) {
                sent[0].reset();
            }
        });
        http.request(options)
                .compose(req -> {
                    if (head.future().isComplete()) {
                        req.reset();
                        return Future.failedFuture(head.future().cause());
                    }
                    sent[0] = req;
                    return send.apply(req);
                })
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.failed()) {
                        head.tryFail(ar.cause());
                        return;
                    }
                    // Paused before anyone sees it: completing runs the caller's handlers, which decide how to read it.
                    ar.result().pause();
                    if (!head.tryComplete(ar.result())) {
                        ar.result().request().reset();
                    }
                });
        return head.future();
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
