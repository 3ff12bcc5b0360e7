package io.tokenhub.billing.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    @Test
    void accountsWithAnOverrideKeepTheirOwnNumberOfDays() {
        RetentionPolicy policy = new RetentionPolicy(400, Map.of("enterprise", 2555), 7);
        Instant now = Instant.parse("2026-11-24T00:00:00Z");
        assertEquals(Instant.parse("2025-10-20T00:00:00Z"), policy.cutoff("acme", now));
        assertEquals(2555, policy.daysFor("enterprise"));
        assertEquals(now.minusSeconds(2555L * 86_400), policy.cutoff("enterprise", now));
    }

    @Test
    void aClosedInvoiceIsKeptSevenYearsFromTheEndOfItsMonth() {
        RetentionPolicy policy = new RetentionPolicy(400, Map.of(), 7);
        // November 2019 ended 2019-12-01: kept until 2026-12-01, then purged; December 2019 is kept a month longer.
        assertEquals(YearMonth.of(2019, 11), policy.firstInvoiceKept(Instant.parse("2026-11-30T23:59:59Z")));
        assertEquals(YearMonth.of(2019, 12), policy.firstInvoiceKept(Instant.parse("2026-12-01T00:00:00Z")));
        assertEquals(
                YearMonth.of(2016, 12),
                new RetentionPolicy(400, Map.of(), 10).firstInvoiceKept(Instant.parse("2026-12-15T00:00:00Z")));
    }

    @Test
    void refusesAnInvoiceKeepPeriodBelowAYear() {
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(400, Map.of(), 0));
    }

    @Test
    void refusesRetentionShorterThanADay() {
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(0, Map.of(), 7));
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(30, Map.of("a", 0), 7));
    }
}
