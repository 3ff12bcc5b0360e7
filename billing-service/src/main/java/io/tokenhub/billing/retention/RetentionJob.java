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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Deletes usage metadata past its account's retention. Runs in small chunks, each its own transaction, so a large
 * purge never blocks the consumer; several replicas running it at once only share the work.
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
        long deleted = purge(Instant.now());
        if (deleted > 0) {
            Log.infof("retention purge deleted %d ledger lines", deleted);
        }
    }

    /** Deletes every line past retention at {@code now}; returns how many. */
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

    private long purgeChunks(String condition, List<Object> params) {
        String sql = "delete from billing.usage_ledger where id in (select id from billing.usage_ledger where "
                + condition + " limit " + chunk + ")";
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
