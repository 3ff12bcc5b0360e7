package io.tokenhub.billing.invoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tokenhub.service.error.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class ClosedMonthsTest {

    private static final Duration GRACE = Duration.ofDays(3);

    @Test
    void aMonthIsDueToCloseOnceItsGracePeriodHasPassed() {
        // October ends 2026-11-01T00:00Z; with 3 days' grace it is due at 2026-11-04T00:00Z, not a second before.
        assertEquals(YearMonth.of(2026, 9), ClosedMonths.lastClosable(Instant.parse("2026-11-03T23:59:59Z"), GRACE));
        assertEquals(YearMonth.of(2026, 10), ClosedMonths.lastClosable(Instant.parse("2026-11-04T00:00:00Z"), GRACE));
        assertEquals(YearMonth.of(2026, 10), ClosedMonths.lastClosable(Instant.parse("2026-11-30T12:00:00Z"), GRACE));
        assertEquals(
                YearMonth.of(2026, 11),
                ClosedMonths.lastClosable(Instant.parse("2026-12-01T00:00:00Z"), Duration.ZERO));
    }

    @Test
    void anEventOfAnOpenMonthIsBilledInItsOwnMonth() {
        Instant now = Instant.parse("2026-11-02T10:00:00Z");
        // October is still in its grace period: the last closed month is September
        assertEquals(
                new ClosedMonths.Placement(YearMonth.of(2026, 10), null),
                ClosedMonths.place(Instant.parse("2026-10-31T23:59:59.999999Z"), YearMonth.of(2026, 9), now));
        assertEquals(
                new ClosedMonths.Placement(YearMonth.of(2026, 11), null),
                ClosedMonths.place(Instant.parse("2026-11-01T00:00:00Z"), YearMonth.of(2026, 9), now));
        // nothing closed yet at all
        assertEquals(
                new ClosedMonths.Placement(YearMonth.of(2020, 3), null),
                ClosedMonths.place(Instant.parse("2020-03-15T00:00:00Z"), null, now));
    }

    @Test
    void aLateEventOfAClosedMonthIsAnAdjustmentInTheOpenMonthItArrivesIn() {
        Instant now = Instant.parse("2026-11-20T10:00:00Z");
        assertEquals(
                new ClosedMonths.Placement(YearMonth.of(2026, 11), YearMonth.of(2026, 10)),
                ClosedMonths.place(Instant.parse("2026-10-31T23:59:59Z"), YearMonth.of(2026, 10), now));
        assertEquals(
                new ClosedMonths.Placement(YearMonth.of(2026, 11), YearMonth.of(2026, 2)),
                ClosedMonths.place(Instant.parse("2026-02-01T00:00:00Z"), YearMonth.of(2026, 10), now));
        // a clock behind the closed months never bills into a closed month: the first open one takes it
        assertEquals(
                new ClosedMonths.Placement(YearMonth.of(2026, 12), YearMonth.of(2026, 10)),
                ClosedMonths.place(Instant.parse("2026-10-05T00:00:00Z"), YearMonth.of(2026, 11), now));
    }

    @Test
    void theInvoicePeriodMustBeASaneMonth() {
        YearMonth current = YearMonth.of(2026, 12);
        assertEquals(YearMonth.of(2020, 1), InvoiceResource.month("2020-01", current));
        assertEquals(YearMonth.of(2027, 1), InvoiceResource.month("2027-01", current));
        for (String bad :
                new String[] {"2019-12", "2027-02", "0000-01", "2025-13", "2025-00", "2025-1", "202501", ""}) {
            ApiException e = assertThrows(ApiException.class, () -> InvoiceResource.month(bad, current), bad);
            assertEquals(400, e.status(), bad);
        }
    }
}
