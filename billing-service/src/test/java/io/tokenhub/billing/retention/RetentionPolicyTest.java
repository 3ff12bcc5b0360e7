package io.tokenhub.billing.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    @Test
    void accountsWithAnOverrideKeepTheirOwnNumberOfDays() {
        RetentionPolicy policy = new RetentionPolicy(400, Map.of("enterprise", 2555));
        Instant now = Instant.parse("2026-11-24T00:00:00Z");
        assertEquals(Instant.parse("2025-10-20T00:00:00Z"), policy.cutoff("acme", now));
        assertEquals(2555, policy.daysFor("enterprise"));
        assertEquals(now.minusSeconds(2555L * 86_400), policy.cutoff("enterprise", now));
    }

    @Test
    void refusesRetentionShorterThanADay() {
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(0, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(30, Map.of("a", 0)));
    }
}
