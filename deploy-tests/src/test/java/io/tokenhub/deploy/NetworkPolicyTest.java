package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NetworkPolicies select the pods they are meant for, and only gateway-service pods reach routing-service. A peer
 * with only a podSelector means pods of the release's own namespace; those are matched against the real pod labels.
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
    void everyRuleNamesItsPeersAndOnlyTheServicePort(Rendering rendering) {
        for (Component c : Component.values()) {
            for (JsonNode rule : rendering.get("NetworkPolicy", c.objectName()).at("/spec/ingress")) {
                // A rule without `from` admits every source in the cluster.
                assertThat(rule.path("from").size())
                        .as("%s rule peers", c.moduleName)
                        .isPositive();
                assertThat(rule.path("ports")).hasSize(1);
                assertThat(rule.at("/ports/0/port").asInt()).as(c.moduleName).isEqualTo(c.port);
                for (JsonNode peer : rule.path("from")) {
                    assertThat(peer.size())
                            .as("%s has an empty peer, which matches all pods", c.moduleName)
                            .isPositive();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void onlyGatewayPodsAndTheMetricsScrapersReachRoutingService(Rendering rendering) {
        JsonNode values = ValuesFiles.of(rendering);
        List<JsonNode> peers = peers(rendering.get("NetworkPolicy", Component.ROUTING.objectName()));
        List<JsonNode> sameNamespace =
                peers.stream().filter(NetworkPolicyTest::isSameNamespacePodPeer).toList();
        List<JsonNode> others =
                peers.stream().filter(p -> !isSameNamespacePodPeer(p)).toList();

        assertThat(sameNamespace).hasSize(1);
        assertThat(rendering.deploymentsSelectedBy(sameNamespace.get(0).path("podSelector")))
                .containsExactly(Component.GATEWAY.objectName());
        assertThat(others).containsExactlyElementsOf(list(values.at("/networkPolicy/metricsFrom")));
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void gatewayAdmitsTheIngressControllerItsClientsAndTheScrapers(Rendering rendering) {
        JsonNode np = ValuesFiles.of(rendering).path("networkPolicy");
        List<JsonNode> expected = new ArrayList<>(list(np.path("ingressControllerFrom")));
        expected.addAll(list(np.path("gatewayClientsFrom")));
        expected.addAll(list(np.path("metricsFrom")));

        assertThat(peers(rendering.get("NetworkPolicy", Component.GATEWAY.objectName())))
                .containsExactlyElementsOf(expected);
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
        expected.addAll(list(np.path("metricsFrom")));

        for (Component c : List.of(Component.BILLING, Component.HEALTH_MONITOR)) {
            List<JsonNode> peers = peers(rendering.get("NetworkPolicy", c.objectName()));
            assertThat(peers).as(c.moduleName).containsExactlyElementsOf(expected);
            assertThat(peers).noneMatch(NetworkPolicyTest::isSameNamespacePodPeer);
        }
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
            assertThat(ingress).as(c.moduleName).isEmpty();
        }
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

    private static List<JsonNode> peers(ObjectNode policy) {
        List<JsonNode> result = new ArrayList<>();
        policy.at("/spec/ingress").forEach(rule -> rule.path("from").forEach(result::add));
        return result;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> result = new ArrayList<>();
        array.forEach(result::add);
        return result;
    }
}
