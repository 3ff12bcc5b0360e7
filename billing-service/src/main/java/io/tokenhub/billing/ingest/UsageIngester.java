package io.tokenhub.billing.ingest;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.tokenhub.billing.BillingConfig;
import io.tokenhub.billing.budget.SpendPublisher;
import io.tokenhub.billing.retention.RetentionPolicy;
import io.tokenhub.common.pricing.PriceCalculator;
import io.tokenhub.common.pricing.UnpriceableException;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Bills one consumed batch: read and price every record, store the billable ones in one transaction, publish the
 * rejected ones to the dead-letter topic (with the single events PostgreSQL refuses, found by splitting the batch),
 * and only then return, which acknowledges the batch and lets its offsets be committed. A crash anywhere before that
 * redelivers the batch, and the ledger's unique constraint absorbs it.
 */
@Singleton
public class UsageIngester {

    private final PriceCalculator calculator;
    private final RetentionPolicy retention;
    private final LedgerWriter writer;
    private final DeadLetterPublisher deadLetters;
    private final IngestMetrics metrics;
    private final SpendPublisher spend;
    private final BillingConfig.Store retry;
    private final Duration maxClockSkew;
    private volatile boolean stopping;

    public UsageIngester(
            PriceCalculator calculator,
            RetentionPolicy retention,
            LedgerWriter writer,
            DeadLetterPublisher deadLetters,
            IngestMetrics metrics,
            SpendPublisher spend,
            BillingConfig config) {
        this.calculator = calculator;
        this.retention = retention;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.spend = spend;
        this.retry = config.store();
        this.maxClockSkew = config.maxClockSkew();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    public void ingest(List<ConsumerRecord<String, String>> records) {
        metrics.batches().record(() -> settle(records));
    }

    private void settle(List<ConsumerRecord<String, String>> records) {
        Instant now = Instant.now();
        List<PricedEvent> billable = new ArrayList<>(records.size());
        List<DeadLetter> rejected = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            UsageEventReader.Result result = UsageEventReader.read(record.value(), now, maxClockSkew);
            if (result instanceof UsageEventReader.Rejected r) {
                rejected.add(new DeadLetter(record, r.reason(), r.detail()));
                continue;
            }
            var event = ((UsageEventReader.Accepted) result).event();
            if (event.occurredAt().isBefore(retention.cutoff(event.accountId(), now))) {
                rejected.add(new DeadLetter(
                        record,
                        DeadLetterReason.OUTSIDE_RETENTION,
                        "occurred_at "
                                + event.occurredAt() + " is older than the account's "
                                + retention.daysFor(event.accountId())
                                + "-day retention"));
                continue;
            }
            try {
                billable.add(new PricedEvent(event, calculator.charge(event), record));
            } catch (UnpriceableException e) {
                rejected.add(new DeadLetter(record, DeadLetterReason.of(e.reason()), e.getMessage()));
            }
        }
        LedgerWriter.StoreResult stored =
                billable.isEmpty() ? LedgerWriter.StoreResult.NONE : storeSplitting(billable, now, rejected);
        for (PricedEvent conflict : stored.conflicting()) {
            rejected.add(new DeadLetter(
                    conflict.source(),
                    DeadLetterReason.CONFLICTING_DUPLICATE,
                    "request " + conflict.event().requestId() + " of account "
                            + conflict.event().accountId() + " was billed already with different usage"));
        }
        if (!rejected.isEmpty()) {
            untilDone("publish " + rejected.size() + " dead letters", () -> {
                deadLetters.publish(rejected);
                return null;
            });
            for (DeadLetter letter : rejected) {
                metrics.deadLettered(letter.reason());
                Log.warnf(
                        "usage record %s-%d@%d dead-lettered: %s (%s)",
                        letter.source().topic(),
                        letter.source().partition(),
                        letter.source().offset(),
                        letter.reason().code(),
                        letter.detail());
            }
        }
        metrics.billed(stored.billed());
        metrics.duplicates(stored.duplicates());
        spend.changed(
                billable.stream().map(e -> e.event().accountId()).distinct().toList());
    }

    /**
     * Stores {@code events}; when PostgreSQL refuses them for their data, stores each half on its own, down to single
     * events, so only the events it refuses are dead-lettered and every other one is billed, once (a refused
     * transaction wrote nothing). An outage is retried in place by {@link #untilDone}, never split.
     */
    private LedgerWriter.StoreResult storeSplitting(List<PricedEvent> events, Instant now, List<DeadLetter> rejected) {
        try {
            return untilDone("store " + events.size() + " ledger lines", () -> writer.store(events, now));
        } catch (RefusedData refused) {
            if (events.size() == 1) {
                rejected.add(new DeadLetter(
                        events.get(0).source(), DeadLetterReason.REJECTED_BY_DATABASE, refused.getMessage()));
                return LedgerWriter.StoreResult.NONE;
            }
            Log.warnf("PostgreSQL refused a batch of %d events for its data; splitting it", events.size());
            int half = events.size() / 2;
            return storeSplitting(events.subList(0, half), now, rejected)
                    .plus(storeSplitting(events.subList(half, events.size()), now, rejected));
        }
    }

    /**
     * Retries a step that failed for a reason outside this batch (PostgreSQL or Kafka unavailable) with capped
     * exponential backoff. Giving up would either skip events or fail the channel; holding the batch keeps the
     * partition where it is until the dependency is back. A shutdown abandons it unacknowledged, to be redelivered.
     */
    private <T> T untilDone(String what, Step<T> step) {
        Duration pause = retry.initialBackoff();
        while (true) {
            try {
                return step.run();
            } catch (Exception e) {
                String refusal = DatabaseRefusal.detail(e);
                if (refusal != null) {
                    throw new RefusedData(refusal);
                }
                metrics.storeFailed();
                if (stopping) {
                    throw new IllegalStateException("stopping: batch left unacknowledged for redelivery", e);
                }
                Log.warnf("could not %s (%s); retrying in %d ms", what, e.toString(), pause.toMillis());
                sleep(pause);
                pause = pause.multipliedBy(2).compareTo(retry.maxBackoff()) > 0
                        ? retry.maxBackoff()
                        : pause.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: batch left unacknowledged for redelivery", e);
        }
    }

    /** PostgreSQL refused the rows themselves: retrying them unchanged cannot succeed. */
    private static final class RefusedData extends RuntimeException {
        RefusedData(String detail) {
            super(detail, null, false, false);
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws Exception;
    }
}
