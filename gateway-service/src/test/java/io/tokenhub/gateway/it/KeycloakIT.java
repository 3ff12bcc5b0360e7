package io.tokenhub.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.gateway.proxy.FakeRoutingResource;
import io.tokenhub.infra.LocalPostgres;
import io.tokenhub.infra.testing.PostgresTestResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Keycloak as the dashboards' identity provider: the gateway, configured only with
 * {@code quarkus.oidc.auth-server-url} as an operator would (see README, "Wiring a real identity provider"), accepts
 * Keycloak's access tokens, reads the account from the {@code tokenhub_account} claim and the admin role from
 * {@code groups}, and refuses a tampered token.
 */
class KeycloakIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KeycloakServer keycloak;
    private static FakeRoutingResource routing;
    private static GatewayProcess gateway;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        keycloak = KeycloakServer.start();
        routing = new FakeRoutingResource();
        Map<String, String> routingConfig = routing.start();
        LocalPostgres postgres = PostgresTestResource.postgres();
        Map<String, String> properties = new HashMap<>();
        properties.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        properties.put("quarkus.datasource.username", postgres.username());
        properties.put("quarkus.datasource.password", postgres.password());
        properties.put("quarkus.oidc.auth-server-url", keycloak.issuer());
        properties.put("tokenhub.internal.secret", "keycloak-it-internal-secret");
        properties.put("tokenhub.gateway.routing-url", routingConfig.get("tokenhub.gateway.routing-url"));
        gateway = GatewayProcess.start(properties);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (routing != null) {
            routing.stop();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void aKeycloakTokenManagesTheAccountsKeysAndTheKeyWorks() throws Exception {
        String alice = keycloak.token("alice", "alice-password");
        HttpResponse<String> created = send("POST", "/api/keys", alice, "{\"name\":\"from keycloak\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode key = JSON.readTree(created.body());
        assertEquals("kc-acme", key.path("api_key").path("account_id").asText(), "account from tokenhub_account");

        HttpResponse<String> listed = send("GET", "/api/keys", alice, null);
        assertEquals(200, listed.statusCode(), listed.body());
        assertEquals(
                key.path("api_key").path("id").asText(),
                JSON.readTree(listed.body()).path("data").get(0).path("id").asText());

        HttpResponse<String> models = send("GET", "/v1/models", key.path("key").asText(), null);
        assertEquals(200, models.statusCode(), "the key made with a Keycloak token authenticates: " + models.body());
        HttpResponse<String> keycloakTokenOnV1 = send("GET", "/v1/models", alice, null);
        assertEquals(401, keycloakTokenOnV1.statusCode(), "/v1 takes TokenHub keys only");
    }

    @Test
    void rolesComeFromTheGroupsClaim() throws Exception {
        String alice = keycloak.token("alice", "alice-password");
        String olga = keycloak.token("olga", "olga-password");
        assertEquals(
                403,
                send("GET", "/api/keys?account=kc-other", alice, null).statusCode(),
                "a member cannot read another account");
        HttpResponse<String> asAdmin = send("GET", "/api/keys?account=kc-acme", olga, null);
        assertEquals(200, asAdmin.statusCode(), asAdmin.body());
    }

    @Test
    void aTamperedOrForeignTokenIsRefused() throws Exception {
        String alice = keycloak.token("alice", "alice-password");
        String[] parts = alice.split("\\.");
        String forgedClaims = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("kc-acme", "kc-evil")
                        .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> forged = send("GET", "/api/keys", parts[0] + "." + forgedClaims + "." + parts[2], null);
        assertEquals(401, forged.statusCode());
        assertTrue(forged.body().contains("\"error\""), forged.body());
        assertFalse(forged.body().contains("kc-evil"));
        assertEquals(401, send("GET", "/api/keys", "not-a-token", null).statusCode());
    }

    @Test
    void aTokenMintedForAnotherClientOfTheRealmIsRefused() throws Exception {
        // Same realm, same user, same claims: only the audience says the token was not meant for TokenHub's APIs.
        String forOtherApp = keycloak.token("alice", "alice-password", "other-app");
        HttpResponse<String> refused = send("GET", "/api/keys", forOtherApp, null);
        assertEquals(401, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"invalid_token\""), refused.body());
        assertEquals(
                200,
                send("GET", "/api/keys", keycloak.token("alice", "alice-password"), null)
                        .statusCode());
    }

    private static HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("Authorization", "Bearer " + bearer)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
