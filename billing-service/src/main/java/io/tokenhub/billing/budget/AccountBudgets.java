package io.tokenhub.billing.budget;

import io.tokenhub.common.events.AccountSpend;
import io.tokenhub.common.pricing.Money;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Accounts' monthly budgets (table {@code account_budget}) and what they spent in a month, from the ledger's running
 * totals.
 */
@ApplicationScoped
public class AccountBudgets {

    private final EntityManager em;

    public AccountBudgets(EntityManager em) {
        this.em = em;
    }

    /** The account's monthly limit in USD, if it set one. Call within a transaction. */
    public Optional<BigDecimal> limit(String accountId) {
        List<?> rows = em.createNativeQuery(
                        "SELECT monthly_limit_usd FROM billing.account_budget WHERE account_id = ?1")
                .setParameter(1, accountId)
                .getResultList();
        return rows.stream().findFirst().map(v -> Money.round((BigDecimal) v));
    }

    /** Sets the limit, or removes it when {@code limitUsd} is empty. Call within a transaction. */
    public void set(String accountId, Optional<BigDecimal> limitUsd, Instant now) {
        if (limitUsd.isEmpty()) {
            em.createNativeQuery("DELETE FROM billing.account_budget WHERE account_id = ?1")
                    .setParameter(1, accountId)
                    .executeUpdate();
            return;
        }
        em.createNativeQuery(
                        "INSERT INTO billing.account_budget (account_id, monthly_limit_usd, updated_at) VALUES (?1, ?2, ?3)"
                                + " ON CONFLICT (account_id) DO UPDATE SET monthly_limit_usd = EXCLUDED.monthly_limit_usd,"
                                + " updated_at = EXCLUDED.updated_at")
                .setParameter(1, accountId)
                .setParameter(2, limitUsd.get())
                .setParameter(3, now)
                .executeUpdate();
    }

    /**
     * The account's spend in {@code month}: every ledger line invoiced in that month (late events of a closed month
     * included, as its adjustments are), in total and per key, with its budget. Read from the running totals the
     * ledger's triggers keep (migration V10), a row per key, so its cost does not grow with the account's traffic.
     * Call within a transaction.
     */
    public AccountSpend spend(String accountId, YearMonth month, Instant now) {
        List<?> rows = em.createNativeQuery("SELECT keyed, key_id, total_usd FROM billing.account_key_spend"
                        + " WHERE account_id = ?1 AND invoice_month = ?2 ORDER BY key_id")
                .setParameter(1, accountId)
                .setParameter(2, month.atDay(1))
                .getResultList();
        BigDecimal total = Money.ZERO;
        List<AccountSpend.KeySpend> keys = new ArrayList<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            BigDecimal spent = Money.round((BigDecimal) columns[2]);
            total = total.add(spent);
            // Lines made without a key count in the account's total only: there is no key to list them under.
            if ((Boolean) columns[0]) {
                keys.add(new AccountSpend.KeySpend((String) columns[1], spent));
            }
        }
        return new AccountSpend(accountId, month, total, limit(accountId).orElse(null), keys, now);
    }
}
