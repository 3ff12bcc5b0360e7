package io.tokenhub.routing.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.Api;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.pricing.PriceCalculator;
import io.tokenhub.common.pricing.UnpriceableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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

    private static final String REQUESTS = "tokenhub_requests_total";
    private static final String FALLBACKS = "tokenhub_fallback_requests_total";
    private static final String TOKENS = "tokenhub_tokens_total";
    private static final String COST = "tokenhub_cost_usd_total";
    private static final String UNPRICED = "tokenhub_unpriced_requests_total";
    private static final String DURATION = "tokenhub_request_duration";
    private static final String DURATION_HELP = "From the request reaching routing-service to its last byte";
    private static final String FIRST_TOKEN = "tokenhub_time_to_first_token";
    private static final String FIRST_TOKEN_HELP =
            "From the request reaching routing-service to the first streamed token";
    private static final Map<RequestStatus, String> STATUS_LABELS = statusLabels();

    private final MeterRegistry registry;
    private final PriceCalculator pricing;
    private final Set<String> models;
    private final Set<String> providers;
    private final ConcurrentMap<Series, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Series, Timer> timers = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry, PriceCalculator pricing, Catalog catalog) {
        this.registry = registry;
        this.pricing = pricing;
        this.models = catalog.models().stream().map(CatalogModel::id).collect(Collectors.toUnmodifiableSet());
        this.providers =
                Set.of(Provider.values()).stream().map(Provider::wireName).collect(Collectors.toUnmodifiableSet());
    }

    /** Counts one finished request, once, from the usage event it was billed with. */
    public void record(UsageEvent event) {
        Api api = event.api();
        String provider = bounded(event.provider(), providers);
        String model = bounded(event.model(), models);
        counter(new Series(REQUESTS, api, provider, model, "status", STATUS_LABELS.get(event.status())))
                .increment();
        if (event.fallbackAttempts() > 0) {
            // The request reached this provider after at least one other failed.
            counter(new Series(FALLBACKS, api, provider, model, null, null)).increment();
        }
        tokens(api, provider, model, "input", event.inputTokens());
        tokens(api, provider, model, "output", event.outputTokens());
        tokens(api, provider, model, "cached", event.cachedTokens());
        timer(new Series(DURATION, api, provider, model, null, null), DURATION_HELP, LATENCY_BUCKETS)
                .record(Duration.ofMillis(event.latencyMs()));
        if (event.timeToFirstTokenMs() != null) {
            timer(new Series(FIRST_TOKEN, api, provider, model, null, null), FIRST_TOKEN_HELP, FIRST_TOKEN_BUCKETS)
                    .record(Duration.ofMillis(event.timeToFirstTokenMs()));
        }
        try {
            BigDecimal cost = pricing.charge(event).totalUsd();
            if (cost.signum() > 0) {
                // A view of spend, not a bill: the ledger keeps the exact amount, Prometheus a double of it.
                counter(new Series(COST, api, provider, model, null, null)).increment(cost.doubleValue());
            }
        } catch (UnpriceableException e) {
            counter(new Series(UNPRICED, api, provider, model, null, null)).increment();
        }
    }

    /** Counts a candidate passed over before any call: {@code down} (reported DOWN) or {@code not_configured}. */
    public void skipped(Provider provider, String reason) {
        registry.counter("tokenhub_routing_skipped_total", "provider", provider.wireName(), "reason", reason)
                .increment();
    }

    private void tokens(Api api, String provider, String model, String kind, long tokens) {
        if (tokens > 0) {
            counter(new Series(TOKENS, api, provider, model, "kind", kind)).increment(tokens);
        }
    }

    private Counter counter(Series series) {
        return counters.computeIfAbsent(series, s -> registry.counter(s.name(), s.tags()));
    }

    private Timer timer(Series series, String description, Duration[] buckets) {
        return timers.computeIfAbsent(
                series,
                s -> Timer.builder(s.name())
                        .description(description)
                        .tags(s.tags())
                        .serviceLevelObjectives(buckets)
                        .register(registry));
    }

    private static Map<RequestStatus, String> statusLabels() {
        Map<RequestStatus, String> labels = new EnumMap<>(RequestStatus.class);
        for (RequestStatus status : RequestStatus.values()) {
            labels.put(status, status.name().toLowerCase(Locale.ROOT));
        }
        return labels;
    }

    private static String bounded(String value, Set<String> known) {
        return value != null && known.contains(value) ? value : OTHER;
    }

    /**
     * One series: a meter's name and labels. Looked up in a map rather than registered again per request, which would
     * build, sort and filter its tags each time; the set stays small, as every label comes from a closed set.
     */
    private record Series(String name, Api api, String provider, String model, String detailTag, String detail) {

        Tags tags() {
            Tags tags = Tags.of("api", api.wireName(), "provider", provider, "model", model);
            return detailTag == null ? tags : tags.and(detailTag, detail);
        }
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(Math.round(values[i] * 1000));
        }
        return durations;
    }
}
