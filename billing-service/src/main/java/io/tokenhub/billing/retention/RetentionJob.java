package io.tokenhub.billing.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tokenhub.billing.BillingConfig;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Deletes usage metadata past its account's retention, only from months whose invoices are closed, and closed
 * invoices past their legal keep period. Lines go in small chunks, each its own transaction, so a large purge never
 * blocks the consumer; several replicas running it at once only share the work.
 */
@Singleton
public class RetentionJob {

    private final RetentionPolicy policy;
    private final EntityManager em;
    private final int chunk;
    private final Counter purged;

    public RetentionJob(RetentionPolicy policy, EntityManager em, BillingConfig config, MeterRegistry registry) {
        this.policy = policy;
        this.em = em;
        this.chunk = config.retention().purgeChunk();
        this.purged = Counter.builder("tokenhub.billing.retention.purged")
                .description("Ledger lines deleted because their retention ended")
                .register(registry);
    }

    @Scheduled(
            every = "${tokenhub.billing.retention.purge-every}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Instant now = Instant.now();
        long deleted = purge(now);
        if (deleted > 0) {
            Log.infof("retention purge deleted %d ledger lines", deleted);
        }
        long invoices = purgeInvoices(now);
        if (invoices > 0) {
            Log.infof("retention purge deleted %d invoices past their legal keep period", invoices);
        }
    }

    /** Deletes every line of a closed month past retention at {@code now}; returns how many. */
    public long purge(Instant now) {
        long deleted = 0;
        for (Map.Entry<String, Integer> override : policy.overrides().entrySet()) {
            deleted += purgeChunks(
                    "account_id = ?1 and occurred_at < ?2",
                    List.of(override.getKey(), utc(policy.cutoff(override.getKey(), now))));
        }
        Instant defaultCutoff = now.minus(Duration.ofDays(policy.defaultDays()));
        if (policy.overrides().isEmpty()) {
            deleted += purgeChunks("occurred_at < ?1", List.of(utc(defaultCutoff)));
        } else {
            deleted += purgeChunks(
                    "occurred_at < ?1 and account_id <> all(?2)",
                    List.of(utc(defaultCutoff), policy.overrides().keySet().toArray(String[]::new)));
        }
        purged.increment(deleted);
        return deleted;
    }

    /**
     * Deletes the invoices of months that ended more than the legal keep period before {@code now} (their lines go
     * with them); returns how many invoices.
     */
    public long purgeInvoices(Instant now) {
        LocalDate firstKept = policy.firstInvoiceKept(now).atDay(1);
        return QuarkusTransaction.requiringNew()
                .call(() -> em.createNativeQuery("delete from billing.invoice where period < ?1")
                        .setParameter(1, firstKept)
                        .executeUpdate());
    }

    private long purgeChunks(String condition, List<Object> params) {
        // Only lines on closed invoices: an open month's invoice is still summed from its lines, and a closed one
        // was copied when it closed, so a purge can never change what any invoice says. The ledger's delete trigger
        // subtracts the purged lines from the running totals in this same transaction (migration V10), so those stay
        // the ledger's exact sum; the month whose spend is published is open, so no purge changes a published figure.
        String sql = "delete from billing.usage_ledger where id in (select id from billing.usage_ledger where "
                + condition + " and invoice_month <= (select max(period) from billing.closed_period) limit " + chunk
                + ")";
        long total = 0;
        while (true) {
            int n = QuarkusTransaction.requiringNew().call(() -> {
                var query = em.createNativeQuery(sql);
                for (int i = 0; i < params.size(); i++) {
                    query.setParameter(i + 1, params.get(i));
                }
                return query.executeUpdate();
            });
            total += n;
            if (n < chunk) {
                return total;
            }
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
