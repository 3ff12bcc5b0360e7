package io.tokenhub.health.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How health-monitor probes, judges and publishes provider health. */
@ConfigMapping(prefix = "tokenhub.health")
public interface HealthConfig {

    /** Time between two probe rounds; each round also re-judges every provider and model. */
    @WithDefault("15s")
    Duration probeInterval();

    /** Longest a probe may take, connect included, before it counts as a timeout. */
    @WithDefault("5s")
    Duration probeTimeout();

    /** How far back probes and reported outcomes count towards the error rate. */
    @WithDefault("60s")
    Duration window();

    /** Fewest observations in the window before the error rate alone may change a status. */
    @WithDefault("5")
    int minSamples();

    /** Error rate from which a provider or model is DEGRADED. */
    @WithDefault("0.1")
    double degradedErrorRate();

    /** Error rate from which a provider or model is DOWN. */
    @WithDefault("0.5")
    double downErrorRate();

    /** Consecutive failed observations (probes or reported calls) that make a provider or model DOWN at once. */
    @WithDefault("3")
    int failureThreshold();

    /** Consecutive checks that must find a better status before it is published (hysteresis). */
    @WithDefault("3")
    int recoveryChecks();

    /** Mean latency of successful probes in the window above which a provider is DEGRADED. */
    @WithDefault("2s")
    Duration slowProbeLatency();

    /** Time between two full republications of every status, so consumers can tell fresh state from stale. */
    @WithDefault("30s")
    Duration publishInterval();

    /** How the compacted availability topic is created when it is missing. */
    AvailabilityTopic availabilityTopic();

    /** Which replica probes and publishes. */
    LeaderElection leaderElection();

    /** Creation settings for {@code tokenhub.provider-availability}. */
    interface AvailabilityTopic {

        /** Partitions when the topic is created; the broker's default when unset. */
        Optional<Integer> partitions();

        /** Replication factor when the topic is created; the broker's default when unset. */
        Optional<Short> replicationFactor();
    }

    /** Kubernetes Lease election among replicas. */
    interface LeaderElection {

        /** Whether replicas elect a leader; when false this replica always leads (local run, single replica). */
        @WithDefault("false")
        boolean enabled();

        /** Name of the coordination.k8s.io/v1 Lease. */
        @WithDefault("tokenhub-health-monitor")
        String leaseName();

        /** Namespace of the Lease; the pod's own namespace when unset. */
        Optional<String> namespace();

        /** Holder identity; the POD_NAME environment variable, else the host name, when unset. */
        Optional<String> identity();

        /** How long a lease holds without renewal before another replica may take it (whole seconds). */
        @WithDefault("15s")
        Duration leaseDuration();

        /** How long the leader keeps trying to renew before it steps down; shorter than the lease duration. */
        @WithDefault("10s")
        Duration renewDeadline();

        /** Time between attempts to acquire or renew the lease. */
        @WithDefault("2s")
        Duration retryPeriod();
    }
}
