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
    public UsageGroup(
            String model,
            String provider,
            String keyId,
            LocalDate day,
            Long requests,
            Long answered,
            Long input,
            Long cached,
            Long output,
            BigDecimal providerCost,
            BigDecimal routingFee,
            BigDecimal total) {
        this(
                model,
                provider,
                keyId,
                day,
                new UsageAmounts(requests, answered, input, cached, output, providerCost, routingFee, total));
    }

    /** How finely lines are summed. */
    public enum Grouping {
        /** Per model and provider: invoice lines; key and day are left null. */
        MODEL("model, provider, cast(null as String), cast(null as LocalDate)", "model, provider"),
        /** Per model, provider, key and UTC day: enough to fold every usage breakdown from. */
        MODEL_KEY_DAY("model, provider, keyId, usageDay", "model, provider, keyId, usageDay");

        private final String select;
        private final String groupBy;

        Grouping(String select, String groupBy) {
            this.select = select;
            this.groupBy = groupBy;
        }
    }

    /** The scope's lines in the window, summed per {@code grouping}. */
    public static List<UsageGroup> query(EntityManager em, AccountScope scope, TimeWindow window, Grouping grouping) {
        LedgerQueries.Filter filter = LedgerQueries.filter(scope, window);
        TypedQuery<UsageGroup> query = em.createQuery(select(grouping, filter.where()), UsageGroup.class);
        filter.params().map().forEach(query::setParameter);
        return query.getResultList();
    }

    private static String select(Grouping grouping, String where) {
        return "select new " + UsageGroup.class.getName() + "(" + grouping.select + ", count(*), "
                + "sum(case when answered then 1L else 0L end), sum(inputTokens), sum(cachedTokens), "
                + "sum(outputTokens), sum(providerCostUsd), sum(routingFeeUsd), sum(totalUsd)) "
                + "from LedgerLine where " + where + " group by " + grouping.groupBy;
    }
}
