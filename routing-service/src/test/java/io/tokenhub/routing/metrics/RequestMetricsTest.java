package io.tokenhub.routing.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.Api;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.events.UsageSource;
import io.tokenhub.common.pricing.PriceCalculator;
import io.tokenhub.common.pricing.RoutingFees;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {

    private static final Catalog CATALOG = CatalogLoader.load(Optional.empty());
    private static final PriceCalculator PRICING =
            new PriceCalculator(CATALOG, RoutingFees.flat(new BigDecimal("0.0001")));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMetrics metrics = new RequestMetrics(registry, PRICING, CATALOG);

    @Test
    void aRequestCountsItsOutcomeTokensCostAndTimes() throws Exception {
        UsageEvent streamed = event("gpt-4o-mini", "openai", RequestStatus.SUCCEEDED, 1, 1_200L);
        metrics.record(streamed);
        assertEquals(1.0, count("tokenhub_requests_total", "status", "succeeded"));
        assertEquals(1.0, count("tokenhub_fallback_requests_total", null, null));
        assertEquals(1_000.0, count("tokenhub_tokens_total", "kind", "input"));
        assertEquals(200.0, count("tokenhub_tokens_total", "kind", "output"));
        assertEquals(100.0, count("tokenhub_tokens_total", "kind", "cached"));
        assertEquals(
                PRICING.charge(streamed).totalUsd().doubleValue(),
                registry.get("tokenhub_cost_usd_total").counter().count(),
                1e-12);
        assertEquals(2_500.0, registry.get("tokenhub_request_duration").timer().totalTime(TimeUnit.MILLISECONDS));
        assertEquals(
                1_200.0, registry.get("tokenhub_time_to_first_token").timer().totalTime(TimeUnit.MILLISECONDS));
    }

    @Test
    void eachSeriesAccumulatesAcrossRequestsAndStaysApartFromTheOthers() {
        metrics.record(event("gpt-4o-mini", "openai", RequestStatus.SUCCEEDED, 0, 300L));
        metrics.record(event("gpt-4o-mini", "openai", RequestStatus.SUCCEEDED, 0, 500L));
        metrics.record(event("gpt-4o-mini", "openai", RequestStatus.PROVIDER_ERROR, 0, null));
        metrics.record(event("gpt-4.1-mini", "openai", RequestStatus.SUCCEEDED, 0, null));
        assertEquals(2.0, count("tokenhub_requests_total", "status", "succeeded"));
        assertEquals(1.0, count("tokenhub_requests_total", "status", "provider_error"));
        assertEquals(3_000.0, count("tokenhub_tokens_total", "kind", "input"));
        assertEquals(
                3L,
                registry.get("tokenhub_request_duration")
                        .tag("model", "gpt-4o-mini")
                        .timer()
                        .count());
        assertEquals(800.0, registry.get("tokenhub_time_to_first_token").timer().totalTime(TimeUnit.MILLISECONDS));
        assertEquals(
                1.0,
                registry.get("tokenhub_requests_total")
                        .tag("model", "gpt-4.1-mini")
                        .tag("status", "succeeded")
                        .counter()
                        .count());
    }

    @Test
    void labelsStayWithinTheCatalogWhateverAnEventSays() {
        metrics.record(event("made-up-model-" + System.nanoTime(), "acme", RequestStatus.PROVIDER_ERROR, 0, null));
        assertEquals(
                1.0,
                registry.get("tokenhub_requests_total")
                        .tag("model", RequestMetrics.OTHER)
                        .tag("provider", RequestMetrics.OTHER)
                        .tag("status", "provider_error")
                        .counter()
                        .count());
        assertEquals(
                1.0, registry.get("tokenhub_unpriced_requests_total").counter().count());
        assertNull(registry.find("tokenhub_time_to_first_token").timer(), "no first token, no sample");
    }

    @Test
    void skippedCandidatesAreCountedByReason() {
        metrics.skipped(Provider.ANTHROPIC, "down");
        metrics.skipped(Provider.ANTHROPIC, "down");
        assertEquals(
                2.0,
                registry.get("tokenhub_routing_skipped_total")
                        .tag("provider", "anthropic")
                        .tag("reason", "down")
                        .counter()
                        .count());
    }

    private double count(String name, String tag, String value) {
        RequiredSearch search = registry.get(name).tag("model", "gpt-4o-mini").tag("provider", "openai");
        return (tag == null ? search : search.tag(tag, value)).counter().count();
    }

    private static UsageEvent event(String model, String provider, RequestStatus status, int fallbacks, Long ttft) {
        return new UsageEvent(
                UsageEvent.CURRENT_VERSION,
                "req-metrics",
                "acct",
                "key",
                model,
                model,
                provider,
                model,
                1_000,
                200,
                100,
                2_500,
                ttft,
                status,
                status == RequestStatus.SUCCEEDED ? 200 : 502,
                fallbacks,
                ttft != null,
                Instant.now(),
                null,
                null,
                Api.CHAT_COMPLETIONS,
                UsageSource.REPORTED,
                0,
                0);
    }
}
