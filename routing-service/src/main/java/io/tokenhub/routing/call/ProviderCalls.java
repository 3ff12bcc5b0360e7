package io.tokenhub.routing.call;

import io.opentelemetry.api.trace.Span;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.events.AvailabilityStatus;
import io.tokenhub.common.events.ProviderOutcome;
import io.tokenhub.common.events.ProviderOutcome.FailureKind;
import io.tokenhub.routing.availability.AvailabilityService;
import io.tokenhub.routing.metrics.RequestMetrics;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.spi.NativeRequest;
import io.tokenhub.routing.tracing.Tracing;
import io.tokenhub.routing.upstream.ProviderClient;
import io.tokenhub.routing.upstream.ProviderClient.Endpoint;
import io.tokenhub.routing.upstream.ProviderFailureException;
import io.tokenhub.routing.upstream.ProviderFailures;
import io.tokenhub.routing.upstream.ProviderFailures.Classified;
import io.tokenhub.routing.upstream.ProviderFailures.ErrorTranslator;
import io.tokenhub.routing.usage.UsagePublisher;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One call to one provider, the unit chat (with its fallback) and embeddings share: may the model be called now, send
 * the native request through the provider's client (timeout, breaker), classify a failure, report the outcome to
 * health-monitor, and continue on the caller's event loop. What the answer means (relay, translate, fall back) stays
 * with the caller.
 */
@Singleton
public class ProviderCalls {

    /** How often a model reported DOWN takes a trial request while every candidate of a request is DOWN. */
    static final long PANIC_TRIAL_NANOS = 1_000_000_000L;

    private final ProviderClient client;
    private final AvailabilityService availability;
    private final UsagePublisher publisher;
    private final RequestMetrics metrics;
    private final Tracing tracing;
    /** When each DOWN model last took a trial request, by provider/model. */
    private final Map<String, Long> lastTrial = new ConcurrentHashMap<>();

    public ProviderCalls(
            ProviderClient client,
            AvailabilityService availability,
            UsagePublisher publisher,
            RequestMetrics metrics,
            Tracing tracing) {
        this.client = client;
        this.availability = availability;
        this.publisher = publisher;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /** Whether {@code model} can be called now, and where. */
    public sealed interface Route permits Ready, Skipped {}

    /** Call it at {@code endpoint}. */
    public record Ready(Endpoint endpoint) implements Route {}

    /**
     * Do not call it: health-monitor reports it DOWN ({@code down}), or no base URL is configured; {@code error} says
     * which.
     */
    public record Skipped(OpenAiError error, boolean down) implements Route {}

    /** What a sent call ends in; both run on the event loop that sent it. */
    public interface Handler {

        /** The provider answered; the body is paused for the handler to read. */
        void onResponse(HttpClientResponse upstream, long headMillis);

        /** The call failed before an answer: 5xx, 429, timeout, connection error or an open breaker. */
        void onFailure(Classified failure, long elapsedMillis);
    }

    /** Whether {@code model}'s provider has an endpoint in {@code region}, or any endpoint when no region is given. */
    public boolean servable(CatalogModel model, Optional<String> region) {
        return client.endpoint(model.provider(), region).isPresent();
    }

    /**
     * Where {@code model} can be called, in {@code region} when the account is restricted to one; {@code
     * requestedModel} is the name the client sent, for the messages. In
     * {@code panic} (every candidate of the request was reported DOWN) a DOWN model still takes one trial request per
     * {@link #PANIC_TRIAL_NANOS}: verdicts lag a recovery, and without trials a recovered fleet would stay idle until
     * they caught up, while letting every request through would make each wait on a provider that is really down.
     */
    public Route route(CatalogModel model, String requestedModel, boolean panic, Optional<String> region) {
        if (availability.status(model.provider(), model.id()) == AvailabilityStatus.DOWN
                && !(panic && trialAllowed(model))) {
            metrics.skipped(model.provider(), "down");
            return new Skipped(
                    OpenAiError.unavailable("The provider serving '" + requestedModel
                            + "' is currently unavailable. Please retry shortly."),
                    true);
        }
        return client.endpoint(model.provider(), region).<Route>map(Ready::new).orElseGet(() -> {
            metrics.skipped(model.provider(), "not_configured");
            return new Skipped(
                    OpenAiError.unavailable(
                            "The provider serving '" + requestedModel + "' is not configured on this" + " TokenHub"
                                    + region.map(r -> " in region '" + r + "'").orElse("") + "."),
                    false);
        });
    }

    /**
     * Sends {@code request} to {@code model}'s provider, publishes the call's outcome and hands the result to
     * {@code handler} on the calling event loop: a provider stream's handlers set from another thread could miss events
     * the event loop delivers meanwhile. {@code attempt}
     * (1 for the request's first call) and {@code fallback} (a backup is called) only label the call's span.
     */
    public void send(
            CatalogModel model,
            Endpoint endpoint,
            NativeRequest request,
            ErrorTranslator errors,
            String requestedModel,
            int attempt,
            boolean fallback,
            Handler handler) {
        Context context = Vertx.currentContext();
        long started = System.nanoTime();
        Span span = tracing.providerCall(model, requestedModel, attempt, fallback);
        client.send(endpoint, request)
                .onComplete(ar -> onContext(context, () -> {
                    long millis = elapsedMillis(started);
                    if (ar.succeeded()) {
                        HttpClientResponse upstream = ar.result();
                        Tracing.answered(span, upstream.statusCode());
                        outcome(model, true, null, millis);
                        handler.onResponse(upstream, millis);
                        return;
                    }
                    Throwable failure = ar.cause();
                    Classified classified = ProviderFailures.classify(failure, errors, requestedModel);
                    Tracing.failed(
                            span,
                            classified.kind() == null
                                    ? "busy"
                                    : classified.kind().name().toLowerCase(Locale.ROOT),
                            failure instanceof ProviderFailureException pfe ? pfe.status() : 0);
                    // A failure of this replica's own (its pool full) says nothing about the provider.
                    if (classified.kind() != null) {
                        outcome(model, false, classified.kind(), millis);
                    }
                    handler.onFailure(classified, millis);
                }));
    }

    /** Claims the trial slot of {@code model} when its interval has passed; one caller wins it. */
    private boolean trialAllowed(CatalogModel model) {
        long now = System.nanoTime();
        String key = model.provider().wireName() + "/" + model.id();
        Long last = lastTrial.get(key);
        if (last == null) {
            return lastTrial.putIfAbsent(key, now) == null;
        }
        return now - last >= PANIC_TRIAL_NANOS && lastTrial.replace(key, last, now);
    }

    private void outcome(CatalogModel model, boolean success, FailureKind kind, long millis) {
        publisher.publish(
                new ProviderOutcome(model.provider().wireName(), model.id(), success, kind, millis, Instant.now()));
    }

    private static void onContext(Context context, Runnable step) {
        if (context == null || Vertx.currentContext() == context) {
            step.run();
        } else {
            context.runOnContext(v -> step.run());
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
