package io.tokenhub.routing.chat;

import io.quarkus.logging.Log;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.routing.inbound.Responder;
import io.tokenhub.routing.stream.SseTranslation;
import io.tokenhub.routing.usage.UsageCost;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays one provider stream to the client as it arrives, translated by {@link SseTranslation}, never holding more
 * than the event being parsed. A slow client pauses the provider stream instead of piling it up in memory; a client
 * that goes away cancels the provider call and is billed for what was produced until then ({@link StreamUsage}).
 */
final class StreamRelay {

    private final ChatAttempt attempt;
    private final HttpClientResponse upstream;
    private final HttpServerResponse client;
    private final SseTranslation translation;
    private boolean done;
    private long idleTimer = -1;
    /** When the provider last sent bytes ({@link System#nanoTime()}). */
    private long lastData;

    StreamRelay(ChatAttempt attempt, HttpClientResponse upstream) {
        this.attempt = attempt;
        this.upstream = upstream;
        this.client = attempt.response();
        this.translation = new SseTranslation(
                attempt.adapter().newStreamTranslator(attempt.request(), attempt.model()), attempt.exchange().stream());
    }

    void start() {
        Responder.startStream(client, attempt.model().provider(), attempt.fallback());
        attempt.onClientGone(this::cancelled);
        upstream.handler(this::onData);
        upstream.endHandler(v -> close(translation.end()));
        upstream.exceptionHandler(e -> {
            Log.debugf(
                    "request %s: provider stream broke: %s",
                    attempt.requestId(), e.getClass().getSimpleName());
            close(translation.interrupted());
        });
        upstream.resume();
        armIdleTimer();
    }

    /**
     * A provider that goes silent mid-stream, or whose connection died before this relay was listening, would leave
     * the client waiting forever: after the configured silence the client gets an error event instead. One timer per
     * stream, moved on only when it fires, since resetting it on each of thousands of chunks a second cost more than
     * relaying them.
     */
    private void armIdleTimer() {
        Vertx vertx =
                Vertx.currentContext() == null ? null : Vertx.currentContext().owner();
        if (vertx == null) {
            return;
        }
        lastData = System.nanoTime();
        idleTimer = vertx.setTimer(attempt.streamIdleMillis(), id -> idleCheck(vertx));
    }

    private void idleCheck(Vertx vertx) {
        if (done) {
            return;
        }
        long silentMillis = (System.nanoTime() - lastData) / 1_000_000;
        if (silentMillis < attempt.streamIdleMillis()) {
            idleTimer = vertx.setTimer(attempt.streamIdleMillis() - silentMillis, id -> idleCheck(vertx));
            return;
        }
        Log.debugf("request %s: provider stream silent too long", attempt.requestId());
        close(translation.interrupted());
    }

    private void onData(Buffer chunk) {
        if (done) {
            return;
        }
        lastData = System.nanoTime();
        Buffer frames = translation.feed(chunk);
        if (translation.ended()) {
            close(frames);
            return;
        }
        if (frames.length() > 0) {
            attempt.firstToken();
            client.write(frames);
            if (client.writeQueueFull()) {
                upstream.pause();
                client.drainHandler(v -> upstream.resume());
            }
        }
    }

    private void close(Buffer lastFrames) {
        if (done) {
            return;
        }
        done = true;
        cancelIdleTimer();
        // Spooled before the final chunk and [DONE] go out: a stream the client saw complete is never without its bill.
        StreamUsage.Billed billed = StreamUsage.ended(attempt.request(), translation);
        UsageEvent event = attempt.finish(
                translation.failed() ? RequestStatus.PROVIDER_ERROR : RequestStatus.SUCCEEDED,
                200,
                billed.usage(),
                billed.source());
        // The usage chunk shows the cost of that very event; priced only when there is a usage chunk to show it in.
        Buffer closing = translation.closing(chunk -> attempt.charge(event)
                .map(charge -> UsageCost.withCost(chunk, charge))
                .orElse(chunk));
        if (!client.closed()) {
            client.end(lastFrames.appendBuffer(closing));
        }
        if (translation.failed()) {
            upstream.request().reset();
        }
    }

    private void cancelled() {
        if (done) {
            return;
        }
        done = true;
        cancelIdleTimer();
        upstream.request().reset();
        StreamUsage.Billed billed = StreamUsage.cancelled(attempt.request(), translation);
        attempt.finish(RequestStatus.CANCELLED, 200, billed.usage(), billed.source());
    }

    private void cancelIdleTimer() {
        if (idleTimer >= 0 && Vertx.currentContext() != null) {
            Vertx.currentContext().owner().cancelTimer(idleTimer);
        }
    }
}
