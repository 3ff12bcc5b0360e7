package io.tokenhub.health.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tokenhub.health.config.HealthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Whether this replica is the one that probes and publishes. With leader election off it always is; with it on,
 * whoever holds the Kubernetes Lease is.
 */
@ApplicationScoped
public class Leadership {

    private final HealthConfig.LeaderElection config;
    private final Instance<KubernetesClient> kubernetes;
    private final String identity;
    private LeaseElector elector;

    public Leadership(HealthConfig health, Instance<KubernetesClient> kubernetes) {
        this.config = health.leaderElection();
        this.kubernetes = kubernetes;
        this.identity = config.identity().filter(id -> !id.isBlank()).orElseGet(Leadership::defaultIdentity);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.infof("Leader election is off: %s probes and publishes alone", identity);
            return;
        }
        KubernetesClient client = kubernetes.get();
        String namespace = config.namespace()
                .filter(ns -> !ns.isBlank())
                .or(() -> Optional.ofNullable(client.getNamespace()))
                .orElse("default");
        elector = new LeaseElector(
                client,
                new LeaseElector.LeaseSettings(
                        namespace,
                        config.leaseName(),
                        identity,
                        config.leaseDuration(),
                        config.renewDeadline(),
                        config.retryPeriod()));
        elector.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (elector != null) {
            elector.close();
        }
    }

    public boolean isLeader() {
        return elector == null ? !config.enabled() : elector.isLeader();
    }

    /** This replica's holder identity. */
    public String identity() {
        return identity;
    }

    /** The replica seen holding the lease; this one when election is off. Empty when none was seen yet. */
    public Optional<String> currentLeader() {
        if (!config.enabled()) {
            return Optional.of(identity);
        }
        return Optional.ofNullable(elector == null ? null : elector.currentLeader());
    }

    private static String defaultIdentity() {
        String podName = System.getenv("POD_NAME");
        if (podName != null && !podName.isBlank()) {
            return podName;
        }
        String hostname = System.getenv("HOSTNAME");
        if (hostname != null && !hostname.isBlank()) {
            return hostname;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(
                    "no holder identity: set POD_NAME or " + "tokenhub.health.leader-election.identity", e);
        }
    }
}
