package io.tokenhub.common.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenhub.common.pricing.CacheWritePricingTest.Fee;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingFeesTest {

    private static final Instant JAN_2027 = Instant.parse("2027-01-01T00:00:00Z");
    private static final Instant JUL_2027 = Instant.parse("2027-07-01T00:00:00Z");

    @Test
    void theSingleKeysFeeHoldsSinceTheEpochAndADatedOneFromItsInstant() {
        // Given out of order: the schedule sorts them.
        RoutingFees fees = new RoutingFees(
                new BigDecimal("0.0001"),
                List.of(new Fee(JUL_2027, new BigDecimal("0.0003")), new Fee(JAN_2027, new BigDecimal("0.0002"))));
        assertEquals(new BigDecimal("0.00010000"), fees.at(Instant.EPOCH));
        assertEquals(new BigDecimal("0.00010000"), fees.at(JAN_2027.minusNanos(1)));
        assertEquals(new BigDecimal("0.00020000"), fees.at(JAN_2027));
        assertEquals(new BigDecimal("0.00020000"), fees.at(JUL_2027.minusNanos(1)));
        assertEquals(new BigDecimal("0.00030000"), fees.at(JUL_2027));
        assertEquals(
                List.of(Instant.EPOCH, JAN_2027, JUL_2027),
                fees.schedule().stream().map(RoutingFees.Entry::effectiveFrom).toList());
    }

    @Test
    void aFlatFeeIsTheSameAtEveryInstant() {
        RoutingFees fees = RoutingFees.flat(new BigDecimal("0.0001"));
        assertEquals(new BigDecimal("0.00010000"), fees.at(Instant.EPOCH));
        assertEquals(new BigDecimal("0.00010000"), fees.at(JUL_2027));
        assertEquals(1, fees.schedule().size());
    }

    @Test
    void aFeeThatWouldNeedRoundingOrIsNegativeIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> RoutingFees.flat(new BigDecimal("0.000000015")));
        assertThrows(IllegalArgumentException.class, () -> RoutingFees.flat(new BigDecimal("-0.01")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RoutingFees(BigDecimal.ZERO, List.of(new Fee(JAN_2027, new BigDecimal("0.000000015")))));
        assertEquals(
                new BigDecimal("0.00000000"), RoutingFees.flat(BigDecimal.ZERO).at(JAN_2027));
    }

    @Test
    void twoFeesCannotTakeEffectAtOnce() {
        BigDecimal fee = new BigDecimal("0.0002");
        assertThrows(
                IllegalArgumentException.class,
                () -> new RoutingFees(fee, List.of(new Fee(JAN_2027, fee), new Fee(JAN_2027, fee))));
        // The epoch belongs to the single key.
        assertThrows(IllegalArgumentException.class, () -> new RoutingFees(fee, List.of(new Fee(Instant.EPOCH, fee))));
        assertThrows(IllegalArgumentException.class, () -> new RoutingFees(fee, List.of(new Fee(null, fee))));
    }
}
