package io.tokenhub.common.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The rounding rule, in one place: a ledger line's provider cost is computed exactly from integer token counts and
 * decimal rates, then rounded once to {@value #SCALE} decimals of a US dollar with {@link RoundingMode#HALF_EVEN};
 * the routing fee is a configured amount of at most {@value #SCALE} decimals; a line's total is their exact sum, and
 * every total the APIs show is the exact sum of stored lines. Nothing is ever rounded twice.
 */
public final class Money {

    /** Decimals kept for every amount: 10^-8 USD. */
    public static final int SCALE = 8;

    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;
    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

    private Money() {}

    /** Rounds an exact amount to a ledger amount: the only place money is rounded. */
    public static BigDecimal round(BigDecimal exact) {
        return exact.setScale(SCALE, ROUNDING);
    }

    /**
     * A configured amount as a ledger amount; refuses one that would need rounding, so a fee of "0.000000015" fails
     * the start instead of billing something other than what was configured.
     */
    public static BigDecimal exact(BigDecimal configured, String name) {
        if (configured.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + configured.toPlainString());
        }
        try {
            return configured.setScale(SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    name + " has more than " + SCALE + " decimals: " + configured.toPlainString(), e);
        }
    }
}
