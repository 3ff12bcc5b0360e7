package io.tokenhub.health.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.common.events.AvailabilityStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AvailabilityTrackerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** 60 s window, 5 samples, DEGRADED from 10 %, DOWN from 50 %, 3 failures in a row, 3 checks to recover. */
    private static final StatusPolicy POLICY =
            new StatusPolicy(Duration.ofSeconds(60), 5, 0.1, 0.5, 3, 3, Duration.ofSeconds(2));

    private final AvailabilityTracker tracker = new AvailabilityTracker(POLICY, Observation.Source.PROBE);
    private Instant now = T0;

    @Test
    void noStatusUntilASuccessOrDown() {
        observe(false);
        assertFalse(tracker.judge(now, true));
        assertEquals(Optional.empty(), tracker.status());

        observe(true);
        assertTrue(tracker.judge(now, true));
        assertEquals(Optional.of(AvailabilityStatus.UP), tracker.status());
    }

    @Test
    void consecutiveFailuresMakeItDownAtOnceEvenWithoutPeriodicCheck() {
        upWith(30);
        failTimes(2);
        assertFalse(tracker.judge(now, false), "2 of 32 is below the 10 % band, 2 in a row below the threshold");
        assertEquals(Optional.of(AvailabilityStatus.UP), tracker.status());
        failTimes(1);
        assertTrue(tracker.judge(now, false), "the third failure in a row");
        assertEquals(Optional.of(AvailabilityStatus.DOWN), tracker.status());
    }

    @Test
    void errorRateInTheLowerBandIsDegradedAndAboveTheThresholdDown() {
        upWith(8);
        // Never three failures in a row here: only the rate decides.
        observe(false);
        observe(true);
        assertTrue(tracker.judge(now, false));
        assertEquals(Optional.of(AvailabilityStatus.DEGRADED), tracker.status(), "1 of 10 = 10 %");
        assertEquals(0.1, tracker.errorRate(), 1e-9);

        for (int i = 0; i < 10; i++) {
            failTimes(2);
            observe(true);
        }
        assertTrue(tracker.judge(now, false));
        assertEquals(Optional.of(AvailabilityStatus.DOWN), tracker.status(), "21 of 40 = 52.5 %");
    }

    @Test
    void theRateNeedsMinimumSamples() {
        observe(true);
        observe(false);
        tracker.judge(now, true);
        assertEquals(Optional.of(AvailabilityStatus.UP), tracker.status(), "50 % of 2 samples is no evidence yet");
    }

    @Test
    void recoveryWaitsForConsecutiveBetterChecks() {
        upWith(5);
        failTimes(3);
        tracker.judge(now, true);
        assertEquals(Optional.of(AvailabilityStatus.DOWN), tracker.status());

        // The failures leave the window and a success comes in: the verdict is UP at once, the status on the 3rd check.
        leaveWindow();
        observe(true);
        assertFalse(tracker.judge(now, true));
        assertEquals(AvailabilityStatus.UP, tracker.verdict());
        assertFalse(tracker.judge(now, false), "a reaction to an observation never improves a status");
        assertFalse(tracker.judge(now, true));
        assertEquals(Optional.of(AvailabilityStatus.DOWN), tracker.status());
        assertTrue(tracker.judge(now, true));
        assertEquals(Optional.of(AvailabilityStatus.UP), tracker.status());
    }

    @Test
    void aRelapseResetsTheRecoveryCount() {
        upWith(5);
        failTimes(3);
        tracker.judge(now, true);
        leaveWindow();
        observe(true);
        assertFalse(tracker.judge(now, true));
        assertFalse(tracker.judge(now, true));

        failTimes(3);
        assertFalse(tracker.judge(now, true), "DOWN again: no change, and the two better checks are forgotten");
        leaveWindow();
        observe(true);
        assertFalse(tracker.judge(now, true));
        assertFalse(tracker.judge(now, true));
        assertEquals(Optional.of(AvailabilityStatus.DOWN), tracker.status());
        assertTrue(tracker.judge(now, true));
        assertEquals(Optional.of(AvailabilityStatus.UP), tracker.status());
    }

    @Test
    void recoveryFromDownCanStopAtDegraded() {
        upWith(5);
        failTimes(5);
        tracker.judge(now, true);
        assertEquals(Optional.of(AvailabilityStatus.DOWN), tracker.status());
        successes(15);
        assertEquals(
                AvailabilityStatus.DEGRADED,
                tracker.verdict(),
                "5 of 20 = 25 %: the successes from before the outage no longer count");
        assertFalse(tracker.judge(now, true));
        assertFalse(tracker.judge(now, true));
        assertTrue(tracker.judge(now, true));
        assertEquals(Optional.of(AvailabilityStatus.DEGRADED), tracker.status());
    }

    @Test
    void aRecoveringProviderDoesNotFlapBackToDownAsOldSuccessesLeaveTheWindow() {
        upWith(40);
        now = now.plusSeconds(30);
        failTimes(10);
        assertTrue(tracker.judge(now, false));
        assertEquals(Optional.of(AvailabilityStatus.DOWN), tracker.status());
        // Back, and probed every 5 s. Counting the 40 old successes, 10 of 51 would be DEGRADED at once, and DOWN
        // again once they left the window while the 10 failures were still in it.
        List<AvailabilityStatus> seen = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            now = now.plusSeconds(5);
            observe(true);
            tracker.judge(now, true);
            seen.add(tracker.status().orElseThrow());
        }
        int better = seen.indexOf(AvailabilityStatus.DEGRADED) >= 0
                ? seen.indexOf(AvailabilityStatus.DEGRADED)
                : seen.indexOf(AvailabilityStatus.UP);
        assertTrue(better > 0, seen.toString());
        assertFalse(seen.subList(better, seen.size()).contains(AvailabilityStatus.DOWN), seen.toString());
        assertEquals(AvailabilityStatus.UP, seen.get(seen.size() - 1), seen.toString());
    }

    @Test
    void slowProbesMakeItDegradedButSlowTrafficDoesNot() {
        observe(true, 5000, Observation.Source.TRAFFIC);
        tracker.judge(now, true);
        assertEquals(
                Optional.of(AvailabilityStatus.UP),
                tracker.status(),
                "a call's latency includes generating the answer");
        observe(true, 2500, Observation.Source.PROBE);
        assertTrue(tracker.judge(now, false));
        assertEquals(Optional.of(AvailabilityStatus.DEGRADED), tracker.status());
        assertEquals(2500, tracker.latencyMs());
    }

    @Test
    void observationsLeaveTheWindow() {
        failTimes(2);
        leaveWindow();
        failTimes(1);
        tracker.judge(now, true);
        assertEquals(Optional.empty(), tracker.status(), "the two old failures no longer count towards three");
        assertEquals(1.0, tracker.errorRate());
        leaveWindow();
        tracker.judge(now, true);
        assertTrue(tracker.isEmpty());
        assertEquals(0.0, tracker.errorRate());
    }

    @Test
    void anAdoptedStatusKeepsItsHysteresis() {
        tracker.adopt(AvailabilityStatus.DOWN);
        successes(5);
        assertFalse(tracker.judge(now, true));
        assertFalse(tracker.judge(now, true));
        assertTrue(tracker.judge(now, true));
        assertEquals(Optional.of(AvailabilityStatus.UP), tracker.status());
    }

    @Test
    void policyRejectsBandsInTheWrongOrder() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new StatusPolicy(Duration.ofSeconds(60), 5, 0.5, 0.1, 3, 3, Duration.ofSeconds(2)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new StatusPolicy(Duration.ofSeconds(60), 5, 0.1, 1.5, 3, 3, Duration.ofSeconds(2)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new StatusPolicy(Duration.ofSeconds(60), 0, 0.1, 0.5, 3, 3, Duration.ofSeconds(2)));
    }

    /** Successes, then a check that makes the status UP. */
    private void upWith(int count) {
        successes(count);
        tracker.judge(now, true);
        assertEquals(Optional.of(AvailabilityStatus.UP), tracker.status());
    }

    private void successes(int count) {
        for (int i = 0; i < count; i++) {
            observe(true);
        }
    }

    /** Past the window and its last bucket, so everything observed so far is gone. */
    private void leaveWindow() {
        now = now.plus(POLICY.window()).plus(POLICY.bucketWidth()).plusSeconds(1);
    }

    private void failTimes(int failures) {
        for (int i = 0; i < failures; i++) {
            observe(false);
        }
    }

    private void observe(boolean success) {
        observe(success, 100, Observation.Source.PROBE);
    }

    private void observe(boolean success, long latencyMs, Observation.Source source) {
        now = now.plusMillis(10);
        tracker.add(new Observation(now, success, latencyMs, source));
    }
}
