package io.tokenhub.routing.chat;

import io.tokenhub.routing.availability.AvailabilityService;
import io.tokenhub.routing.config.RoutingConfig;
import io.tokenhub.routing.providers.ProviderAdapters;
import io.tokenhub.routing.strategy.LatencyTracker;
import io.tokenhub.routing.upstream.ProviderClient;
import io.tokenhub.routing.usage.UsagePublisher;
import jakarta.inject.Singleton;

/** What every request's attempts use, gathered once so an attempt is a plain object made per request. */
@Singleton
final class AttemptDependencies {

    final ProviderAdapters adapters;
    final ProviderClient providers;
    final AvailabilityService availability;
    final LatencyTracker latency;
    final UsagePublisher publisher;
    /** How long one request may keep trying providers. */
    final long deadlineNanos;

    AttemptDependencies(ProviderAdapters adapters, ProviderClient providers, AvailabilityService availability,
            LatencyTracker latency, UsagePublisher publisher, RoutingConfig config) {
        this.adapters = adapters;
        this.providers = providers;
        this.availability = availability;
        this.latency = latency;
        this.publisher = publisher;
        this.deadlineNanos = config.fallback().deadline().toNanos();
    }
}
