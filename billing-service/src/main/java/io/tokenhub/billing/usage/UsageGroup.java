package io.tokenhub.billing.usage;

import io.tokenhub.billing.access.AccountScope;
import io.tokenhub.billing.api.TimeWindow;
import io.tokenhub.billing.ledger.LedgerQueries;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The ledger summed per (model, provider, key, day, api): one database pass from which every breakdown and the grand
 * total are folded, so they cannot disagree with each other.
 *
 * @param keyName the key's name on its lines (the latest one, should lines disagree); null when none carried one
 * @param api the wire name of the public API the requests came through
 */
public record UsageGroup(
        String model, String provider, String keyId, String keyName, LocalDate day, String api, UsageAmounts amounts) {

    /** The constructor HQL's {@code select new} calls, with the types its aggregates return. */
    public UsageGroup(
            String model,
            String provider,
            String keyId,
            String keyName,
            LocalDate day,
            String api,
            Long requests,
            Long answered,
            Long input,
            Long cached,
            Long cacheWrite5m,
            Long cacheWrite1h,
            Long output,
            BigDecimal providerCost,
            BigDecimal routingFee,
            BigDecimal total) {
        this(
                model,
                provider,
                keyId,
                keyName,
                day,
                api,
                new UsageAmounts(
                        requests,
                        answered,
                        input,
                        cached,
                        cacheWrite5m,
                        cacheWrite1h,
                        output,
                        providerCost,
                        routingFee,
                        total));
    }

    /** The scope's lines in the window, summed per model, provider, key, UTC day and API. */
    public static List<UsageGroup> query(EntityManager em, AccountScope scope, TimeWindow window) {
        LedgerQueries.Filter filter = LedgerQueries.filter(scope, window);
        TypedQuery<UsageGroup> query = em.createQuery(
                "select new " + UsageGroup.class.getName() + "(model, provider, keyId, max(keyName), usageDay, api,"
                        + " count(*), sum(case when answered then 1L else 0L end), sum(inputTokens),"
                        + " sum(cachedTokens), sum(cacheWrite5mTokens), sum(cacheWrite1hTokens), sum(outputTokens),"
                        + " sum(providerCostUsd), sum(routingFeeUsd), sum(totalUsd)) from LedgerLine where "
                        + filter.where()
                        + " group by model, provider, keyId, usageDay, api",
                UsageGroup.class);
        filter.params().map().forEach(query::setParameter);
        return query.getResultList();
    }
}
