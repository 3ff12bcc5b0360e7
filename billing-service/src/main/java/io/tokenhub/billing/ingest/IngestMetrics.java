package io.tokenhub.billing.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;

/** The consumer's meters, all registered at start so dashboards and alerts see zeros rather than gaps. */
@Singleton
public class IngestMetrics {

    private final Counter billed;
    private final Counter duplicates;
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private final Counter storeFailures;
    private final Timer batches;

    public IngestMetrics(MeterRegistry registry) {
        billed = Counter.builder("tokenhub.billing.events")
                .tag("outcome", "billed")
                .description("Usage events written to the ledger")
                .register(registry);
        duplicates = Counter.builder("tokenhub.billing.events")
                .tag("outcome", "duplicate")
                .description("Redelivered usage events recognised and not billed again")
                .register(registry);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(
                    reason,
                    Counter.builder("tokenhub.billing.dead.letters")
                            .tag("reason", reason.code())
                            .description("Usage events sent to the dead-letter topic")
                            .register(registry));
        }
        storeFailures = Counter.builder("tokenhub.billing.store.failures")
                .description("Batches PostgreSQL or Kafka refused, retried with backoff")
                .register(registry);
        batches = Timer.builder("tokenhub.billing.batch.duration")
                .description("Time to price, store and settle one consumed batch")
                .register(registry);
    }

    void billed(int n) {
        billed.increment(n);
    }

    void duplicates(int n) {
        duplicates.increment(n);
    }

    void deadLettered(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    void storeFailed() {
        storeFailures.increment();
    }

    Timer batches() {
        return batches;
    }
}
