package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Ingress publishes gateway-service over TLS, the web dashboard at / beside it, and the dashboard APIs only when
 * asked to; never a management interface.
 */
class IngressTest {

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void gatewayIsPublishedOverTlsOnTheConfiguredHost(Rendering rendering) {
        JsonNode values = ValuesFiles.of(rendering);
        ObjectNode ingress = rendering.get("Ingress", Component.GATEWAY.objectName());
        String host = values.at("/ingress/host").asText();

        assertThat(rendering.ofKind("Ingress")).hasSize(1);
        assertThat(ingress.at("/spec/ingressClassName").asText())
                .isEqualTo(values.at("/ingress/className").asText());
        assertThat(ingress.at("/spec/rules")).hasSize(1);
        assertThat(ingress.at("/spec/rules/0/host").asText()).isEqualTo(host);
        assertThat(ingress.at("/spec/tls")).hasSize(1);
        assertThat(ingress.at("/spec/tls/0/hosts/0").asText()).isEqualTo(host);
        assertThat(ingress.at("/spec/tls/0/secretName").asText())
                .isEqualTo(values.at("/ingress/tlsSecretName").asText());
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void eachPathReachesTheServiceThatServesIt(Rendering rendering) {
        Map<String, String> expected = new LinkedHashMap<>();
        if (ValuesFiles.of(rendering).at("/ingress/dashboardApis").asBoolean()) {
            expected.put("/api/billing", Component.BILLING.objectName());
            expected.put("/api/providers", Component.HEALTH_MONITOR.objectName());
        }
        if (ValuesFiles.of(rendering).at("/ingress/dashboard").asBoolean()) {
            expected.put("/v1", Component.GATEWAY.objectName());
            expected.put("/api/keys", Component.GATEWAY.objectName());
            expected.put("/", Component.DASHBOARD.objectName());
        } else {
            expected.put("/", Component.GATEWAY.objectName());
        }

        Map<String, String> actual = new LinkedHashMap<>();
        for (JsonNode path :
                rendering.get("Ingress", Component.GATEWAY.objectName()).at("/spec/rules/0/http/paths")) {
            JsonNode backend = path.at("/backend/service");
            ObjectNode service = rendering.get("Service", backend.path("name").asText());
            assertThat(path.path("pathType").asText()).isEqualTo("Prefix");
            assertThat(service.at("/spec/ports"))
                    .anySatisfy(p -> assertThat(p.path("name").asText())
                            .isEqualTo(backend.at("/port/name").asText()));
            assertThat(rendering.deploymentsSelectedByMap(service.at("/spec/selector")))
                    .containsExactly(backend.path("name").asText());
            actual.put(path.path("path").asText(), backend.path("name").asText());
        }

        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
    }

    /**
     * Health, metrics and the OpenAPI document are for probes and scrapers inside the cluster: no Ingress path names
     * /q, and every path, whatever its prefix, ends on a Service port whose pod port is the API port, where Quarkus
     * serves no /q at all (GatewayIT checks the 404), never on the management port.
     */
    @ParameterizedTest(name = "{0} values")
    @MethodSource("everyIngressShape")
    void noIngressPathReachesTheManagementInterface(Rendering rendering) {
        List<ObjectNode> ingresses = rendering.ofKind("Ingress");
        assertThat(ingresses).isNotEmpty();
        for (ObjectNode ingress : ingresses) {
            for (JsonNode rule : ingress.at("/spec/rules")) {
                for (JsonNode path : rule.at("/http/paths")) {
                    String prefix = path.path("path").asText();
                    JsonNode backend = path.at("/backend/service");
                    ObjectNode service =
                            rendering.get("Service", backend.path("name").asText());
                    Component target = Arrays.stream(Component.values())
                            .filter(c ->
                                    c.objectName().equals(backend.path("name").asText()))
                            .findFirst()
                            .orElseThrow();
                    JsonNode container = Rendering.container(rendering.deployment(target.moduleName));

                    assertThat(prefix).as("Ingress path").doesNotStartWith("/q");
                    assertThat(backend.at("/port/number").asInt(target.port))
                            .as("%s backend port number", prefix)
                            .isNotEqualTo(target.managementPort);
                    assertThat(ProbesAndPortsTest.containerPort(
                                    container,
                                    ProbesAndPortsTest.servicePort(
                                            service, backend.at("/port/name").asText())))
                            .as("%s reaches %s on", prefix, target.moduleName)
                            .isEqualTo(target.port)
                            .isNotEqualTo(target.managementPort);
                }
            }
        }
    }

    /** The default and production values, and the two optional shapes: no dashboard, and the dashboard APIs. */
    static Stream<Rendering> everyIngressShape() {
        return Stream.concat(
                Renderings.both(),
                Stream.of(
                        new Rendering("no-dashboard", Chart.template(null, Map.of("ingress.dashboard", "false"))),
                        new Rendering(
                                "dashboard-apis", Chart.template(null, Map.of("ingress.dashboardApis", "true")))));
    }

    @Test
    void withoutTheDashboardTheGatewayKeepsTheWholeHost() {
        Rendering rendering = new Rendering("no-dashboard", Chart.template(null, Map.of("ingress.dashboard", "false")));
        JsonNode paths =
                rendering.get("Ingress", Component.GATEWAY.objectName()).at("/spec/rules/0/http/paths");

        assertThat(paths).hasSize(1);
        assertThat(paths.at("/0/path").asText()).isEqualTo("/");
        assertThat(paths.at("/0/backend/service/name").asText()).isEqualTo(Component.GATEWAY.objectName());
        // Nothing but the metrics scrapers may reach the dashboard then, and only its management port.
        JsonNode rules =
                rendering.get("NetworkPolicy", Component.DASHBOARD.objectName()).at("/spec/ingress");
        assertThat(rules).hasSize(1);
        assertThat(rules.at("/0/from"))
                .containsExactlyElementsOf(ValuesFiles.of(Chart.defaults()).at("/networkPolicy/metricsFrom"));
        assertThat(rules.at("/0/ports/0/port").asInt()).isEqualTo(Component.DASHBOARD.managementPort);
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void streamedCompletionsAreNotBufferedByIngressNginx(Rendering rendering) {
        JsonNode annotations =
                rendering.get("Ingress", Component.GATEWAY.objectName()).at("/metadata/annotations");

        assertThat(annotations
                        .path("nginx.ingress.kubernetes.io/proxy-buffering")
                        .asText())
                .isEqualTo("off");
        assertThat(annotations
                        .path("nginx.ingress.kubernetes.io/proxy-read-timeout")
                        .asInt())
                .isGreaterThanOrEqualTo(300);
    }
}
