package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** values.schema.json turns mistakes into install errors instead of objects that silently misbehave. */
class ValuesSchemaTest {

    @Test
    void aMisspeltKeyIsRejected() {
        assertRejected(Map.of("gateway.replicaz", "3"), "replicaz");
    }

    @Test
    void anEnvironmentValueThatIsNotAStringIsRejected() {
        assertRejected(
                Map.of(
                        "routing.extraEnv[0].name",
                        "TOKENHUB_LIMITS_MAX_BODY_BYTES",
                        "routing.extraEnv[0].value",
                        8388608),
                "/routing/extraEnv/0/value': got number, want string");
    }

    @Test
    void aPodLabelThatWouldBreakTheSelectorsIsRejected() {
        assertRejected(
                Map.of("billing.podLabels.app\\.kubernetes\\.io/component", "ledger"),
                "invalid propertyName 'app.kubernetes.io/component'");
    }

    @Test
    void aDatabaseUrlThatIsNotPostgresqlJdbcIsRejected() {
        assertRejected(Map.of("billing.database.jdbcUrl", "postgres://db:5432/billing"), "/billing/database/jdbcUrl");
    }

    @Test
    void anIngressHostThatIsNotAHostNameIsRejected() {
        assertRejected(Map.of("ingress.host", "https://tokenhub.example.com/"), "/ingress/host");
    }

    @Test
    void anOidcServerThatIsNotAUrlIsRejected() {
        assertRejected(Map.of("oidc.authServerUrl", "keycloak/realms/tokenhub"), "/oidc/authServerUrl");
    }

    @Test
    void severalGatewayReplicasWithoutASharedRateLimitStoreAreRejected() {
        // Each replica would count alone, so every limit would hold only at the limit times the replica count.
        assertRejected(Map.of("gateway.rateLimits.redisUrl", ""), "/gateway/rateLimits/redisUrl");
        assertRejected(
                Map.of("gateway.rateLimits.redisUrl", "", "gateway.autoscaling.enabled", false, "gateway.replicas", 2),
                "/gateway/rateLimits/redisUrl");
        assertRejected(Map.of("gateway.rateLimits.redisUrl", "redis-master:6379"), "/gateway/rateLimits/redisUrl");
    }

    @Test
    void oneGatewayReplicaMayCountInItsOwnMemory() {
        Map<String, Object> single =
                Map.of("gateway.rateLimits.redisUrl", "", "gateway.autoscaling.enabled", false, "gateway.replicas", 1);
        assertThatCode(() -> Chart.template(null, single)).doesNotThrowAnyException();
    }

    @Test
    void anEmptyNetworkPolicyPeerWhichWouldMatchEveryPodIsRejected() throws IOException {
        Path values = RepoPaths.BUILD.resolve("values-empty-peer.yaml");
        Files.createDirectories(values.getParent());
        Files.writeString(values, "networkPolicy:\n  gatewayClientsFrom:\n    - {}\n");

        assertThatThrownBy(() -> Chart.template(values, Map.of()))
                .hasMessageContaining("at '/networkPolicy/gatewayClientsFrom/0': minProperties");
    }

    private static void assertRejected(Map<String, Object> sets, String where) {
        assertThatThrownBy(() -> Chart.template(null, sets))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(where);
    }
}
