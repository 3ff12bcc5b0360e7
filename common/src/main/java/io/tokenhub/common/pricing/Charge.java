package io.tokenhub.common.pricing;

import io.tokenhub.common.catalog.Price;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What one request costs.
 *
 * @param answered whether a provider answered, which is what the routing fee is charged for
 * @param priceEffectiveFrom the catalog entry applied; null when nothing needed pricing (a failure with no tokens)
 * @param rates the rates applied, tier already chosen; null exactly when {@code priceEffectiveFrom} is
 * @param providerCostUsd tokens at those rates, rounded once by {@link Money#round}
 * @param routingFeeUsd the routing fee, or zero for an unanswered request
 * @param totalUsd the exact sum of the two
 */
public record Charge(
        boolean answered,
        Instant priceEffectiveFrom,
        Price.Rates rates,
        BigDecimal providerCostUsd,
        BigDecimal routingFeeUsd,
        BigDecimal totalUsd) {

    /** A request that reached no provider and consumed no tokens. */
    public static Charge free() {
        return new Charge(false, null, null, Money.ZERO, Money.ZERO, Money.ZERO);
    }
}
