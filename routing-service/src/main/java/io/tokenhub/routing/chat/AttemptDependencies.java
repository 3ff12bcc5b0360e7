package io.tokenhub.routing.chat;

import io.tokenhub.common.pricing.PriceCalculator;
import io.tokenhub.routing.call.ProviderCalls;
import io.tokenhub.routing.config.RoutingConfig;
import io.tokenhub.routing.metrics.RequestMetrics;
import io.tokenhub.routing.providers.ProviderAdapters;
import io.tokenhub.routing.strategy.LatencyTracker;
import io.tokenhub.routing.usage.UsagePublisher;
import jakarta.inject.Singleton;

/** What every request's attempts use, gathered once so an attempt is a plain object made per request. */
@Singleton
final class AttemptDependencies {

    final ProviderAdapters adapters;
    final ProviderCalls calls;
    final LatencyTracker latency;
    final UsagePublisher publisher;
    final PriceCalculator pricing;
    final RequestMetrics metrics;
    /** How long one request may keep trying providers. */
    final long deadlineNanos;

    AttemptDependencies(
            ProviderAdapters adapters,
            ProviderCalls calls,
            LatencyTracker latency,
            UsagePublisher publisher,
            PriceCalculator pricing,
            RequestMetrics metrics,
            RoutingConfig config) {
        this.pricing = pricing;
        this.metrics = metrics;
        this.adapters = adapters;
        this.calls = calls;
        this.latency = latency;
        this.publisher = publisher;
        this.deadlineNanos = config.fallback().deadline().toNanos();
    }
}
