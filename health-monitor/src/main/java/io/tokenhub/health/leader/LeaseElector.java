package io.tokenhub.health.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Competes for a coordination.k8s.io/v1 Lease with the fabric8 {@link LeaderElector}, and competes again after it
 * loses the lease, for as long as it runs. On the API server it reads the Lease ({@code get}), creates it when
 * missing ({@code create}) and renews, takes over or releases it with a JSON merge patch carrying the
 * resourceVersion it read ({@code patch}), so two replicas can never both win the same term.
 *
 * <p>{@link #isLeader()} also holds only until the renew deadline after the last renewal this replica itself wrote,
 * whatever the elector's loop is doing: a leader cut off from the API server (or stuck in a slow request) stops
 * leading before the lease expires and another replica may take it.
 */
public final class LeaseElector implements AutoCloseable {

    private final KubernetesClient client;
    private final LeaseSettings settings;
    private volatile boolean leader;
    /** Wall-clock time of the last renewal this replica wrote, the same clock the other replicas judge it by. */
    private volatile Instant renewedAt = Instant.MIN;

    private volatile String currentLeader;
    private boolean running;
    private CompletableFuture<?> term;

    public LeaseElector(KubernetesClient client, LeaseSettings settings) {
        this.client = Objects.requireNonNull(client);
        this.settings = Objects.requireNonNull(settings);
    }

    /** Starts competing; returns at once. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Log.infof("Competing for Lease %s/%s as %s", settings.namespace(), settings.leaseName(), settings.identity());
        compete();
    }

    /** Whether this replica holds the lease right now. */
    public boolean isLeader() {
        return leader && Instant.now().isBefore(renewedAt.plus(settings.renewDeadline()));
    }

    /** The identity of the holder last seen, this replica's or another's; null when none was seen yet. */
    public String currentLeader() {
        return currentLeader;
    }

    public LeaseSettings settings() {
        return settings;
    }

    /** Stops competing and, when leading, releases the lease so another replica takes over at once. */
    @Override
    public synchronized void close() {
        running = false;
        if (term != null) {
            term.cancel(true);
            term = null;
        }
        leader = false;
    }

    private synchronized void compete() {
        if (!running) {
            return;
        }
        // A LeaderElector runs one term only; a fresh one competes again after the lease was lost.
        LeaderElector elector = client.leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(settings.leaseName())
                        .withLock(new RenewalTrackingLock(
                                new LeaseLock(settings.namespace(), settings.leaseName(), settings.identity())))
                        .withLeaseDuration(settings.leaseDuration())
                        .withRenewDeadline(settings.renewDeadline())
                        .withRetryPeriod(settings.retryPeriod())
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(
                                new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::leaderSeen))
                        .build())
                .build();
        CompletableFuture<?> started = elector.start();
        term = started;
        started.whenComplete((ignored, failure) -> {
            leader = false;
            synchronized (this) {
                if (!running || term != started) {
                    return;
                }
            }
            if (failure != null) {
                Log.warnf(
                        "Leader election on Lease %s ended with %s; competing again",
                        settings.leaseName(), failure.toString());
            }
            CompletableFuture.runAsync(
                    this::compete,
                    CompletableFuture.delayedExecutor(settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS));
        });
    }

    private void startedLeading() {
        leader = true;
        Log.infof("%s now leads (Lease %s/%s)", settings.identity(), settings.namespace(), settings.leaseName());
    }

    private void stoppedLeading() {
        if (leader) {
            Log.infof(
                    "%s no longer leads (Lease %s/%s)",
                    settings.identity(), settings.namespace(), settings.leaseName());
        }
        leader = false;
    }

    private void leaderSeen(String identity) {
        currentLeader = identity == null || identity.isEmpty() ? null : identity;
    }

    /** Notes when this replica's own renewal reached the API server. */
    private final class RenewalTrackingLock implements Lock {

        private final Lock lease;

        RenewalTrackingLock(Lock lease) {
            this.lease = lease;
        }

        @Override
        public LeaderElectionRecord get(KubernetesClient client) {
            return lease.get(client);
        }

        @Override
        public void create(KubernetesClient client, LeaderElectionRecord record) {
            lease.create(client, record);
            noteRenewal(record);
        }

        @Override
        public void update(KubernetesClient client, LeaderElectionRecord record) {
            lease.update(client, record);
            noteRenewal(record);
        }

        @Override
        public String identity() {
            return lease.identity();
        }

        @Override
        public String describe() {
            return lease.describe();
        }

        private void noteRenewal(LeaderElectionRecord record) {
            if (lease.identity().equals(record.getHolderIdentity())) {
                renewedAt = record.getRenewTime().toInstant();
            }
        }
    }

    /**
     * Where and how to compete.
     *
     * @param namespace namespace of the Lease
     * @param leaseName name of the Lease
     * @param identity this replica's holder identity, unique among replicas
     * @param leaseDuration how long a lease holds without renewal; whole seconds, as the Lease stores it
     * @param renewDeadline how long the leader keeps trying to renew before it steps down
     * @param retryPeriod time between attempts
     */
    public record LeaseSettings(
            String namespace,
            String leaseName,
            String identity,
            Duration leaseDuration,
            Duration renewDeadline,
            Duration retryPeriod) {

        public LeaseSettings {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(leaseName, "leaseName");
            Objects.requireNonNull(identity, "identity");
            if (leaseDuration.toMillis() % 1000 != 0 || leaseDuration.toSeconds() < 1) {
                throw new IllegalArgumentException(
                        "tokenhub.health.leader-election.lease-duration must be whole seconds, at least 1s");
            }
            if (renewDeadline.compareTo(leaseDuration) >= 0) {
                throw new IllegalArgumentException(
                        "tokenhub.health.leader-election.renew-deadline must be shorter " + "than lease-duration");
            }
            // fabric8 jitters the retry period by up to 120 %, and that must still fit in the renew deadline.
            if (renewDeadline.toMillis() <= retryPeriod.toMillis() * 22 / 10) {
                throw new IllegalArgumentException(
                        "tokenhub.health.leader-election.renew-deadline must be more than " + "2.2 times retry-period");
            }
        }
    }
}
