package io.tokenhub.routing.embeddings;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.tokenhub.common.catalog.Capability;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.ModelRef;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.events.UsageSource;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.common.pricing.Charge;
import io.tokenhub.common.pricing.PriceCalculator;
import io.tokenhub.routing.call.ProviderCalls;
import io.tokenhub.routing.call.ProviderCalls.Ready;
import io.tokenhub.routing.call.ProviderCalls.Route;
import io.tokenhub.routing.call.ProviderCalls.Skipped;
import io.tokenhub.routing.inbound.InboundRequest;
import io.tokenhub.routing.inbound.Responder;
import io.tokenhub.routing.metrics.RequestMetrics;
import io.tokenhub.routing.models.ModelLifecycle;
import io.tokenhub.routing.openai.EmbeddingRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.providers.EmbeddingsAdapters;
import io.tokenhub.routing.settings.RoutingSettingsStore;
import io.tokenhub.routing.spi.EmbeddingsAdapter;
import io.tokenhub.routing.spi.NativeRequest;
import io.tokenhub.routing.spi.TranslatedResponse;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.upstream.ProviderFailures.Classified;
import io.tokenhub.routing.usage.UsageCost;
import io.tokenhub.routing.usage.UsagePublisher;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Answers {@code POST /v1/embeddings} for the providers that have an embeddings API (openai, google, mistral): resolves
 * the model, calls its provider once through the same per-provider client and guard as chat, and publishes one usage
 * event with the input tokens, so embeddings are billed like any other request. Refuses to start when the catalog
 * sells embeddings from a provider without such an API.
 */
@ApplicationScoped
@Startup
public class EmbeddingsService {

    private final ObjectMapper json;
    private final Catalog catalog;
    private final EmbeddingsAdapters adapters;
    private final ProviderCalls calls;
    private final UsagePublisher publisher;
    private final PriceCalculator pricing;
    private final RequestMetrics metrics;
    private final ModelLifecycle lifecycle;
    private final RoutingSettingsStore settings;

    public EmbeddingsService(
            ObjectMapper json,
            Catalog catalog,
            EmbeddingsAdapters adapters,
            ProviderCalls calls,
            UsagePublisher publisher,
            PriceCalculator pricing,
            RequestMetrics metrics,
            ModelLifecycle lifecycle,
            RoutingSettingsStore settings) {
        this.json = json;
        this.catalog = catalog;
        this.adapters = adapters;
        this.calls = calls;
        this.publisher = publisher;
        this.pricing = pricing;
        this.metrics = metrics;
        this.lifecycle = lifecycle;
        this.settings = settings;
        catalog.models().stream()
                .filter(m -> m.can(Capability.EMBEDDINGS))
                .forEach(m -> adapters.forProvider(m.provider()));
    }

    public void embed(InboundRequest in, byte[] body, HttpServerResponse response) {
        EmbeddingRequest request;
        try {
            request = EmbeddingRequest.parse(json, body);
        } catch (InvalidRequestException e) {
            Responder.error(response, e.error(), null, false);
            return;
        }
        Optional<ModelRef> ref = catalog.resolve(request.model());
        if (ref.isEmpty()) {
            Responder.error(response, OpenAiError.modelNotFound(request.model()), null, false);
            return;
        }
        lifecycle.deprecation(ref.get().model()).ifPresent(day -> response.putHeader(TokenHubHeaders.DEPRECATION, day));
        CatalogModel model;
        try {
            // Never a successor: vectors of another model do not compare with the ones a client already stored.
            model = lifecycle.current(ref.get(), request.model(), false).model();
        } catch (InvalidRequestException e) {
            Responder.error(response, e.error(), null, false);
            return;
        }
        if (!model.can(Capability.EMBEDDINGS)) {
            Responder.error(
                    response,
                    new OpenAiError(
                            400,
                            "invalid_request_error",
                            "The model '" + model.id()
                                    + "' is not an embeddings model; use it with /v1/chat/completions.",
                            "model",
                            "model_capability_missing",
                            null),
                    null,
                    false);
            return;
        }
        Optional<String> region = settings.get(in.accountId()).regionRestriction();
        if (region.isPresent() && !calls.servable(model, region)) {
            Responder.error(response, OpenAiError.notInRegion(request.model(), region.get()), null, false);
            return;
        }
        new Call(in, request, model, region, response).start();
    }

    /** One embeddings request's call to its provider. */
    private final class Call implements ProviderCalls.Handler {

        private final InboundRequest in;
        private final EmbeddingRequest request;
        private final CatalogModel model;
        private final Optional<String> region;
        private final HttpServerResponse response;
        private final EmbeddingsAdapter adapter;
        private boolean called;

        Call(
                InboundRequest in,
                EmbeddingRequest request,
                CatalogModel model,
                Optional<String> region,
                HttpServerResponse response) {
            this.in = in;
            this.request = request;
            this.model = model;
            this.region = region;
            this.response = response;
            this.adapter = adapters.forProvider(model.provider());
        }

        /** A request the provider could never take is a 400 whatever the provider's state, so it is judged first. */
        void start() {
            // The one candidate is every candidate: when it is DOWN, a trial request now and then still goes through.
            Route route = calls.route(model, request.model(), true, region);
            NativeRequest nativeRequest;
            try {
                nativeRequest = adapter.toNativeRequest(
                        request,
                        model,
                        route instanceof Ready ready ? ready.endpoint().apiKey() : "");
            } catch (InvalidRequestException e) {
                fail(e.error(), RequestStatus.CLIENT_ERROR);
                return;
            }
            if (route instanceof Skipped skipped) {
                fail(skipped.error(), RequestStatus.PROVIDER_ERROR);
                return;
            }
            called = true;
            // Embeddings have one candidate: the first call is the only one, never a fallback.
            calls.send(
                    model,
                    ((Ready) route).endpoint(),
                    nativeRequest,
                    adapter::toOpenAiError,
                    request.model(),
                    1,
                    false,
                    this);
        }

        @Override
        public void onResponse(HttpClientResponse upstream, long headMillis) {
            int status = upstream.statusCode();
            upstream.body().onComplete(ar -> {
                if (ar.failed()) {
                    fail(
                            OpenAiError.badGateway(
                                    "The provider closed the connection before the answer was complete."),
                            RequestStatus.PROVIDER_ERROR);
                } else if (status < 200 || status >= 300) {
                    fail(
                            adapter.toOpenAiError(
                                    status, upstream.headers(), ar.result().getBytes()),
                            RequestStatus.CLIENT_ERROR);
                } else {
                    answer(ar.result().getBytes());
                }
            });
            upstream.resume();
        }

        private void answer(byte[] nativeBody) {
            TranslatedResponse translated;
            try {
                translated = adapter.toOpenAiResponse(request, model, nativeBody);
            } catch (RuntimeException e) {
                Log.warnf(
                        "request %s: untranslatable embeddings from %s: %s",
                        in.requestId(),
                        model.provider().wireName(),
                        e.getClass().getSimpleName());
                fail(
                        OpenAiError.badGateway("The provider sent an answer TokenHub could not read."),
                        RequestStatus.PROVIDER_ERROR);
                return;
            }
            // Spooled before the answer is handed over: an answered request is never without its bill.
            UsageEvent event = finish(RequestStatus.SUCCEEDED, 200, translated.usage(), adapter.usageSource());
            if (!response.closed()) {
                // The cost shown is the spooled event's, priced as billing will price it.
                Optional<Charge> charge = UsageCost.charge(pricing, event);
                charge.ifPresent(c -> response.putHeader(
                        TokenHubHeaders.COST_USD, c.totalUsd().toPlainString()));
                Responder.json(
                        response,
                        charge.map(c -> UsageCost.withCost(translated.body(), c))
                                .orElse(translated.body()),
                        model.provider(),
                        false);
            }
        }

        @Override
        public void onFailure(Classified classified, long elapsedMillis) {
            fail(classified.error(), RequestStatus.PROVIDER_ERROR);
        }

        /** Fails the request; the routing headers name the provider only when it was called. */
        private void fail(OpenAiError error, RequestStatus status) {
            finish(status, error.status(), Usage.NONE, UsageSource.REPORTED);
            Responder.error(response, error, called ? model.provider() : null, false);
        }

        private UsageEvent finish(RequestStatus status, int httpStatus, Usage usage, UsageSource source) {
            UsageEvent event = in.usageEvent(
                    request.model(),
                    model,
                    usage.inputTokens(),
                    0,
                    0,
                    0,
                    0,
                    null,
                    status,
                    httpStatus,
                    0,
                    false,
                    source);
            publisher.publish(event);
            metrics.record(event);
            Responder.usedTokens(response, event.inputTokens());
            return event;
        }
    }
}
