package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NetworkPolicies select the pods they are meant for, and only gateway-service and dashboard pods reach
 * routing-service. The API port and the management port (health, metrics, OpenAPI) have rules of their own: the
 * metrics scrapers reach only the management port, API callers only the API port. A peer with only a podSelector
 * means pods of the release's own namespace; those are matched against the real pod labels.
 */
class NetworkPolicyTest {

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void everyServiceIsGuardedByAPolicySelectingExactlyItsPods(Rendering rendering) {
        List<ObjectNode> policies = rendering.ofKind("NetworkPolicy");

        assertThat(policies).hasSize(Component.values().length);
        for (Component c : Component.values()) {
            ObjectNode policy = rendering.get("NetworkPolicy", c.objectName());
            assertThat(rendering.deploymentsSelectedBy(policy.at("/spec/podSelector")))
                    .containsExactly(c.objectName());
            assertThat(policy.at("/spec/policyTypes").toString()).contains("\"Ingress\"");
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void everyRuleNamesItsPeersAndOnePortOfTheService(Rendering rendering) {
        for (Component c : Component.values()) {
            JsonNode rules = rendering.get("NetworkPolicy", c.objectName()).at("/spec/ingress");
            assertThat(rules.size()).as("%s rules", c.moduleName).isBetween(1, 2);
            for (JsonNode rule : rules) {
                // A rule without `from` admits every source in the cluster.
                assertThat(rule.path("from").size())
                        .as("%s rule peers", c.moduleName)
                        .isPositive();
                assertThat(rule.path("ports")).hasSize(1);
                assertThat(rule.at("/ports/0/port").asInt()).as(c.moduleName).isIn(c.port, c.managementPort);
                for (JsonNode peer : rule.path("from")) {
                    assertThat(peer.size())
                            .as("%s has an empty peer, which matches all pods", c.moduleName)
                            .isPositive();
                }
            }
        }
    }

    /** The scrapers, and only they, reach every service's management port, and through it nothing else. */
    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void onlyTheMetricsScrapersReachTheManagementPort(Rendering rendering) {
        List<JsonNode> scrapers = valuePeers(rendering, "metricsFrom");
        assertThat(scrapers).isNotEmpty();
        for (Component c : Component.values()) {
            ObjectNode policy = rendering.get("NetworkPolicy", c.objectName());
            assertThat(peers(policy, c.managementPort)).as(c.moduleName).containsExactlyElementsOf(scrapers);
            assertThat(peers(policy, c.port)).as(c.moduleName).doesNotContainAnyElementsOf(scrapers);
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void onlyGatewayAndDashboardPodsReachRoutingService(Rendering rendering) {
        List<JsonNode> peers =
                peers(rendering.get("NetworkPolicy", Component.ROUTING.objectName()), Component.ROUTING.port);

        assertThat(podPeerTargets(rendering, peers))
                .containsExactly(Component.GATEWAY.objectName(), Component.DASHBOARD.objectName());
        assertThat(otherPeers(peers)).isEmpty();
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void gatewayAdmitsTheIngressControllerAndItsClients(Rendering rendering) {
        List<JsonNode> expected = valuePeers(rendering, "ingressControllerFrom", "gatewayClientsFrom");
        List<JsonNode> peers =
                peers(rendering.get("NetworkPolicy", Component.GATEWAY.objectName()), Component.GATEWAY.port);

        assertThat(podPeerTargets(rendering, peers)).containsExactly(Component.DASHBOARD.objectName());
        assertThat(otherPeers(peers)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void dashboardApisAdmitTheIngressControllerOnlyWhenTheIngressPublishesThem(Rendering rendering) {
        JsonNode values = ValuesFiles.of(rendering);
        JsonNode np = values.path("networkPolicy");
        List<JsonNode> expected = new ArrayList<>();
        if (values.at("/ingress/dashboardApis").asBoolean()) {
            expected.addAll(list(np.path("ingressControllerFrom")));
        }
        expected.addAll(list(np.path("dashboardClientsFrom")));

        for (Component c : List.of(Component.BILLING, Component.HEALTH_MONITOR)) {
            List<JsonNode> peers = peers(rendering.get("NetworkPolicy", c.objectName()), c.port);
            assertThat(otherPeers(peers)).as(c.moduleName).containsExactlyElementsOf(expected);
            assertThat(podPeerTargets(rendering, peers))
                    .as(c.moduleName)
                    .containsExactly(Component.DASHBOARD.objectName());
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void dashboardAdmitsOnlyTheIngressControllerAndTheScrapers(Rendering rendering) {
        ObjectNode policy = rendering.get("NetworkPolicy", Component.DASHBOARD.objectName());
        assertThat(peers(policy, Component.DASHBOARD.port))
                .containsExactlyElementsOf(valuePeers(rendering, "ingressControllerFrom"));
        assertThat(peers(policy, Component.DASHBOARD.managementPort))
                .containsExactlyElementsOf(valuePeers(rendering, "metricsFrom"));
    }

    /**
     * The dashboard may open connections to the four services' pods on their ports, and to DNS, the OIDC issuer and
     * its database as the values name them; nothing else, and no rule without peers (which would admit everything).
     */
    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void dashboardConnectsOnlyToTheServicesDnsTheIssuerAndItsDatabase(Rendering rendering) {
        JsonNode egress = ValuesFiles.of(rendering).at("/networkPolicy/dashboardEgress");
        ObjectNode policy = rendering.get("NetworkPolicy", Component.DASHBOARD.objectName());
        Map<String, Integer> servicePorts = new LinkedHashMap<>();
        List<JsonNode> external = new ArrayList<>();

        assertThat(policy.at("/spec/policyTypes").toString()).contains("\"Egress\"");
        for (JsonNode rule : policy.at("/spec/egress")) {
            assertThat(rule.path("to").size()).as("egress rule peers").isPositive();
            if (isSameNamespacePodPeer(rule.at("/to/0"))) {
                assertThat(rule.path("to")).hasSize(1);
                assertThat(rule.path("ports")).hasSize(1);
                List<String> targets = rendering.deploymentsSelectedBy(rule.at("/to/0/podSelector"));
                assertThat(targets).hasSize(1);
                servicePorts.put(targets.get(0), rule.at("/ports/0/port").asInt());
            } else {
                external.add(rule);
            }
        }

        Map<String, Integer> expected = new LinkedHashMap<>();
        for (Component c : List.of(Component.GATEWAY, Component.ROUTING, Component.BILLING, Component.HEALTH_MONITOR)) {
            expected.put(c.objectName(), c.port);
        }
        assertThat(servicePorts).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(external).hasSize(3);
        assertThat(list(external.get(0).path("to"))).containsExactlyElementsOf(list(egress.path("dnsTo")));
        assertThat(external.get(0).at("/ports/0/port").asInt()).isEqualTo(53);
        assertThat(list(external.get(1).path("to"))).containsExactlyElementsOf(list(egress.path("oidcIssuerTo")));
        assertThat(external.get(1).at("/ports/0/port").asInt())
                .isEqualTo(egress.path("oidcIssuerPort").asInt());
        assertThat(list(external.get(2).path("to"))).containsExactlyElementsOf(list(egress.path("databaseTo")));
        assertThat(external.get(2).at("/ports/0/port").asInt())
                .isEqualTo(egress.path("databasePort").asInt());
    }

    /** The peers the values list under networkPolicy.&lt;key&gt;, keys in order. */
    private static List<JsonNode> valuePeers(Rendering rendering, String... keys) {
        JsonNode np = ValuesFiles.of(rendering).path("networkPolicy");
        List<JsonNode> result = new ArrayList<>();
        for (String key : keys) {
            result.addAll(list(np.path(key)));
        }
        return result;
    }

    /** The peers that are not pods of the release's namespace, i.e. those the values name. */
    private static List<JsonNode> otherPeers(List<JsonNode> peers) {
        return peers.stream().filter(p -> !isSameNamespacePodPeer(p)).toList();
    }

    /** Deployments each same-namespace pod peer selects, in peer order; each peer must select exactly one. */
    private static List<String> podPeerTargets(Rendering rendering, List<JsonNode> peers) {
        List<String> targets = new ArrayList<>();
        for (JsonNode peer : peers) {
            if (isSameNamespacePodPeer(peer)) {
                List<String> selected = rendering.deploymentsSelectedBy(peer.path("podSelector"));
                assertThat(selected).hasSize(1);
                targets.add(selected.get(0));
            }
        }
        return targets;
    }

    @Test
    void withNoPeerAtAllAPolicyAdmitsNothingRatherThanEverything() {
        Rendering closed = new Rendering(
                "closed",
                Chart.template(
                        null,
                        Map.of(
                                "ingress.enabled", "false",
                                "networkPolicy.metricsFrom", "null")));

        for (Component c : List.of(Component.GATEWAY, Component.BILLING, Component.HEALTH_MONITOR)) {
            JsonNode ingress = closed.get("NetworkPolicy", c.objectName()).at("/spec/ingress");
            assertThat(ingress.isArray())
                    .as("%s has an explicit rule list", c.moduleName)
                    .isTrue();
            // Only the chart's own dashboard pods remain.
            assertThat(podPeerTargets(closed, peers(closed.get("NetworkPolicy", c.objectName()), c.port)))
                    .as(c.moduleName)
                    .containsExactly(Component.DASHBOARD.objectName());
            assertThat(ingress).as(c.moduleName).hasSize(1);
        }
        JsonNode dashboard =
                closed.get("NetworkPolicy", Component.DASHBOARD.objectName()).at("/spec/ingress");
        assertThat(dashboard.isArray())
                .as("dashboard has an explicit rule list")
                .isTrue();
        assertThat(dashboard).as("dashboard").isEmpty();
        assertThat(closed.ofKind("Ingress")).isEmpty();
    }

    @Test
    void policiesCanBeLeftToTheOperator() {
        Rendering open = new Rendering("no-policies", Chart.template(null, Map.of("networkPolicy.enabled", "false")));

        assertThat(open.ofKind("NetworkPolicy")).isEmpty();
        assertThat(open.ofKind("Deployment")).hasSize(Component.values().length);
    }

    private static boolean isSameNamespacePodPeer(JsonNode peer) {
        return peer.has("podSelector") && !peer.has("namespaceSelector") && !peer.has("ipBlock");
    }

    /** The peers of every rule of the policy that opens {@code port}. */
    private static List<JsonNode> peers(ObjectNode policy, int port) {
        List<JsonNode> result = new ArrayList<>();
        for (JsonNode rule : policy.at("/spec/ingress")) {
            for (JsonNode p : rule.path("ports")) {
                if (p.path("port").asInt() == port) {
                    rule.path("from").forEach(result::add);
                }
            }
        }
        return result;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> result = new ArrayList<>();
        array.forEach(result::add);
        return result;
    }
}
