package io.tokenhub.billing.usage;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokenhub.common.pricing.Money;
import java.math.BigDecimal;

/**
 * Counts and money summed over ledger lines. Sums are exact (integer counts, fixed-scale decimals), so a total made
 * by adding breakdown lines equals the total of the lines themselves.
 *
 * @param requestCount ledger lines, failed requests included
 * @param answeredRequestCount lines charged the routing fee
 * @param cachedTokens the part of {@code inputTokens} read from a prompt cache
 * @param cacheWrite5mTokens the part of {@code inputTokens} written to a 5-minute prompt cache
 * @param cacheWrite1hTokens the part of {@code inputTokens} written to a 1-hour prompt cache
 */
public record UsageAmounts(
        long requestCount,
        long answeredRequestCount,
        long inputTokens,
        long cachedTokens,
        // Named outright: the snake-case strategy would write cache_write5m_tokens, unlike the ledger line.
        @JsonProperty("cache_write_5m_tokens") long cacheWrite5mTokens,
        @JsonProperty("cache_write_1h_tokens") long cacheWrite1hTokens,
        long outputTokens,
        BigDecimal providerCostUsd,
        BigDecimal routingFeeUsd,
        BigDecimal totalUsd) {

    public static final UsageAmounts ZERO = new UsageAmounts(0, 0, 0, 0, 0, 0, 0, Money.ZERO, Money.ZERO, Money.ZERO);

    public UsageAmounts plus(UsageAmounts o) {
        return new UsageAmounts(
                requestCount + o.requestCount,
                answeredRequestCount + o.answeredRequestCount,
                inputTokens + o.inputTokens,
                cachedTokens + o.cachedTokens,
                cacheWrite5mTokens + o.cacheWrite5mTokens,
                cacheWrite1hTokens + o.cacheWrite1hTokens,
                outputTokens + o.outputTokens,
                providerCostUsd.add(o.providerCostUsd),
                routingFeeUsd.add(o.routingFeeUsd),
                totalUsd.add(o.totalUsd));
    }
}
