package io.tokenhub.health.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.tokenhub.health.leader.LeaseElector;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas compete for one Lease on the fabric8 Kubernetes mock API server (CRUD mode, real HTTP): exactly one
 * leads, and the other takes over when the leader stops, whether it shuts down and releases the lease or is cut off
 * and the lease has to expire.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class LeaseElectorIT {

    private static final String NAMESPACE = "tokenhub";
    private static final String LEASE = "tokenhub-health-monitor";

    /** The mock server's own client, used here only to read the Lease as an operator would. */
    static KubernetesClient client;

    private Replica first;
    private Replica second;

    @AfterEach
    void stop() throws IOException {
        if (first != null) {
            first.close();
            second.close();
        }
        client.leases().inNamespace(NAMESPACE).withName(LEASE).delete();
    }

    @Test
    void oneLeadsAndTheOtherTakesOverWhenTheLeaderReleasesTheLease() throws IOException {
        startBoth();
        Replica leader = awaitSingleLeader();
        Replica standby = leader == first ? second : first;
        assertEquals(leader.identity(), lease().getSpec().getHolderIdentity());
        assertEquals(leader.identity(), standby.elector.currentLeader(), "the standby sees who leads");

        leader.elector.close();
        assertFalse(leader.elector.isLeader());
        // fabric8 releases by cutting the lease to one second from now, so the standby need not wait the full term.
        assertEquals(1, lease().getSpec().getLeaseDurationSeconds(), "released on shutdown");
        await().atMost(Duration.ofSeconds(10)).until(standby.elector::isLeader);
        assertEquals(standby.identity(), lease().getSpec().getHolderIdentity());
        assertEquals(1, lease().getSpec().getLeaseTransitions(), "one change of holder");
    }

    @Test
    void aLeaderCutOffFromTheApiServerStepsDownBeforeTheOtherTakesOver() throws IOException {
        startBoth();
        Replica leader = awaitSingleLeader();
        Replica standby = leader == first ? second : first;

        // A partition or a crash releases nothing: the standby must wait for the lease to expire.
        leader.proxy.close();
        long cutAt = System.nanoTime();
        boolean stepDownSeen = false;
        while (!standby.elector.isLeader()) {
            stepDownSeen |= !leader.elector.isLeader();
            assertTrue(System.nanoTime() - cutAt < Duration.ofSeconds(15).toNanos(), "the standby takes over");
            sleep(Duration.ofMillis(20));
        }
        assertTrue(stepDownSeen, "the cut-off leader stepped down before the standby led");
        assertFalse(leader.elector.isLeader(), "never two leaders");
        assertEquals(standby.identity(), lease().getSpec().getHolderIdentity());
    }

    @Test
    void leaseSettingsMustFitTheLeaseObject() {
        assertThrows(
                IllegalArgumentException.class,
                () -> settings("a", Duration.ofMillis(4500)),
                "a Lease stores whole seconds");
        assertThrows(
                IllegalArgumentException.class,
                () -> settings("a", Duration.ofMillis(2000)),
                "the renew deadline must end before the lease does");
    }

    private void startBoth() throws IOException {
        first = new Replica("health-monitor-0");
        second = new Replica("health-monitor-1");
        first.elector.start();
        second.elector.start();
    }

    private Replica awaitSingleLeader() {
        await().atMost(Duration.ofSeconds(10)).until(() -> first.elector.isLeader() || second.elector.isLeader());
        // Both keep competing for several retry periods: still exactly one leader.
        for (int i = 0; i < 10; i++) {
            assertTrue(first.elector.isLeader() ^ second.elector.isLeader(), "exactly one leader");
            sleep(Duration.ofMillis(200));
        }
        return first.elector.isLeader() ? first : second;
    }

    private static LeaseElector.LeaseSettings settings(String identity, Duration leaseDuration) {
        // Generous for a loaded 2-core machine: a renewal may be late by a second without the leader stepping down.
        return new LeaseElector.LeaseSettings(
                NAMESPACE, LEASE, identity, leaseDuration, Duration.ofMillis(2500), Duration.ofMillis(300));
    }

    private static Lease lease() {
        Lease lease = client.leases().inNamespace(NAMESPACE).withName(LEASE).get();
        assertNotNull(lease, "the Lease exists");
        return lease;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One health-monitor replica: its own connection to the API server, through a proxy a test can cut. */
    private static final class Replica implements AutoCloseable {

        final TcpProxy proxy;
        final KubernetesClient kubernetes;
        final LeaseElector elector;

        Replica(String identity) throws IOException {
            proxy = new TcpProxy(
                    URI.create(client.getConfiguration().getMasterUrl()).getPort());
            Config config = new ConfigBuilder(client.getConfiguration())
                    .withMasterUrl("http://127.0.0.1:" + proxy.port())
                    .withRequestTimeout(1000)
                    .withConnectionTimeout(1000)
                    .withRequestRetryBackoffLimit(0)
                    .build();
            kubernetes = new KubernetesClientBuilder().withConfig(config).build();
            elector = new LeaseElector(kubernetes, settings(identity, Duration.ofSeconds(5)));
        }

        String identity() {
            return elector.settings().identity();
        }

        @Override
        public void close() throws IOException {
            elector.close();
            kubernetes.close();
            proxy.close();
        }
    }
}
