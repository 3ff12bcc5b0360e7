package io.tokenhub.health.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.AvailabilityEvent;
import io.tokenhub.common.events.AvailabilityStatus;
import io.tokenhub.health.availability.PublishedAvailability;
import io.tokenhub.health.leader.Leadership;
import io.tokenhub.health.probe.ProbeResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Locale;

/**
 * Provider health for Prometheus. The gauges show the published state, so every replica reports what routing sees;
 * the probe timer counts only on the leader, which is the one probing.
 */
@ApplicationScoped
public class ProviderMetrics {

    private final MeterRegistry registry;
    private final PublishedAvailability inForce;
    private final Leadership leadership;

    public ProviderMetrics(MeterRegistry registry, PublishedAvailability inForce, Leadership leadership) {
        this.registry = registry;
        this.inForce = inForce;
        this.leadership = leadership;
    }

    void register(@Observes StartupEvent event) {
        for (Provider provider : Provider.values()) {
            for (AvailabilityStatus status : AvailabilityStatus.values()) {
                Gauge.builder(
                                "tokenhub.provider.status",
                                inForce,
                                view -> view.provider(provider)
                                                .filter(e -> e.status() == status)
                                                .isPresent()
                                        ? 1
                                        : 0)
                        .description("1 for the provider's published status, 0 for the others; all 0 while unknown")
                        .tags("provider", provider.wireName(), "status", status.name())
                        .strongReference(true)
                        .register(registry);
            }
            Gauge.builder(
                            "tokenhub.provider.error.rate",
                            inForce,
                            view -> view.provider(provider)
                                    .map(AvailabilityEvent::errorRate)
                                    .orElse(Double.NaN))
                    .description("Share of failed probes and calls over the window, as published")
                    .tag("provider", provider.wireName())
                    .strongReference(true)
                    .register(registry);
            Gauge.builder(
                            "tokenhub.provider.latency",
                            inForce,
                            view -> view.provider(provider)
                                    .map(e -> e.latencyMs() / 1000.0)
                                    .orElse(Double.NaN))
                    .description("Latency of the provider's last successful probe, as published")
                    .tag("provider", provider.wireName())
                    .baseUnit("seconds")
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder("tokenhub.health.leader", leadership, l -> l.isLeader() ? 1 : 0)
                .description("1 on the replica that probes and publishes")
                .strongReference(true)
                .register(registry);
    }

    /** Counts and times one probe. */
    public void probed(ProbeResult result) {
        Timer.builder("tokenhub.provider.probe")
                .description("Probes of each provider's list-models call, by result")
                .tags(
                        "provider",
                        result.provider().wireName(),
                        "result",
                        result.success() ? "success" : result.failure().name().toLowerCase(Locale.ROOT))
                .register(registry)
                .record(Duration.ofMillis(result.latencyMs()));
    }
}
