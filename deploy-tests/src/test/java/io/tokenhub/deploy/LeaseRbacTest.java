package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * health-monitor's Role grants exactly what its leader election does with the Kubernetes API. The election is
 * fabric8's LeaderElector with a LeaseLock (kubernetes-client 7.5.2, the version Quarkus 3.33.2 ships), run here
 * for real against fabric8's API server mock: every request it makes is recorded, turned into the RBAC verb the API
 * server would authorise, and checked against the rendered Role, both ways.
 */
class LeaseRbacTest {

    private static final Pattern LEASE_REQUEST =
            Pattern.compile("^/apis/coordination\\.k8s\\.io/v1/namespaces/([^/]+)/leases(?:/([^/?]+))?(\\?.*)?$");

    /**
     * One authorisation the API server would make.
     *
     * @param verb RBAC verb
     * @param namespace namespace of the Lease
     * @param name the Lease's name; empty for create and list, which are not made on a named object
     */
    record Access(String verb, String namespace, String name) {}

    @Test
    void roleGrantsExactlyTheVerbsLeaderElectionUsesOnItsOwnLease() throws Exception {
        Rendering rendering = Chart.defaults();
        JsonNode container = Rendering.container(rendering.deployment(Component.HEALTH_MONITOR.moduleName));
        String leaseName = Rendering.env(container, "TOKENHUB_HEALTH_LEADER_ELECTION_LEASE_NAME")
                .path("value")
                .asText();
        ObjectNode role = rendering.get("Role", Component.HEALTH_MONITOR.objectName() + "-leader-election");

        Set<Access> used = elect(Chart.NAMESPACE, leaseName);

        assertThat(used).extracting(Access::verb).containsExactlyInAnyOrder("get", "create", "patch");
        for (Access access : used) {
            assertThat(allows(role, access)).as("the Role allows %s", access).isTrue();
        }
        for (JsonNode rule : role.path("rules")) {
            assertThat(rule.path("apiGroups"))
                    .singleElement()
                    .extracting(JsonNode::asText)
                    .isEqualTo("coordination.k8s.io");
            assertThat(rule.path("resources"))
                    .singleElement()
                    .extracting(JsonNode::asText)
                    .isEqualTo("leases");
            for (JsonNode verb : rule.path("verbs")) {
                assertThat(used)
                        .as("the Role's %s on leases is used", verb.asText())
                        .anyMatch(a -> a.verb().equals(verb.asText()));
            }
        }
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo(Chart.NAMESPACE);
    }

    @Test
    void leaseNameNamespaceAndIdentityComeFromThePodAsTheElectionNeedsThem() {
        Rendering rendering = Chart.defaults();
        JsonNode container = Rendering.container(rendering.deployment(Component.HEALTH_MONITOR.moduleName));

        assertThat(Rendering.env(container, "TOKENHUB_HEALTH_LEADER_ELECTION_ENABLED")
                        .path("value")
                        .asText())
                .isEqualTo("true");
        assertThat(Rendering.env(container, "TOKENHUB_HEALTH_LEADER_ELECTION_LEASE_NAME")
                        .path("value")
                        .asText())
                .isEqualTo("tokenhub-health-monitor");
        assertThat(Rendering.env(container, "POD_NAME")
                        .at("/valueFrom/fieldRef/fieldPath")
                        .asText())
                .isEqualTo("metadata.name");
        assertThat(Rendering.env(container, "POD_NAMESPACE")
                        .at("/valueFrom/fieldRef/fieldPath")
                        .asText())
                .isEqualTo("metadata.namespace");
        assertThat(Rendering.env(container, "TOKENHUB_HEALTH_LEADER_ELECTION_NAMESPACE")
                        .at("/valueFrom/fieldRef/fieldPath")
                        .asText())
                .isEqualTo("metadata.namespace");
        assertThat(rendering
                        .deployment(Component.HEALTH_MONITOR.moduleName)
                        .at("/metadata/namespace")
                        .asText())
                .as("the pods run where the Role is")
                .isEqualTo(Chart.NAMESPACE);
    }

    @Test
    void onlyHealthMonitorHoldsAnApiTokenAndTheRoleIsBoundToItsServiceAccount() {
        Rendering rendering = Chart.defaults();
        List<ObjectNode> bindings = rendering.ofKind("RoleBinding");
        ObjectNode healthMonitor = rendering.deployment(Component.HEALTH_MONITOR.moduleName);

        assertThat(bindings).hasSize(1);
        ObjectNode binding = bindings.get(0);
        assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
        assertThat(binding.at("/roleRef/name").asText())
                .isEqualTo(Component.HEALTH_MONITOR.objectName() + "-leader-election");
        assertThat(binding.path("subjects")).singleElement().satisfies(subject -> {
            assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
            assertThat(subject.path("name").asText())
                    .isEqualTo(healthMonitor
                            .at("/spec/template/spec/serviceAccountName")
                            .asText());
            assertThat(subject.path("namespace").asText()).isEqualTo(Chart.NAMESPACE);
        });
        rendering.get(
                "ServiceAccount",
                healthMonitor.at("/spec/template/spec/serviceAccountName").asText());
        for (ObjectNode deployment : rendering.ofKind("Deployment")) {
            boolean mounts = deployment
                    .at("/spec/template/spec/automountServiceAccountToken")
                    .asBoolean();
            assertThat(mounts).as(deployment.at("/metadata/name").asText()).isEqualTo(deployment == healthMonitor);
        }
    }

    @Test
    void withoutLeaderElectionThereIsNoRoleAndNoToken() {
        Rendering rendering = new Rendering(
                "no-election", Chart.template(null, Map.of("healthMonitor.leaderElection.enabled", "false")));
        JsonNode container = Rendering.container(rendering.deployment(Component.HEALTH_MONITOR.moduleName));

        assertThat(rendering.ofKind("Role")).isEmpty();
        assertThat(rendering.ofKind("RoleBinding")).isEmpty();
        assertThat(rendering
                        .deployment(Component.HEALTH_MONITOR.moduleName)
                        .at("/spec/template/spec/automountServiceAccountToken")
                        .asBoolean())
                .isFalse();
        assertThat(Rendering.env(container, "TOKENHUB_HEALTH_LEADER_ELECTION_ENABLED")
                        .path("value")
                        .asText())
                .isEqualTo("false");
    }

    /**
     * Two replicas elect a leader: the first acquires the Lease and renews it, the second watches it held, the first
     * stops and releases it, the second takes over. Returns every authorisation those requests need.
     */
    private static Set<Access> elect(String namespace, String leaseName) throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient first = server.createClient();
                KubernetesClient second = server.createClient()) {
            CountDownLatch firstLeads = new CountDownLatch(1);
            CountDownLatch secondSawFirst = new CountDownLatch(1);
            CountDownLatch secondLeads = new CountDownLatch(1);

            CompletableFuture<?> firstElection =
                    start(first, namespace, leaseName, "health-monitor-a", firstLeads::countDown, leader -> {});
            assertThat(firstLeads.await(20, TimeUnit.SECONDS))
                    .as("first replica leads")
                    .isTrue();
            CompletableFuture<?> secondElection =
                    start(second, namespace, leaseName, "health-monitor-b", secondLeads::countDown, leader -> {
                        if ("health-monitor-a".equals(leader)) {
                            secondSawFirst.countDown();
                        }
                    });
            assertThat(secondSawFirst.await(20, TimeUnit.SECONDS))
                    .as("second replica sees the first lead")
                    .isTrue();
            Thread.sleep(1_000);
            assertThat(secondLeads.getCount())
                    .as("second replica waits while the Lease is held")
                    .isEqualTo(1);

            firstElection.cancel(true);
            assertThat(secondLeads.await(20, TimeUnit.SECONDS))
                    .as("second replica takes over")
                    .isTrue();
            secondElection.cancel(true);
            Thread.sleep(500);
        } finally {
            server.destroy();
        }
        return accesses(server);
    }

    private static CompletableFuture<?> start(
            KubernetesClient client,
            String namespace,
            String leaseName,
            String identity,
            Runnable onStartLeading,
            java.util.function.Consumer<String> onNewLeader) {
        return client.leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(leaseName)
                        .withLock(new LeaseLock(namespace, leaseName, identity))
                        .withLeaseDuration(Duration.ofSeconds(3))
                        .withRenewDeadline(Duration.ofSeconds(2))
                        .withRetryPeriod(Duration.ofMillis(250))
                        .withReleaseOnCancel()
                        .withLeaderCallbacks(new LeaderCallbacks(onStartLeading, () -> {}, onNewLeader::accept))
                        .build())
                .build()
                .start();
    }

    private static Set<Access> accesses(KubernetesMockServer server) throws InterruptedException {
        Set<Access> result = new LinkedHashSet<>();
        List<String> others = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            Matcher m = LEASE_REQUEST.matcher(request.getPath());
            if (!m.matches()) {
                others.add(request.getMethod() + " " + request.getPath());
                continue;
            }
            String name = m.group(2) == null ? "" : m.group(2);
            boolean watch = m.group(3) != null && m.group(3).contains("watch=true");
            String verb = switch (request.getMethod()) {
                case "GET" -> name.isEmpty() ? (watch ? "watch" : "list") : "get";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
                default -> throw new AssertionError("unexpected method " + request.getMethod());
            };
            result.add(new Access(verb, m.group(1), name));
        }
        assertThat(others).as("requests other than on Leases").isEmpty();
        assertThat(result).as("the election talked to the API").isNotEmpty();
        return result;
    }

    /** RBAC's rule matching for a namespaced resource request, as the API server's authorizer does it. */
    private static boolean allows(ObjectNode role, Access access) {
        if (!role.at("/metadata/namespace").asText().equals(access.namespace())) {
            return false;
        }
        for (JsonNode rule : role.path("rules")) {
            boolean group = contains(rule.path("apiGroups"), "coordination.k8s.io");
            boolean resource = contains(rule.path("resources"), "leases");
            boolean verb = contains(rule.path("verbs"), access.verb());
            boolean name = rule.path("resourceNames").isEmpty()
                    || (!access.name().isEmpty() && contains(rule.path("resourceNames"), access.name()));
            if (group && resource && verb && name) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value) || n.asText().equals("*")) {
                return true;
            }
        }
        return false;
    }
}
