package io.tokenhub.billing.retention;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-account retention set by administrators (table {@code account_retention}), handed to {@link RetentionPolicy}:
 * at start, on every change through this replica, and every 30 s for changes made through another replica.
 */
@Singleton
public class AccountRetentions {

    private final EntityManager em;
    private final RetentionPolicy policy;
    private volatile Map<String, Integer> stored = Map.of();

    public AccountRetentions(EntityManager em, RetentionPolicy policy) {
        this.em = em;
        this.policy = policy;
    }

    void onStart(@Observes StartupEvent event) {
        reload();
    }

    @Scheduled(every = "30s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reload() {
        Map<String, Integer> read = QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Integer> rows = new HashMap<>();
            for (Object row : em.createNativeQuery("select account_id, days from billing.account_retention")
                    .getResultList()) {
                Object[] columns = (Object[]) row;
                rows.put((String) columns[0], ((Number) columns[1]).intValue());
            }
            return rows;
        });
        stored = Map.copyOf(read);
        policy.useStored(read);
    }

    /** Whether an administrator set this account's retention. */
    public boolean isStored(String accountId) {
        return stored.containsKey(accountId);
    }

    /** Stores the account's retention in days, or removes it (back to the configured one) when empty. */
    public void set(String accountId, Optional<Integer> days, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (days.isEmpty()) {
                em.createNativeQuery("delete from billing.account_retention where account_id = ?1")
                        .setParameter(1, accountId)
                        .executeUpdate();
                return;
            }
            em.createNativeQuery("insert into billing.account_retention (account_id, days, updated_at)"
                            + " values (?1, ?2, ?3) on conflict (account_id) do update set days = excluded.days,"
                            + " updated_at = excluded.updated_at")
                    .setParameter(1, accountId)
                    .setParameter(2, days.get())
                    .setParameter(3, now)
                    .executeUpdate();
        });
        reload();
    }
}
