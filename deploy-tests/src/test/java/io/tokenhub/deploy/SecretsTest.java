package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** No secret value is ever part of the chart or its output: credentials reach the pods only through secretKeyRef. */
class SecretsTest {

    /** Environment variable names that carry credentials (the same rule values.schema.json enforces on extraEnv). */
    private static final Pattern CREDENTIAL =
            Pattern.compile("PASSWORD|PASSWD|SECRET|API_KEY|APIKEY|JAAS|CREDENTIAL|PRIVATE_KEY|_TOKEN$|_TOKEN_");

    /** Shapes of real provider keys, private keys and passwords in URLs. */
    private static final Pattern KEY_SHAPED = Pattern.compile(
            "sk-[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{30,}|-----BEGIN [A-Z ]*PRIVATE KEY-----|[?&]password=");

    private static final String CANARY = "sk-canary0123456789abcdefghijklmnop";

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void theChartCreatesNoSecret(Rendering rendering) {
        assertThat(rendering.ofKind("Secret")).isEmpty();
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void everyCredentialComesFromASecretKeyRef(Rendering rendering) {
        int credentials = 0;
        for (ObjectNode deployment : rendering.ofKind("Deployment")) {
            for (JsonNode env : Rendering.container(deployment).path("env")) {
                String name = env.path("name").asText();
                if (CREDENTIAL.matcher(name).find()) {
                    credentials++;
                    assertThat(env.has("value")).as("%s is inlined", name).isFalse();
                    assertThat(env.at("/valueFrom/secretKeyRef/name").asText())
                            .as(name)
                            .isNotEmpty();
                    assertThat(env.at("/valueFrom/secretKeyRef/key").asText())
                            .as(name)
                            .isNotEmpty();
                }
            }
        }
        // 5 provider keys in routing and in health-monitor, the internal secret twice, two database passwords.
        assertThat(credentials).isGreaterThanOrEqualTo(14);
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void regionalEndpointsReachRoutingWithTheirOwnKeys(Rendering rendering) {
        JsonNode values = ValuesFiles.of(rendering);
        JsonNode routing = Rendering.container(rendering.deployment(Component.ROUTING.moduleName));
        JsonNode health = Rendering.container(rendering.deployment(Component.HEALTH_MONITOR.moduleName));
        int endpoints = 0;
        for (String provider : new String[] {"openai", "anthropic", "google", "mistral", "meta"}) {
            String prefix = "TOKENHUB_PROVIDERS_" + provider.toUpperCase() + "_";
            assertThat(Rendering.env(routing, prefix + "REGION").path("value").asText())
                    .isEqualTo(values.at("/providers/" + provider + "/region").asText());
            for (JsonNode endpoint : values.at("/providers/" + provider + "/endpoints")) {
                endpoints++;
                String name =
                        prefix + "ENDPOINTS_" + endpoint.path("name").asText().toUpperCase() + "_";
                assertThat(Rendering.env(routing, name + "BASE_URL")
                                .path("value")
                                .asText())
                        .isEqualTo(endpoint.path("baseUrl").asText());
                assertThat(Rendering.env(routing, name + "REGION").path("value").asText())
                        .isEqualTo(endpoint.path("region").asText());
                JsonNode ref = Rendering.env(routing, name + "API_KEY").at("/valueFrom/secretKeyRef");
                assertThat(ref.path("name").asText())
                        .isEqualTo(values.at("/providers/existingSecret").asText());
                assertThat(ref.path("key").asText())
                        .isEqualTo(endpoint.path("apiKeySecretKey").asText());
            }
        }
        if (rendering == Chart.production()) {
            // The production example configures OpenAI's EU endpoint.
            assertThat(endpoints).isEqualTo(1);
        }
        // Health-monitor probes the default endpoints only; it has no use for the regional keys.
        assertThat(health.path("env").findValuesAsText("name")).noneMatch(n -> n.contains("_ENDPOINTS_"));
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void secretKeyRefsPointWhereTheValuesSay(Rendering rendering) {
        JsonNode values = ValuesFiles.of(rendering);
        JsonNode routing = Rendering.container(rendering.deployment(Component.ROUTING.moduleName));
        JsonNode gateway = Rendering.container(rendering.deployment(Component.GATEWAY.moduleName));
        JsonNode billing = Rendering.container(rendering.deployment(Component.BILLING.moduleName));

        for (String provider : new String[] {"openai", "anthropic", "google", "mistral", "meta"}) {
            JsonNode ref = Rendering.env(routing, "TOKENHUB_PROVIDERS_" + provider.toUpperCase() + "_API_KEY")
                    .at("/valueFrom/secretKeyRef");
            assertThat(ref.path("name").asText())
                    .isEqualTo(values.at("/providers/existingSecret").asText());
            assertThat(ref.path("key").asText())
                    .isEqualTo(values.at("/providers/" + provider + "/apiKeySecretKey")
                            .asText());
            assertThat(ref.path("optional").asBoolean())
                    .isEqualTo(values.at("/providers/" + provider + "/optional").asBoolean());
        }
        for (JsonNode container : new JsonNode[] {gateway, routing}) {
            JsonNode ref = Rendering.env(container, "TOKENHUB_INTERNAL_SECRET").at("/valueFrom/secretKeyRef");
            assertThat(ref.path("name").asText())
                    .isEqualTo(values.at("/internalSecret/existingSecret").asText());
            assertThat(ref.path("key").asText())
                    .isEqualTo(values.at("/internalSecret/key").asText());
        }
        // Only routing-service checks signatures, so only it gets the secrets accepted during a rotation; the key is
        // absent outside one, hence optional.
        JsonNode accepted =
                Rendering.env(routing, "TOKENHUB_INTERNAL_ACCEPTED_SECRETS").at("/valueFrom/secretKeyRef");
        assertThat(accepted.path("key").asText())
                .isEqualTo(values.at("/internalSecret/acceptedKey").asText());
        assertThat(accepted.path("optional").asBoolean()).isTrue();
        assertThat(gateway.path("env").findValuesAsText("name")).doesNotContain("TOKENHUB_INTERNAL_ACCEPTED_SECRETS");
        JsonNode redisUrl = Rendering.env(gateway, "TOKENHUB_RATE_LIMITS_REDIS_URL");
        assertThat(redisUrl.path("value").asText())
                .isEqualTo(values.at("/gateway/rateLimits/redisUrl").asText());
        if (!values.at("/gateway/rateLimits/existingSecret").asText().isEmpty()) {
            JsonNode password = Rendering.env(gateway, "TOKENHUB_RATE_LIMITS_REDIS_PASSWORD")
                    .at("/valueFrom/secretKeyRef");
            assertThat(password.path("name").asText())
                    .isEqualTo(values.at("/gateway/rateLimits/existingSecret").asText());
            assertThat(password.path("key").asText())
                    .isEqualTo(
                            values.at("/gateway/rateLimits/passwordSecretKey").asText());
        }
        assertThat(Rendering.env(gateway, "QUARKUS_DATASOURCE_PASSWORD")
                        .at("/valueFrom/secretKeyRef/key")
                        .asText())
                .isEqualTo(values.at("/gateway/database/passwordSecretKey").asText());
        assertThat(Rendering.env(billing, "QUARKUS_DATASOURCE_PASSWORD")
                        .at("/valueFrom/secretKeyRef/name")
                        .asText())
                .isEqualTo(values.at("/billing/database/existingSecret").asText());
        JsonNode dashboard = Rendering.container(rendering.deployment(Component.DASHBOARD.moduleName));
        Map<String, String> dashboardKeys = Map.of(
                "QUARKUS_OIDC_CREDENTIALS_SECRET", "clientSecretKey",
                "TOKENHUB_DASHBOARD_STATE_SECRET", "stateSecretKey",
                "TOKENHUB_DASHBOARD_SESSION_SECRET", "sessionSecretKey");
        dashboardKeys.forEach((variable, key) -> {
            JsonNode ref = Rendering.env(dashboard, variable).at("/valueFrom/secretKeyRef");
            assertThat(ref.path("name").asText())
                    .as(variable)
                    .isEqualTo(values.at("/dashboard/secrets/existingSecret").asText());
            assertThat(ref.path("key").asText())
                    .as(variable)
                    .isEqualTo(values.at("/dashboard/secrets/" + key).asText());
        });
        assertThat(Rendering.env(dashboard, "QUARKUS_DATASOURCE_PASSWORD")
                        .at("/valueFrom/secretKeyRef/key")
                        .asText())
                .isEqualTo(values.at("/dashboard/database/passwordSecretKey").asText());
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void nothingShapedLikeAKeyOrPasswordIsRendered(Rendering rendering) {
        assertThat(KEY_SHAPED.matcher(rendering.text()).find()).isFalse();
    }

    @Test
    void keyShapeDetectorRecognisesAKey() {
        assertThat(KEY_SHAPED.matcher("value: " + CANARY).find()).isTrue();
    }

    @Test
    void valuesHaveNoPlaceForAProviderKey() {
        assertRejected(Map.of("providers.openai.apiKey", CANARY), "additional properties 'apiKey' not allowed");
    }

    @Test
    void valuesHaveNoPlaceForADatabasePassword() {
        assertRejected(Map.of("gateway.database.password", CANARY), "additional properties 'password' not allowed");
    }

    @Test
    void valuesHaveNoPlaceForTheInternalSecret() {
        assertRejected(Map.of("internalSecret.value", CANARY), "additional properties 'value' not allowed");
    }

    @Test
    void extraEnvRefusesAnInlinedCredential() {
        assertRejected(
                Map.of("kafka.extraEnv[0].name", "KAFKA_SASL_JAAS_CONFIG", "kafka.extraEnv[0].value", CANARY),
                "/kafka/extraEnv/0': missing property 'valueFrom'");
        assertRejected(
                Map.of(
                        "gateway.extraEnv[0].name",
                        "QUARKUS_OIDC_CREDENTIALS_SECRET",
                        "gateway.extraEnv[0].value",
                        CANARY),
                "/gateway/extraEnv/0': missing property 'valueFrom'");
    }

    @Test
    void extraEnvTakesACredentialFromASecret() {
        Rendering rendering = new Rendering(
                "jaas",
                Chart.template(
                        null,
                        Map.of(
                                "kafka.extraEnv[0].name", "KAFKA_SASL_JAAS_CONFIG",
                                "kafka.extraEnv[0].valueFrom.secretKeyRef.name", "tokenhub-kafka-user",
                                "kafka.extraEnv[0].valueFrom.secretKeyRef.key", "sasl.jaas.config")));

        JsonNode env = Rendering.env(
                Rendering.container(rendering.deployment(Component.BILLING.moduleName)), "KAFKA_SASL_JAAS_CONFIG");
        assertThat(env.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("tokenhub-kafka-user");
    }

    private static void assertRejected(Map<String, Object> sets, String reason) {
        assertThatThrownBy(() -> Chart.template(null, sets))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(reason)
                .hasMessageNotContaining(CANARY);
    }
}
