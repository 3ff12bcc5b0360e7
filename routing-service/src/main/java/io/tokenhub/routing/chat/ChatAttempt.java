package io.tokenhub.routing.chat;

import io.quarkus.logging.Log;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.events.ProviderOutcome;
import io.tokenhub.common.events.ProviderOutcome.FailureKind;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.routing.errors.OpenAiError;
import io.tokenhub.routing.provider.FailedAnswerException;
import io.tokenhub.routing.provider.NativeRequest;
import io.tokenhub.routing.provider.ProviderAdapter;
import io.tokenhub.routing.provider.ProviderClient;
import io.tokenhub.routing.provider.ProviderClient.Endpoint;
import io.tokenhub.routing.provider.ProviderFailures;
import io.tokenhub.routing.provider.ProviderFailures.Classified;
import io.tokenhub.routing.provider.TranslatedResponse;
import io.tokenhub.routing.provider.Usage;
import io.tokenhub.routing.usage.UsagePublisher;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;

/** One request's call to one provider, and everything that follows from it. */
final class ChatAttempt {

    private final InboundRequest in;
    private final ChatRequest request;
    private final CatalogModel model;
    private final HttpServerResponse response;
    private final ProviderClient providers;
    private final UsagePublisher publisher;
    private ProviderAdapter adapter;
    private long callStartNanos;
    private Long firstTokenMs;
    private boolean finished;

    ChatAttempt(InboundRequest in, ChatRequest request, CatalogModel model, HttpServerResponse response,
            ProviderClient providers, UsagePublisher publisher) {
        this.in = in;
        this.request = request;
        this.model = model;
        this.response = response;
        this.providers = providers;
        this.publisher = publisher;
    }

    void call(Endpoint endpoint, ProviderAdapter adapter) {
        this.adapter = adapter;
        NativeRequest nativeRequest;
        try {
            nativeRequest = adapter.toNativeRequest(request, model, endpoint.apiKey());
        } catch (InvalidRequestException e) {
            // What the client asked for cannot be said to this provider: refused before any call.
            fail(e.error(), RequestStatus.CLIENT_ERROR);
            return;
        }
        callStartNanos = System.nanoTime();
        providers.send(endpoint, nativeRequest).subscribe().with(this::onResponse, this::onFailure);
    }

    private void onResponse(HttpClientResponse upstream) {
        outcome(true, null);
        int status = upstream.statusCode();
        if (status < 200 || status >= 300) {
            upstream.body().onComplete(ar -> fail(adapter.toOpenAiError(status, upstream.headers(),
                    ar.succeeded() ? ar.result().getBytes() : new byte[0]), RequestStatus.CLIENT_ERROR));
            upstream.resume();
            return;
        }
        if (request.stream()) {
            new StreamRelay(this, upstream).start();
            return;
        }
        upstream.body().onComplete(ar -> {
            if (ar.failed()) {
                fail(OpenAiError.badGateway("The provider closed the connection before the answer was complete."),
                        RequestStatus.PROVIDER_ERROR);
                return;
            }
            TranslatedResponse translated;
            try {
                translated = adapter.toOpenAiResponse(request, model, ar.result().getBytes());
            } catch (FailedAnswerException e) {
                fail(e.error(), RequestStatus.PROVIDER_ERROR, e.usage());
                return;
            } catch (RuntimeException e) {
                Log.warnf("request %s: untranslatable answer from %s: %s", in.requestId(),
                        model.provider().wireName(), e.getClass().getSimpleName());
                fail(OpenAiError.badGateway("The provider sent an answer TokenHub could not read."),
                        RequestStatus.PROVIDER_ERROR);
                return;
            }
            if (!response.closed()) {
                Responder.json(response, translated.body(), model.provider(), false);
            }
            finish(RequestStatus.SUCCEEDED, 200, translated.usage());
        });
        upstream.resume();
    }

    private void onFailure(Throwable failure) {
        Classified classified = ProviderFailures.classify(failure, adapter::toOpenAiError, request.model());
        outcome(false, classified.kind());
        fail(classified.error(), RequestStatus.PROVIDER_ERROR);
    }

    void fail(OpenAiError error) {
        fail(error, RequestStatus.PROVIDER_ERROR);
    }

    void fail(OpenAiError error, RequestStatus status) {
        fail(error, status, Usage.NONE);
    }

    private void fail(OpenAiError error, RequestStatus status, Usage usage) {
        Responder.error(response, error, model.provider(), false);
        finish(status, error.status(), usage);
    }

    void firstToken() {
        if (firstTokenMs == null) {
            firstTokenMs = in.elapsedMillis();
        }
    }

    void finish(RequestStatus status, int httpStatus, Usage usage) {
        if (finished) {
            return;
        }
        finished = true;
        publisher.publish(new UsageEvent(UsageEvent.CURRENT_VERSION, in.requestId(), in.accountId(), in.keyId(),
                request.model(), model.id(), model.provider().wireName(), model.providerModel(),
                usage.inputTokens(), usage.outputTokens(), usage.cachedTokens(), in.elapsedMillis(),
                firstTokenMs, status, httpStatus, 0, request.stream(), in.receivedAt()));
    }

    private void outcome(boolean success, FailureKind kind) {
        publisher.publish(new ProviderOutcome(model.provider().wireName(), model.id(), success, kind,
                (System.nanoTime() - callStartNanos) / 1_000_000, Instant.now()));
    }

    ProviderAdapter adapter() {
        return adapter;
    }

    ChatRequest request() {
        return request;
    }

    CatalogModel model() {
        return model;
    }

    HttpServerResponse response() {
        return response;
    }

    String requestId() {
        return in.requestId();
    }
}
