package io.tokenhub.health.outcomes;

import io.quarkus.logging.Log;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.events.ProviderOutcome;
import io.tokenhub.common.events.Topics;
import io.tokenhub.health.monitor.HealthMonitorService;
import io.tokenhub.health.status.Observation;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds what routing-service saw on real calls ({@value Topics#PROVIDER_OUTCOMES}) into the health book. Every
 * replica reads every outcome, so whichever replica becomes leader already knows the recent past.
 */
@ApplicationScoped
public class ProviderOutcomeConsumer {

    private final HealthMonitorService monitor;
    private final Set<String> unknownProviders = ConcurrentHashMap.newKeySet();

    public ProviderOutcomeConsumer(HealthMonitorService monitor) {
        this.monitor = monitor;
    }

    /**
     * Whole polls at a time, each record a provider's outcomes in the order routing saw them (a partition per
     * provider keeps the records in order too), so the health book's streaks see the calls as they happened.
     */
    @Incoming("provider-outcomes")
    void onRecords(ConsumerRecords<String, ProviderOutcome[]> records) {
        for (ConsumerRecord<String, ProviderOutcome[]> record : records) {
            if (record.value() != null) {
                for (ProviderOutcome outcome : record.value()) {
                    if (outcome != null) {
                        onOutcome(outcome);
                    }
                }
            }
        }
    }

    private void onOutcome(ProviderOutcome outcome) {
        Provider provider = Provider.find(outcome.provider()).orElse(null);
        if (provider == null) {
            if (unknownProviders.add(String.valueOf(outcome.provider()))) {
                Log.warnf("Ignoring outcomes for unknown provider '%s'", outcome.provider());
            }
            return;
        }
        observation(outcome).ifPresent(observation -> monitor.record(provider, outcome.model(), observation));
    }

    /** The observation an outcome stands for; none when the provider was not actually called. */
    static Optional<Observation> observation(ProviderOutcome outcome) {
        // A failure routing could not classify (no kind) still is a failure of this provider.
        if (!outcome.success() && outcome.failureKind() != null && !providerWasCalled(outcome.failureKind())) {
            return Optional.empty();
        }
        Instant at = outcome.at() == null ? Instant.now() : outcome.at();
        return Optional.of(new Observation(at, outcome.success(), outcome.latencyMs(), Observation.Source.TRAFFIC));
    }

    private static boolean providerWasCalled(ProviderOutcome.FailureKind kind) {
        return switch (kind) {
            case CONNECTION, TIMEOUT, SERVER_ERROR, RATE_LIMITED -> true;
            // Counting a call routing's open breaker skipped would keep a provider DOWN on failures that opened the
            // breaker and were counted already.
            case CIRCUIT_OPEN -> false;
        };
    }
}
