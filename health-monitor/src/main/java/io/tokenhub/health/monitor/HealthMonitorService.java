package io.tokenhub.health.monitor;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.AvailabilityEvent;
import io.tokenhub.health.availability.AvailabilityPublisher;
import io.tokenhub.health.availability.PublishedAvailability;
import io.tokenhub.health.config.HealthConfig;
import io.tokenhub.health.config.ProvidersConfig;
import io.tokenhub.health.leader.Leadership;
import io.tokenhub.health.metrics.ProviderMetrics;
import io.tokenhub.health.probe.ProbeResult;
import io.tokenhub.health.probe.ProviderProbeClient;
import io.tokenhub.health.status.AvailabilityUpdate;
import io.tokenhub.health.status.Observation;
import io.tokenhub.health.status.ProviderHealthBook;
import io.tokenhub.health.status.StatusPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the monitor: records every observation on every replica, and on the leader alone probes each configured
 * provider every {@code tokenhub.health.probe-interval}, judges, and publishes changes at once and everything every
 * {@code tokenhub.health.publish-interval}.
 */
@ApplicationScoped
public class HealthMonitorService {

    /** Headroom over the probe timeout for a round whose probes all run in parallel. */
    private static final Duration ROUND_SLACK = Duration.ofSeconds(5);

    private final ProviderHealthBook book;
    private final ProvidersConfig providers;
    private final ProviderProbeClient probes;
    private final AvailabilityPublisher publisher;
    private final PublishedAvailability inForce;
    private final Leadership leadership;
    private final ProviderMetrics metrics;
    private final Duration roundTimeout;

    public HealthMonitorService(
            HealthConfig health,
            ProvidersConfig providers,
            ProviderProbeClient probes,
            AvailabilityPublisher publisher,
            PublishedAvailability inForce,
            Leadership leadership,
            ProviderMetrics metrics) {
        this.book = new ProviderHealthBook(StatusPolicy.of(health));
        this.providers = providers;
        this.probes = probes;
        this.publisher = publisher;
        this.inForce = inForce;
        this.leadership = leadership;
        this.metrics = metrics;
        this.roundTimeout = health.probeTimeout().plus(ROUND_SLACK);
    }

    void announceProviders(@Observes StartupEvent event) {
        for (Provider provider : Provider.values()) {
            ProvidersConfig.Endpoint endpoint = providers.endpoint(provider);
            if (!providers.probed(provider)) {
                Log.infof("%s has no base URL: not probed, judged from reported calls alone", provider.wireName());
            } else if (endpoint.apiKey().filter(key -> !key.isBlank()).isEmpty()) {
                Log.warnf(
                        "%s is probed at %s without an API key: expect it to be refused",
                        provider.wireName(), endpoint.baseUrl().orElseThrow());
            } else {
                Log.infof(
                        "%s is probed at %s",
                        provider.wireName(), endpoint.baseUrl().orElseThrow());
            }
        }
    }

    /** Takes in one observation; on the leader a provider or model that got worse is published at once. */
    public void record(Provider provider, String model, Observation observation) {
        book.record(provider, model, observation);
        if (takeTurn()) {
            publishChanges(book.react(Instant.now()));
        }
    }

    @Scheduled(
            identity = "provider-probes",
            every = "{tokenhub.health.probe-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probeRound() {
        if (!takeTurn()) {
            return;
        }
        publisher.flush();
        // First, while this round's own writes are not yet read back: entries another leader wrote.
        publishChanges(book.reconcile(inForce.all()));
        for (ProbeResult result : probeAll()) {
            metrics.probed(result);
            book.record(
                    result.provider(),
                    null,
                    new Observation(result.at(), result.success(), result.latencyMs(), Observation.Source.PROBE));
        }
        // The lease may have been lost while the probes ran.
        if (takeTurn()) {
            publishChanges(book.check(Instant.now()));
        }
    }

    @Scheduled(
            identity = "availability-republish",
            every = "{tokenhub.health.publish-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void republish() {
        if (takeTurn()) {
            publisher.publish(book.snapshot(Instant.now()));
        }
    }

    private List<ProbeResult> probeAll() {
        List<Uni<ProbeResult>> round = Arrays.stream(Provider.values())
                .filter(providers::probed)
                .map(probes::probe)
                .toList();
        if (round.isEmpty()) {
            return List.of();
        }
        return Uni.join().all(round).andFailFast().await().atMost(roundTimeout);
    }

    /** Brings the book in line with leadership; returns whether this replica judges and publishes. */
    private synchronized boolean takeTurn() {
        boolean leader = leadership.isLeader();
        if (leader && !book.isJudging()) {
            publishChanges(book.lead(inForce.all()));
        } else if (!leader && book.isJudging()) {
            book.resign();
        }
        return leader;
    }

    private void publishChanges(List<AvailabilityUpdate> updates) {
        updates.forEach(HealthMonitorService::announce);
        publisher.publish(updates);
    }

    private static void announce(AvailabilityUpdate update) {
        if (update.isTombstone()) {
            Log.infof("%s follows its provider's status again", update.key());
            return;
        }
        AvailabilityEvent event = update.event();
        String line = "%s is %s (error rate %.2f, latency %d ms)";
        switch (event.status()) {
            case DOWN -> Log.warnf(line, update.key(), event.status(), event.errorRate(), event.latencyMs());
            case DEGRADED, UP -> Log.infof(line, update.key(), event.status(), event.errorRate(), event.latencyMs());
        }
    }
}
