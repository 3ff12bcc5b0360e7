package io.tokenhub.billing.usage;

import io.tokenhub.common.pricing.Money;
import java.math.BigDecimal;

/**
 * Counts and money summed over ledger lines. Sums are exact (integer counts, fixed-scale decimals), so a total made
 * by adding breakdown lines equals the total of the lines themselves.
 *
 * @param requestCount ledger lines, failed requests included
 * @param answeredRequestCount lines charged the routing fee
 */
public record UsageAmounts(
        long requestCount,
        long answeredRequestCount,
        long inputTokens,
        long cachedTokens,
        long outputTokens,
        BigDecimal providerCostUsd,
        BigDecimal routingFeeUsd,
        BigDecimal totalUsd) {

    public static final UsageAmounts ZERO = new UsageAmounts(0, 0, 0, 0, 0, Money.ZERO, Money.ZERO, Money.ZERO);

    public UsageAmounts plus(UsageAmounts o) {
        return new UsageAmounts(
                requestCount + o.requestCount,
                answeredRequestCount + o.answeredRequestCount,
                inputTokens + o.inputTokens,
                cachedTokens + o.cachedTokens,
                outputTokens + o.outputTokens,
                providerCostUsd.add(o.providerCostUsd),
                routingFeeUsd.add(o.routingFeeUsd),
                totalUsd.add(o.totalUsd));
    }
}
