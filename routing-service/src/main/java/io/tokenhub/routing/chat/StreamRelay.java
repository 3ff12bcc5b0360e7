package io.tokenhub.routing.chat;

import io.quarkus.logging.Log;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.routing.provider.SseTranslation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays one provider stream to the client as it arrives, translated by {@link SseTranslation}, never holding more
 * than the event being parsed. A slow client pauses the provider stream instead of piling it up in memory; a client
 * that goes away cancels the provider call.
 */
final class StreamRelay {

    private final ChatAttempt attempt;
    private final HttpClientResponse upstream;
    private final HttpServerResponse client;
    private final SseTranslation translation;
    private boolean done;

    StreamRelay(ChatAttempt attempt, HttpClientResponse upstream) {
        this.attempt = attempt;
        this.upstream = upstream;
        this.client = attempt.response();
        this.translation = new SseTranslation(
                attempt.adapter().newStreamTranslator(attempt.request(), attempt.model()));
    }

    void start() {
        Responder.startStream(client, attempt.model().provider(), false);
        client.closeHandler(v -> cancelled());
        upstream.handler(this::onData);
        upstream.endHandler(v -> close(translation.end()));
        upstream.exceptionHandler(e -> {
            Log.debugf("request %s: provider stream broke: %s", attempt.requestId(), e.getClass().getSimpleName());
            close(translation.interrupted());
        });
        upstream.resume();
    }

    private void onData(Buffer chunk) {
        if (done) {
            return;
        }
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
        if (!client.closed()) {
            client.end(lastFrames);
        }
        if (translation.failed()) {
            upstream.request().reset();
        }
        attempt.finish(translation.failed() ? RequestStatus.PROVIDER_ERROR : RequestStatus.SUCCEEDED, 200,
                translation.usage());
    }

    private void cancelled() {
        if (done) {
            return;
        }
        done = true;
        upstream.request().reset();
        attempt.finish(RequestStatus.CANCELLED, 200, translation.usage());
    }
}
