package io.tokenhub.health.status;

import io.tokenhub.health.config.HealthConfig;
import java.time.Duration;

/**
 * The rules that turn observations into a status; see {@link HealthConfig} for what each one means.
 *
 * @param window how far back observations count
 * @param minSamples fewest observations before the error rate may decide
 * @param degradedErrorRate error rate from which the verdict is DEGRADED
 * @param downErrorRate error rate from which the verdict is DOWN
 * @param failureThreshold consecutive failures that mean DOWN
 * @param recoveryChecks consecutive checks with a better verdict before the status improves
 * @param slowProbeLatency mean successful probe latency above which the verdict is DEGRADED
 */
public record StatusPolicy(
        Duration window,
        int minSamples,
        double degradedErrorRate,
        double downErrorRate,
        int failureThreshold,
        int recoveryChecks,
        Duration slowProbeLatency) {

    /** Buckets per window: fine enough that the window slides smoothly, coarse enough to bound memory per key. */
    static final int BUCKETS = 30;

    public StatusPolicy {
        require(window.toMillis() >= BUCKETS, "tokenhub.health.window must be at least " + BUCKETS + "ms");
        require(minSamples >= 1, "tokenhub.health.min-samples must be at least 1");
        require(
                degradedErrorRate > 0 && degradedErrorRate <= 1,
                "tokenhub.health.degraded-error-rate must be in (0, 1]");
        require(downErrorRate > 0 && downErrorRate <= 1, "tokenhub.health.down-error-rate must be in (0, 1]");
        require(
                degradedErrorRate < downErrorRate,
                "tokenhub.health.degraded-error-rate must be below tokenhub.health.down-error-rate");
        require(failureThreshold >= 1, "tokenhub.health.failure-threshold must be at least 1");
        require(recoveryChecks >= 1, "tokenhub.health.recovery-checks must be at least 1");
        require(
                !slowProbeLatency.isNegative() && !slowProbeLatency.isZero(),
                "tokenhub.health.slow-probe-latency must be positive");
    }

    public static StatusPolicy of(HealthConfig config) {
        return new StatusPolicy(
                config.window(),
                config.minSamples(),
                config.degradedErrorRate(),
                config.downErrorRate(),
                config.failureThreshold(),
                config.recoveryChecks(),
                config.slowProbeLatency());
    }

    Duration bucketWidth() {
        return window.dividedBy(BUCKETS);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
