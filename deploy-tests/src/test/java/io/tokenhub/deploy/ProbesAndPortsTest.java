package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Probes, Services and metrics scraping reach the endpoints the services really serve, on the port they really
 * serve them on: SmallRye Health's /q/health/live and /q/health/ready and Micrometer's /q/metrics on Quarkus'
 * management interface, a port of its own beside the API port.
 */
class ProbesAndPortsTest {

    @ParameterizedTest
    @EnumSource(Component.class)
    void eachServiceShipsTheHealthAndPrometheusEndpoints(Component c) throws IOException {
        String pom = Files.readString(RepoPaths.ROOT.resolve(c.moduleName).resolve("pom.xml"));

        assertThat(pom)
                .as("%s serves /q/health/*", c.moduleName)
                .contains("<artifactId>quarkus-smallrye-health</artifactId>");
        assertThat(pom)
                .as("%s serves /q/metrics", c.moduleName)
                .contains("<artifactId>quarkus-micrometer-registry-prometheus</artifactId>");
    }

    /**
     * The management interface is a build-time choice: a service built without it would serve /q on the API port,
     * and the probes below would hit a port nothing listens on. Its port must be the one the chart uses.
     */
    @ParameterizedTest
    @EnumSource(Component.class)
    void eachServiceServesQuarkusEndpointsOnTheManagementPortTheChartUses(Component c) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(
                RepoPaths.ROOT.resolve(c.moduleName).resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        }

        assertThat(properties.getProperty("quarkus.management.enabled"))
                .as("%s quarkus.management.enabled", c.moduleName)
                .isEqualTo("true");
        assertThat(properties.getProperty("quarkus.management.port"))
                .as("%s quarkus.management.port", c.moduleName)
                .isEqualTo(String.valueOf(c.managementPort));
        assertThat(c.managementPort).isNotEqualTo(c.port);
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void probesHitTheHealthEndpointsOnTheManagementPort(Rendering rendering) {
        for (Component c : Component.values()) {
            JsonNode container = Rendering.container(rendering.deployment(c.moduleName));

            assertThat(Rendering.env(container, "QUARKUS_HTTP_PORT")
                            .path("value")
                            .asText())
                    .as("%s listens on", c.moduleName)
                    .isEqualTo(String.valueOf(c.port));
            assertThat(Rendering.env(container, "QUARKUS_MANAGEMENT_PORT")
                            .path("value")
                            .asText())
                    .as("%s management interface listens on", c.moduleName)
                    .isEqualTo(String.valueOf(c.managementPort));
            assertThat(container.path("ports")).as("%s ports", c.moduleName).hasSize(2);
            assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
            assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(c.port);
            assertThat(container.at("/ports/1/name").asText()).isEqualTo("management");
            assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(c.managementPort);
            assertProbe(container, "livenessProbe", "/q/health/live", c.managementPort);
            assertProbe(container, "readinessProbe", "/q/health/ready", c.managementPort);
            assertProbe(container, "startupProbe", "/q/health/live", c.managementPort);
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void eachServiceObjectSelectsOnlyItsPodsAndTargetsTheirHttpAndManagementPorts(Rendering rendering) {
        assertThat(rendering.ofKind("Service")).hasSize(Component.values().length);
        for (Component c : Component.values()) {
            ObjectNode service = rendering.get("Service", c.objectName());
            JsonNode container = Rendering.container(rendering.deployment(c.moduleName));

            assertThat(rendering.deploymentsSelectedByMap(service.at("/spec/selector")))
                    .containsExactly(c.objectName());
            assertThat(service.at("/spec/ports")).hasSize(2);
            assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
            assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(c.port);
            assertThat(containerPort(container, service.at("/spec/ports/0/targetPort")))
                    .isEqualTo(c.port);
            assertThat(service.at("/spec/ports/1/name").asText()).isEqualTo("management");
            assertThat(service.at("/spec/ports/1/port").asInt()).isEqualTo(c.managementPort);
            assertThat(containerPort(container, service.at("/spec/ports/1/targetPort")))
                    .isEqualTo(c.managementPort);
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void prometheusScrapesTheMetricsEndpointOnTheManagementPortOfEveryService(Rendering rendering) {
        boolean annotations =
                ValuesFiles.of(rendering).at("/metrics/podAnnotations").asBoolean();
        for (Component c : Component.values()) {
            JsonNode meta = rendering.deployment(c.moduleName).at("/spec/template/metadata/annotations");
            if (annotations) {
                assertThat(meta.path("prometheus.io/scrape").asText()).isEqualTo("true");
                assertThat(meta.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
                assertThat(meta.path("prometheus.io/port").asText()).isEqualTo(String.valueOf(c.managementPort));
            } else {
                assertThat(meta.has("prometheus.io/scrape")).isFalse();
            }
        }
        for (ObjectNode monitor : rendering.ofKind("ServiceMonitor")) {
            JsonNode endpoint = monitor.at("/spec/endpoints/0");
            assertThat(monitor.at("/spec/endpoints")).hasSize(1);
            assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
            assertThat(rendering.ofKind("Service").stream()
                            .filter(s -> Selectors.matches(monitor.at("/spec/selector"), s.at("/metadata/labels")))
                            .map(s -> s.at("/metadata/name").asText()))
                    .containsExactlyInAnyOrder(Arrays.stream(Component.values())
                            .map(Component::objectName)
                            .toArray(String[]::new));
            for (Component c : Component.values()) {
                ObjectNode service = rendering.get("Service", c.objectName());
                JsonNode container = Rendering.container(rendering.deployment(c.moduleName));
                assertThat(containerPort(
                                container,
                                servicePort(service, endpoint.path("port").asText())))
                        .as("%s is scraped on", c.moduleName)
                        .isEqualTo(c.managementPort);
            }
        }
        assertThat(annotations || !rendering.ofKind("ServiceMonitor").isEmpty())
                .as("some way of scraping is configured")
                .isTrue();
    }

    private static void assertProbe(JsonNode container, String probe, String path, int port) {
        JsonNode httpGet = container.path(probe).path("httpGet");
        String name = container.path("name").asText() + " " + probe;

        assertThat(httpGet.path("path").asText()).as(name).isEqualTo(path);
        assertThat(containerPort(container, httpGet.path("port"))).as(name).isEqualTo(port);
        assertThat(httpGet.path("scheme").asText("HTTP")).as(name).isEqualTo("HTTP");
    }

    /** The targetPort of the Service port called {@code name}. */
    static JsonNode servicePort(ObjectNode service, String name) {
        for (JsonNode p : service.at("/spec/ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("targetPort");
            }
        }
        throw new AssertionError("no port " + name + " on Service "
                + service.at("/metadata/name").asText());
    }

    /** Resolves a port given by number or by the name of one of the container's ports. */
    static int containerPort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(port.asText())) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError(
                "port " + port + " is not a port of " + container.path("name").asText());
    }
}
