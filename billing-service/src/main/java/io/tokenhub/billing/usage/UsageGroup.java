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
 * The ledger summed per (model, provider, key, day): one database pass from which every breakdown and the grand
 * total are folded, so they cannot disagree with each other.
 */
public record UsageGroup(String model, String provider, String keyId, LocalDate day, UsageAmounts amounts) {

    /** The constructor HQL's {@code select new} calls, with the types its aggregates return. */
    public UsageGroup(String model, String provider, String keyId, LocalDate day, Long requests, Long answered,
            Long input, Long cached, Long output, BigDecimal providerCost, BigDecimal routingFee, BigDecimal total) {
        this(model, provider, keyId, day, new UsageAmounts(requests, answered, input, cached, output, providerCost,
                routingFee, total));
    }

    /** The scope's lines in the window, summed per {@code groupBy} (HQL property names, fixed by the caller). */
    public static List<UsageGroup> query(EntityManager em, AccountScope scope, TimeWindow window, String groupBy) {
        LedgerQueries.Filter filter = LedgerQueries.filter(scope, window);
        TypedQuery<UsageGroup> query = em.createQuery(select(groupBy, filter.where()), UsageGroup.class);
        filter.params().map().forEach(query::setParameter);
        return query.getResultList();
    }

    private static String select(String groupBy, String where) {
        return "select new " + UsageGroup.class.getName() + "(" + groupBy + ", count(*), "
                + "sum(case when answered then 1L else 0L end), sum(inputTokens), sum(cachedTokens), "
                + "sum(outputTokens), sum(providerCostUsd), sum(routingFeeUsd), sum(totalUsd)) "
                + "from LedgerLine where " + where + " group by " + groupBy;
    }
}
