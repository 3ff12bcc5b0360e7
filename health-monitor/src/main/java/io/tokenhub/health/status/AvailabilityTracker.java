package io.tokenhub.health.status;

import io.tokenhub.common.events.AvailabilityStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The status of one provider or one model, judged from a sliding window of observations. Getting worse takes
 * effect at once; getting better takes {@link StatusPolicy#recoveryChecks()} consecutive periodic checks that all
 * find a better verdict, so a provider that flaps does not flap routing with it. A key has no status until it has
 * seen a success or is judged DOWN: a lone failure is no evidence either way.
 *
 * <p>Not thread-safe: {@link ProviderHealthBook} serializes access.
 */
final class AvailabilityTracker {

    private final StatusPolicy policy;
    private final Observation.Source streakSource;
    private final Duration bucketWidth;
    /** Counts per time slice, oldest first, so memory stays bounded whatever the traffic. */
    private final ArrayDeque<Bucket> buckets = new ArrayDeque<>();

    private long total;
    private long failures;
    private long probeSuccesses;
    private long probeLatencySumMs;
    private long streakSamples;
    private int trailingFailures;
    private Long lastProbeLatencyMs;
    private Long lastTrafficLatencyMs;
    private AvailabilityStatus status;
    private int improvingChecks;
    private Instant checkedAt;

    /**
     * @param streakSource the observations whose consecutive failures count towards
     *         {@link StatusPolicy#failureThreshold()}: a provider's own probes (calls for one broken model must not
     *         take the whole provider DOWN; they count in its error rate), a model's calls
     */
    AvailabilityTracker(StatusPolicy policy, Observation.Source streakSource) {
        this.policy = policy;
        this.streakSource = streakSource;
        this.bucketWidth = policy.bucketWidth();
    }

    void add(Observation observation) {
        Bucket last = buckets.peekLast();
        // Outcomes can arrive slightly out of order; an older one joins the newest slice rather than reorder them.
        if (last == null || !observation.at().isBefore(last.start.plus(bucketWidth))) {
            last = new Bucket(observation.at());
            buckets.addLast(last);
        }
        last.total++;
        total++;
        boolean streak = observation.source() == streakSource;
        if (streak) {
            last.streakSamples++;
            streakSamples++;
        }
        if (observation.success()) {
            if (streak) {
                trailingFailures = 0;
            }
            if (observation.source() == Observation.Source.PROBE) {
                last.probeSuccesses++;
                last.probeLatencySumMs += observation.latencyMs();
                probeSuccesses++;
                probeLatencySumMs += observation.latencyMs();
                lastProbeLatencyMs = observation.latencyMs();
            } else {
                lastTrafficLatencyMs = observation.latencyMs();
            }
        } else {
            last.failures++;
            failures++;
            if (streak) {
                trailingFailures++;
            }
        }
    }

    /**
     * Re-judges at {@code now}. A periodic check may improve the status (after enough of them in a row); a reaction
     * to fresh observations may only make it worse.
     *
     * @return whether the status changed
     */
    boolean judge(Instant now, boolean periodic) {
        evict(now);
        checkedAt = now;
        AvailabilityStatus verdict = verdict();
        if (status == null) {
            if (verdict == AvailabilityStatus.DOWN || total > failures) {
                become(verdict);
                return true;
            }
            return false;
        }
        if (severity(verdict) > severity(status)) {
            become(verdict);
            return true;
        }
        if (!periodic) {
            return false;
        }
        if (severity(verdict) < severity(status) && ++improvingChecks >= policy.recoveryChecks()) {
            status = verdict;
            improvingChecks = 0;
            return true;
        }
        if (verdict == status) {
            improvingChecks = 0;
        }
        return false;
    }

    /** Takes over a status another leader published, so hysteresis carries on across a change of leader. */
    void adopt(AvailabilityStatus published) {
        become(published);
    }

    private void become(AvailabilityStatus worse) {
        if (worse == AvailabilityStatus.DOWN && status != AvailabilityStatus.DOWN) {
            forgetSuccesses();
        }
        status = worse;
        improvingChecks = 0;
    }

    /**
     * Once DOWN, successes from before the outage no longer speak for the provider. Were they kept, the error rate
     * would climb again as they left the window while the outage's failures stayed, and a recovering provider would
     * flap DOWN, DEGRADED, DOWN. Recovery is judged on the failures and on what comes after them.
     */
    private void forgetSuccesses() {
        for (Bucket bucket : buckets) {
            bucket.total = bucket.failures;
            bucket.probeSuccesses = 0;
            bucket.probeLatencySumMs = 0;
        }
        total = failures;
        probeSuccesses = 0;
        probeLatencySumMs = 0;
    }

    /** Forgets the status (not the observations): this replica no longer judges. */
    void resign() {
        status = null;
        improvingChecks = 0;
    }

    /** The verdict the window alone gives, before hysteresis. */
    AvailabilityStatus verdict() {
        if (trailingFailures >= policy.failureThreshold()) {
            return AvailabilityStatus.DOWN;
        }
        if (total >= policy.minSamples()) {
            double rate = errorRate();
            if (rate >= policy.downErrorRate()) {
                return AvailabilityStatus.DOWN;
            }
            if (rate >= policy.degradedErrorRate()) {
                return AvailabilityStatus.DEGRADED;
            }
        }
        if (probeSuccesses > 0
                && probeLatencySumMs / probeSuccesses
                        > policy.slowProbeLatency().toMillis()) {
            return AvailabilityStatus.DEGRADED;
        }
        return AvailabilityStatus.UP;
    }

    Optional<AvailabilityStatus> status() {
        return Optional.ofNullable(status);
    }

    /** Share of failed observations in the window; 0 when it is empty. */
    double errorRate() {
        return total == 0 ? 0 : (double) failures / total;
    }

    /** Latency of the last successful probe, else of the last successful reported call; 0 when none. */
    long latencyMs() {
        if (lastProbeLatencyMs != null) {
            return lastProbeLatencyMs;
        }
        return lastTrafficLatencyMs == null ? 0 : lastTrafficLatencyMs;
    }

    Instant checkedAt() {
        return checkedAt;
    }

    /** Whether no observation is left in the window (as of the last judgement). */
    boolean isEmpty() {
        return total == 0;
    }

    /** Orders statuses from UP (0) to DOWN (2); an unknown status counts as UP. */
    static int severity(AvailabilityStatus status) {
        if (status == null) {
            return 0;
        }
        return switch (status) {
            case UP -> 0;
            case DEGRADED -> 1;
            case DOWN -> 2;
        };
    }

    private void evict(Instant now) {
        Instant cutoff = now.minus(policy.window());
        while (!buckets.isEmpty()
                && !buckets.peekFirst().start.plus(bucketWidth).isAfter(cutoff)) {
            Bucket old = buckets.removeFirst();
            total -= old.total;
            failures -= old.failures;
            probeSuccesses -= old.probeSuccesses;
            probeLatencySumMs -= old.probeLatencySumMs;
            streakSamples -= old.streakSamples;
        }
        // The trailing run of failures is the newest part of the window, so it can only shrink to what is left.
        trailingFailures = (int) Math.min(trailingFailures, streakSamples);
    }

    private static final class Bucket {
        final Instant start;
        long total;
        long failures;
        long probeSuccesses;
        long probeLatencySumMs;
        long streakSamples;

        Bucket(Instant start) {
            this.start = start;
        }
    }
}
