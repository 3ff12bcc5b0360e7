package io.tokenhub.routing.chat;

import io.quarkus.logging.Log;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.routing.errors.OpenAiError;
import io.tokenhub.routing.provider.SseParser;
import io.tokenhub.routing.provider.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Relays one provider stream to the client event by event, translated to OpenAI chunks, never holding more than the
 * event being parsed. Slow clients pause the provider stream instead of piling it up in memory. A provider error or
 * an early end after the head went out becomes an OpenAI error event, never a clean end.
 */
final class StreamRelay {

    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final ChatAttempt attempt;
    private final HttpClientResponse upstream;
    private final HttpServerResponse client;
    private final StreamTranslator translator;
    private final SseParser parser;
    private boolean ended;

    StreamRelay(ChatAttempt attempt, HttpClientResponse upstream) {
        this.attempt = attempt;
        this.upstream = upstream;
        this.client = attempt.response();
        this.translator = attempt.adapter().newStreamTranslator(attempt.request(), attempt.model());
        this.parser = new SseParser(this::onEvent);
    }

    void start() {
        Responder.startStream(client, attempt.model().provider(), false);
        client.closeHandler(v -> cancelled());
        upstream.handler(this::onData);
        upstream.endHandler(v -> onUpstreamEnd());
        upstream.exceptionHandler(e -> {
            Log.debugf("request %s: provider stream broke: %s", attempt.requestId(), e.getClass().getSimpleName());
            endWithError(OpenAiError.badGateway("The provider stream was interrupted.").toJson());
        });
        upstream.resume();
    }

    private void onData(Buffer chunk) {
        if (ended) {
            return;
        }
        parser.feed(chunk);
        if (client.writeQueueFull()) {
            upstream.pause();
            client.drainHandler(v -> upstream.resume());
        }
    }

    private void onEvent(String event, String data) {
        if (ended) {
            return;
        }
        List<String> payloads = translator.onEvent(event, data);
        if (!payloads.isEmpty()) {
            attempt.firstToken();
            Buffer out = Buffer.buffer();
            for (String payload : payloads) {
                out.appendString("data: ").appendString(payload).appendString("\n\n");
            }
            client.write(out);
        }
        if (translator.failure() != null) {
            endWithError(translator.failure());
        }
    }

    private void onUpstreamEnd() {
        if (ended) {
            return;
        }
        parser.finish();
        if (ended) {
            return;
        }
        if (!translator.completed()) {
            endWithError(OpenAiError.badGateway("The provider ended the stream before the answer was complete.")
                    .toJson());
            return;
        }
        ended = true;
        client.end(DONE);
        attempt.finish(RequestStatus.SUCCEEDED, 200, translator.usage());
    }

    private void endWithError(String errorPayload) {
        if (ended) {
            return;
        }
        ended = true;
        if (!client.closed()) {
            client.end(Buffer.buffer("data: " + errorPayload + "\n\n"));
        }
        upstream.request().reset();
        attempt.finish(RequestStatus.PROVIDER_ERROR, 200, translator.usage());
    }

    private void cancelled() {
        if (ended) {
            return;
        }
        ended = true;
        upstream.request().reset();
        attempt.finish(RequestStatus.CANCELLED, 200, translator.usage());
    }
}
