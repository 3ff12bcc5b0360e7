package io.tokenhub.routing.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.pricing.PriceCalculator;
import io.tokenhub.common.pricing.UnpriceableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What operators plot and alert on, per request: requests by outcome, tokens, cost, fallbacks, time to first token
 * and total latency, by API, provider and model, taken from the request's usage event, so the figures are the ones
 * billing charges. Every label comes from a closed set (the catalog's models and providers, the event's enums): no
 * client input can add a series, and no content is ever near them.
 */
@ApplicationScoped
public class RequestMetrics {

    /** Provider latency spans milliseconds (an embedding) to minutes (a long reasoning answer). */
    private static final Duration[] LATENCY_BUCKETS = seconds(0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300);

    private static final Duration[] FIRST_TOKEN_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30);

    /** The label of a model or provider outside the catalog; events name catalog models only, so it stays empty. */
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final PriceCalculator pricing;
    private final Set<String> models;
    private final Set<String> providers;

    public RequestMetrics(MeterRegistry registry, PriceCalculator pricing, Catalog catalog) {
        this.registry = registry;
        this.pricing = pricing;
        this.models = catalog.models().stream().map(CatalogModel::id).collect(Collectors.toUnmodifiableSet());
        this.providers =
                Set.of(Provider.values()).stream().map(Provider::wireName).collect(Collectors.toUnmodifiableSet());
    }

    /** Counts one finished request, once, from the usage event it was billed with. */
    public void record(UsageEvent event) {
        Tags where = Tags.of(
                "api", event.api().wireName(),
                "provider", bounded(event.provider(), providers),
                "model", bounded(event.model(), models));
        registry.counter(
                        "tokenhub_requests_total",
                        where.and("status", event.status().name().toLowerCase(Locale.ROOT)))
                .increment();
        if (event.fallbackAttempts() > 0) {
            // The request reached this provider after at least one other failed.
            registry.counter("tokenhub_fallback_requests_total", where).increment();
        }
        tokens(where, "input", event.inputTokens());
        tokens(where, "output", event.outputTokens());
        tokens(where, "cached", event.cachedTokens());
        Timer.builder("tokenhub_request_duration")
                .description("From the request reaching routing-service to its last byte")
                .tags(where)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(Duration.ofMillis(event.latencyMs()));
        if (event.timeToFirstTokenMs() != null) {
            Timer.builder("tokenhub_time_to_first_token")
                    .description("From the request reaching routing-service to the first streamed token")
                    .tags(where)
                    .serviceLevelObjectives(FIRST_TOKEN_BUCKETS)
                    .register(registry)
                    .record(Duration.ofMillis(event.timeToFirstTokenMs()));
        }
        try {
            BigDecimal cost = pricing.charge(event).totalUsd();
            if (cost.signum() > 0) {
                // A view of spend, not a bill: the ledger keeps the exact amount, Prometheus a double of it.
                registry.counter("tokenhub_cost_usd_total", where).increment(cost.doubleValue());
            }
        } catch (UnpriceableException e) {
            registry.counter("tokenhub_unpriced_requests_total", where).increment();
        }
    }

    /** Counts a candidate passed over before any call: {@code down} (reported DOWN) or {@code not_configured}. */
    public void skipped(Provider provider, String reason) {
        registry.counter("tokenhub_routing_skipped_total", "provider", provider.wireName(), "reason", reason)
                .increment();
    }

    private void tokens(Tags where, String kind, long tokens) {
        if (tokens > 0) {
            registry.counter("tokenhub_tokens_total", where.and("kind", kind)).increment(tokens);
        }
    }

    private static String bounded(String value, Set<String> known) {
        return value != null && known.contains(value) ? value : OTHER;
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(Math.round(values[i] * 1000));
        }
        return durations;
    }
}
