package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Deployments, images, security, sizing, autoscaling, disruption budgets and the configuration each service gets. */
class WorkloadTest {

    /** Production base URLs from docs/api.md, "Provider configuration". */
    private static final Map<String, String> PRODUCTION_BASE_URLS = Map.of(
            "OPENAI", "https://api.openai.com/v1",
            "ANTHROPIC", "https://api.anthropic.com",
            "GOOGLE", "https://generativelanguage.googleapis.com",
            "MISTRAL", "https://api.mistral.ai",
            "META", "https://api.llama.com/compat/v1");

    private static final Set<String> DATASOURCE =
            Set.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
    private static final Set<String> OIDC = Set.of(
            "QUARKUS_OIDC_AUTH_SERVER_URL",
            "QUARKUS_OIDC_CLIENT_ID",
            "TOKENHUB_AUTH_ACCOUNT_CLAIM",
            "TOKENHUB_AUTH_AUDIENCE");
    private static final Set<String> PROVIDERS = PRODUCTION_BASE_URLS.keySet().stream()
            .flatMap(p -> Stream.of("TOKENHUB_PROVIDERS_" + p + "_BASE_URL", "TOKENHUB_PROVIDERS_" + p + "_API_KEY"))
            .collect(Collectors.toSet());
    private static final Set<String> DASHBOARD = Set.of(
            "TOKENHUB_DASHBOARD_GATEWAY_URL",
            "TOKENHUB_DASHBOARD_ROUTING_URL",
            "TOKENHUB_DASHBOARD_BILLING_URL",
            "TOKENHUB_DASHBOARD_HEALTH_URL",
            "QUARKUS_OIDC_CREDENTIALS_SECRET",
            "TOKENHUB_DASHBOARD_STATE_SECRET",
            "TOKENHUB_DASHBOARD_SESSION_SECRET",
            "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING");
    private static final Set<String> LEADER_ELECTION = Set.of(
            "TOKENHUB_HEALTH_LEADER_ELECTION_ENABLED",
            "TOKENHUB_HEALTH_LEADER_ELECTION_LEASE_NAME",
            "TOKENHUB_HEALTH_LEADER_ELECTION_NAMESPACE",
            "POD_NAME",
            "POD_NAMESPACE");

    /**
     * routing-service writes every usage event to its spool before answering: on a read-only root file system that
     * directory must be a writable volume, larger than the bound at which routing sheds requests (or the kubelet
     * evicts the pod and the backlog with it), and no other service needs one.
     */
    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void routingSpoolsUsageOnAnEmptyDirLargerThanItsBound(Rendering rendering) {
        ObjectNode deployment = rendering.deployment("routing-service");
        JsonNode container = Rendering.container(deployment);
        String dir = Rendering.env(container, "TOKENHUB_USAGE_SPOOL_DIR")
                .path("value")
                .asText();
        long maxBytes = Long.parseLong(Rendering.env(container, "TOKENHUB_USAGE_SPOOL_MAX_BYTES")
                .path("value")
                .asText());
        List<JsonNode> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> {
            if (m.path("mountPath").asText().equals(dir)) {
                mounts.add(m);
            }
        });
        assertThat(dir).startsWith("/");
        assertThat(mounts).as("a volume mounted at %s", dir).hasSize(1);
        assertThat(mounts.get(0).path("readOnly").asBoolean()).isFalse();
        JsonNode volume = Rendering.volume(
                deployment.at("/spec/template/spec"), mounts.get(0).path("name").asText());
        assertThat(volume.has("emptyDir")).as("the spool volume is an emptyDir").isTrue();
        assertThat(bytes(volume.at("/emptyDir/sizeLimit").asText())).isGreaterThan(maxBytes + (16L << 20));
        for (String other : List.of("gateway-service", "billing-service", "health-monitor", "dashboard")) {
            assertThat(Rendering.env(Rendering.container(rendering.deployment(other)), "TOKENHUB_USAGE_SPOOL_DIR")
                            .isMissingNode())
                    .as("%s has no usage spool", other)
                    .isTrue();
        }
    }

    /** A Kubernetes binary quantity (Ki, Mi, Gi) in bytes; plain digits are bytes. */
    private static long bytes(String quantity) {
        Map<String, Long> units = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30, "Ti", 1L << 40);
        for (Map.Entry<String, Long> unit : units.entrySet()) {
            if (quantity.endsWith(unit.getKey())) {
                return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * unit.getValue();
            }
        }
        return Long.parseLong(quantity);
    }

    @Test
    void chartAppVersionIsTheVersionTheImagesAreBuiltWith() throws IOException {
        JsonNode chart =
                Rendering.YAML.readTree(RepoPaths.CHART.resolve("Chart.yaml").toFile());

        assertThat(chart.path("appVersion").asText()).isEqualTo(System.getProperty("tokenhub.project.version"));
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void exactlyTheFiveServicesRunEachFromItsOwnImage(Rendering rendering) throws IOException {
        JsonNode values = ValuesFiles.of(rendering);
        String registry = values.at("/image/registry").asText();
        String tag = values.at("/image/tag").asText();
        String appVersion = Rendering.YAML
                .readTree(RepoPaths.CHART.resolve("Chart.yaml").toFile())
                .path("appVersion")
                .asText();

        assertThat(rendering.ofKind("Deployment")).hasSize(Component.values().length);
        for (Component c : Component.values()) {
            JsonNode container = Rendering.container(rendering.deployment(c.moduleName));
            String expected = (registry.isEmpty() ? "" : registry + "/") + "tokenhub/" + c.moduleName + ":"
                    + (tag.isEmpty() ? appVersion : tag);
            assertThat(container.path("image").asText()).as(c.moduleName).isEqualTo(expected);
            assertThat(container.path("name").asText()).isEqualTo(c.moduleName);
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void everyPodRunsAsNonRootOnAReadOnlyRootWithAWritableTmp(Rendering rendering) {
        for (ObjectNode deployment : rendering.ofKind("Deployment")) {
            String name = deployment.at("/metadata/name").asText();
            JsonNode pod = deployment.at("/spec/template/spec");
            JsonNode container = Rendering.container(deployment);
            JsonNode security = container.path("securityContext");

            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean())
                    .as(name)
                    .isTrue();
            assertThat(security.path("readOnlyRootFilesystem").asBoolean())
                    .as(name)
                    .isTrue();
            assertThat(security.path("allowPrivilegeEscalation").isBoolean())
                    .as(name)
                    .isTrue();
            assertThat(security.path("allowPrivilegeEscalation").asBoolean())
                    .as(name)
                    .isFalse();
            assertThat(texts(security.at("/capabilities/drop"))).as(name).contains("ALL");
            String tmpVolume = mountAt(container, "/tmp");
            assertThat(Rendering.volume(pod, tmpVolume).has("emptyDir"))
                    .as("%s /tmp is an emptyDir", name)
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void everyContainerRequestsCpuAndMemoryAndHasAMemoryLimit(Rendering rendering) {
        for (ObjectNode deployment : rendering.ofKind("Deployment")) {
            JsonNode resources = Rendering.container(deployment).path("resources");
            String name = deployment.at("/metadata/name").asText();

            assertThat(resources.at("/requests/cpu").asText()).as(name).isNotEmpty();
            assertThat(resources.at("/requests/memory").asText()).as(name).isNotEmpty();
            assertThat(resources.at("/limits/memory").asText()).as(name).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void gatewayAndRoutingAreScaledByTheirAutoscalersTheOthersByReplicas(Rendering rendering) {
        JsonNode values = ValuesFiles.of(rendering);
        Set<String> scaled = new HashSet<>();
        for (ObjectNode hpa : rendering.ofKind("HorizontalPodAutoscaler")) {
            JsonNode target = hpa.at("/spec/scaleTargetRef");
            assertThat(target.path("apiVersion").asText()).isEqualTo("apps/v1");
            assertThat(target.path("kind").asText()).isEqualTo("Deployment");
            ObjectNode deployment =
                    rendering.get("Deployment", target.path("name").asText());
            assertThat(deployment.at("/spec/replicas").isMissingNode())
                    .as(
                            "%s leaves replicas to its autoscaler",
                            target.path("name").asText())
                    .isTrue();
            assertThat(hpa.at("/spec/minReplicas").asInt())
                    .isBetween(1, hpa.at("/spec/maxReplicas").asInt());
            assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
            scaled.add(target.path("name").asText());
        }

        assertThat(scaled).containsExactlyInAnyOrder(Component.GATEWAY.objectName(), Component.ROUTING.objectName());
        for (Component c : List.of(Component.BILLING, Component.HEALTH_MONITOR, Component.DASHBOARD)) {
            assertThat(rendering.deployment(c.moduleName).at("/spec/replicas").asInt())
                    .isEqualTo(values.path(c.valuesKey).path("replicas").asInt());
        }
    }

    @Test
    void withoutAutoscalingTheDeploymentsKeepTheirReplicas() {
        Rendering rendering = new Rendering(
                "fixed",
                Chart.template(
                        null,
                        Map.of(
                                "gateway.autoscaling.enabled",
                                "false",
                                "routing.autoscaling.enabled",
                                "false",
                                "routing.replicas",
                                "4")));

        assertThat(rendering.ofKind("HorizontalPodAutoscaler")).isEmpty();
        assertThat(rendering
                        .deployment(Component.GATEWAY.moduleName)
                        .at("/spec/replicas")
                        .asInt())
                .isEqualTo(2);
        assertThat(rendering
                        .deployment(Component.ROUTING.moduleName)
                        .at("/spec/replicas")
                        .asInt())
                .isEqualTo(4);
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void everyServiceHasADisruptionBudgetSelectingExactlyItsPods(Rendering rendering) {
        List<ObjectNode> budgets = rendering.ofKind("PodDisruptionBudget");

        assertThat(budgets).hasSize(Component.values().length);
        for (ObjectNode pdb : budgets) {
            assertThat(rendering.deploymentsSelectedBy(pdb.at("/spec/selector")))
                    .containsExactly(pdb.at("/metadata/name").asText());
            assertThat(pdb.at("/spec/maxUnavailable").asInt()).isPositive();
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void eachServiceGetsTheConfigurationItReadsAndNoOther(Rendering rendering) {
        assertEnv(
                rendering,
                Component.GATEWAY,
                union(
                        Set.of(
                                "TOKENHUB_GATEWAY_ROUTING_URL",
                                "TOKENHUB_INTERNAL_SECRET",
                                "KAFKA_BOOTSTRAP_SERVERS",
                                "TOKENHUB_RATE_LIMITS_REDIS_URL",
                                "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING",
                                "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED"),
                        DATASOURCE,
                        OIDC),
                union(PROVIDERS, Set.of("TOKENHUB_CATALOG_PATH"), LEADER_ELECTION));
        assertEnv(
                rendering,
                Component.ROUTING,
                union(
                        Set.of(
                                "TOKENHUB_INTERNAL_SECRET",
                                "TOKENHUB_INTERNAL_ACCEPTED_SECRETS",
                                "TOKENHUB_CATALOG_PATH",
                                "TOKENHUB_BILLING_ROUTING_FEE_USD",
                                "KAFKA_BOOTSTRAP_SERVERS"),
                        PROVIDERS,
                        OIDC),
                union(DATASOURCE, LEADER_ELECTION));
        assertEnv(
                rendering,
                Component.BILLING,
                union(
                        Set.of("TOKENHUB_CATALOG_PATH", "TOKENHUB_BILLING_ROUTING_FEE_USD", "KAFKA_BOOTSTRAP_SERVERS"),
                        DATASOURCE,
                        OIDC),
                union(PROVIDERS, Set.of("TOKENHUB_INTERNAL_SECRET"), LEADER_ELECTION));
        assertEnv(
                rendering,
                Component.HEALTH_MONITOR,
                union(Set.of("KAFKA_BOOTSTRAP_SERVERS"), PROVIDERS, OIDC, LEADER_ELECTION),
                union(DATASOURCE, Set.of("TOKENHUB_INTERNAL_SECRET", "TOKENHUB_CATALOG_PATH")));
        assertEnv(
                rendering,
                Component.DASHBOARD,
                union(DASHBOARD, DATASOURCE, OIDC),
                union(
                        PROVIDERS,
                        Set.of("KAFKA_BOOTSTRAP_SERVERS", "TOKENHUB_INTERNAL_SECRET", "TOKENHUB_CATALOG_PATH"),
                        LEADER_ELECTION));
    }

    /**
     * Traces leave only when the values name an OTLP endpoint, and then from the three services a request passes
     * through; without one the services keep their shipped default, the SDK disabled.
     */
    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void tracesAreOnOnlyWithAnEndpointAndOnlyWhereRequestsPass(Rendering rendering) {
        JsonNode tracing = ValuesFiles.of(rendering).path("tracing");
        String endpoint = tracing.path("otlpEndpoint").asText();
        for (Component c : Component.values()) {
            JsonNode container = Rendering.container(rendering.deployment(c.moduleName));
            List<String> otel = new ArrayList<>();
            container.path("env").forEach(e -> {
                if (e.path("name").asText().startsWith("QUARKUS_OTEL_")) {
                    otel.add(e.path("name").asText());
                }
            });
            boolean traced = !endpoint.isEmpty()
                    && Set.of(Component.GATEWAY, Component.ROUTING, Component.BILLING)
                            .contains(c);
            if (!traced) {
                assertThat(otel).as("%s tracing env", c.moduleName).isEmpty();
                continue;
            }
            assertThat(otel)
                    .as("%s tracing env", c.moduleName)
                    .containsExactlyInAnyOrder(
                            "QUARKUS_OTEL_SDK_DISABLED",
                            "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                            "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
                            "QUARKUS_OTEL_TRACES_SAMPLER_ARG");
            assertThat(Rendering.env(container, "QUARKUS_OTEL_SDK_DISABLED")
                            .path("value")
                            .asText())
                    .isEqualTo("false");
            assertThat(Rendering.env(container, "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
                            .path("value")
                            .asText())
                    .isEqualTo(endpoint);
            assertThat(Double.parseDouble(Rendering.env(container, "QUARKUS_OTEL_TRACES_SAMPLER_ARG")
                            .path("value")
                            .asText()))
                    .isEqualTo(tracing.path("sampleRatio").asDouble());
        }
    }

    /** The dashboard calls each service through the Service that selects that service's pods. */
    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void dashboardCallsEachServiceThroughItsService(Rendering rendering) {
        JsonNode dashboard = Rendering.container(rendering.deployment(Component.DASHBOARD.moduleName));
        Map<String, Component> urls = Map.of(
                "TOKENHUB_DASHBOARD_GATEWAY_URL", Component.GATEWAY,
                "TOKENHUB_DASHBOARD_ROUTING_URL", Component.ROUTING,
                "TOKENHUB_DASHBOARD_BILLING_URL", Component.BILLING,
                "TOKENHUB_DASHBOARD_HEALTH_URL", Component.HEALTH_MONITOR);
        urls.forEach((variable, c) -> {
            ObjectNode service = rendering.get("Service", c.objectName());
            assertThat(Rendering.env(dashboard, variable).path("value").asText())
                    .as(variable)
                    .isEqualTo("http://" + c.objectName() + ":"
                            + service.at("/spec/ports/0/port").asInt());
            assertThat(rendering.deploymentsSelectedByMap(service.at("/spec/selector")))
                    .containsExactly(c.objectName());
        });
        assertThat(Rendering.env(dashboard, "QUARKUS_OIDC_CLIENT_ID")
                        .path("value")
                        .asText())
                .isEqualTo(
                        ValuesFiles.of(rendering).at("/dashboard/oidcClientId").asText());
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void externalSystemsComeFromTheValues(Rendering rendering) {
        JsonNode values = ValuesFiles.of(rendering);
        for (Component c : Component.values()) {
            JsonNode container = Rendering.container(rendering.deployment(c.moduleName));
            assertThat(Rendering.env(container, "QUARKUS_OIDC_AUTH_SERVER_URL")
                            .path("value")
                            .asText())
                    .isEqualTo(values.at("/oidc/authServerUrl").asText());
            assertThat(Rendering.env(container, "TOKENHUB_AUTH_ACCOUNT_CLAIM")
                            .path("value")
                            .asText())
                    .isEqualTo(values.at("/oidc/accountClaim").asText());
            if (c != Component.GATEWAY && c != Component.DASHBOARD) {
                assertThat(Rendering.env(container, "KAFKA_BOOTSTRAP_SERVERS")
                                .path("value")
                                .asText())
                        .isEqualTo(values.at("/kafka/bootstrapServers").asText());
            }
        }
        for (Component c : List.of(Component.GATEWAY, Component.BILLING, Component.DASHBOARD)) {
            JsonNode container = Rendering.container(rendering.deployment(c.moduleName));
            assertThat(Rendering.env(container, "QUARKUS_DATASOURCE_JDBC_URL")
                            .path("value")
                            .asText())
                    .isEqualTo(values.path(c.valuesKey).at("/database/jdbcUrl").asText());
        }
    }

    @Test
    void providersDefaultToTheirProductionBaseUrls() {
        for (Component c : List.of(Component.ROUTING, Component.HEALTH_MONITOR)) {
            JsonNode container = Rendering.container(Chart.defaults().deployment(c.moduleName));
            PRODUCTION_BASE_URLS.forEach((provider, url) -> assertThat(
                            Rendering.env(container, "TOKENHUB_PROVIDERS_" + provider + "_BASE_URL")
                                    .path("value")
                                    .asText())
                    .as("%s %s", c.moduleName, provider)
                    .isEqualTo(url));
        }
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void gatewayCallsTheRoutingServiceThatSelectsTheRoutingPods(Rendering rendering) {
        JsonNode gateway = Rendering.container(rendering.deployment(Component.GATEWAY.moduleName));
        ObjectNode routing = rendering.get("Service", Component.ROUTING.objectName());
        String expected = "http://" + routing.at("/metadata/name").asText() + ":"
                + routing.at("/spec/ports/0/port").asInt();

        assertThat(Rendering.env(gateway, "TOKENHUB_GATEWAY_ROUTING_URL")
                        .path("value")
                        .asText())
                .isEqualTo(expected);
        assertThat(rendering.deploymentsSelectedByMap(routing.at("/spec/selector")))
                .containsExactly(Component.ROUTING.objectName());
    }

    private static void assertEnv(Rendering rendering, Component c, Set<String> required, Set<String> forbidden) {
        JsonNode container = Rendering.container(rendering.deployment(c.moduleName));
        List<String> names = new ArrayList<>();
        container.path("env").forEach(e -> names.add(e.path("name").asText()));

        assertThat(names).as("%s env names are unique", c.moduleName).doesNotHaveDuplicates();
        assertThat(names).as("%s env", c.moduleName).containsAll(required).doesNotContainAnyElementsOf(forbidden);
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return all;
    }

    private static String mountAt(JsonNode container, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(path)) {
                return m.path("name").asText();
            }
        }
        throw new AssertionError(
                "nothing mounted at " + path + " in " + container.path("name").asText());
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }
}
