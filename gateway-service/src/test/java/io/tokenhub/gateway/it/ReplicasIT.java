package io.tokenhub.gateway.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenhub.gateway.proxy.FakeRoutingResource;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import io.tokenhub.infra.testing.RedisTestResource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two gateway replicas, this test's Quarkus instance and a second one started from the packaged jar with production
 * defaults, on one PostgreSQL and one Redis: a revocation made on one reaches the other within 5 s, and rate limits
 * are shared, per key and per account; a replica that stops writes the last use of keys it had not flushed yet.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DevOidcTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRoutingResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    /**
     * Four sync intervals (100 ms): both replicas have pushed and read the shared counters. Not longer: the limited
     * plan refills as the test runs, and a longer wait (1 s) made the account's count read one too high.
     */
    private static final Duration SYNC_WAIT = Duration.ofMillis(400);

    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static GatewayProcess other;

    @BeforeAll
    static void startSecondReplica() {
        Config config = ConfigProvider.getConfig();
        Map<String, String> properties = new HashMap<>();
        for (String name : new String[] {
            "quarkus.datasource.jdbc.url",
            "quarkus.datasource.username",
            "quarkus.datasource.password",
            "quarkus.oidc.public-key",
            "quarkus.oidc.token.issuer",
            "tokenhub.internal.secret",
            "tokenhub.gateway.routing-url",
            RedisTestResource.URL_PROPERTY,
            "tokenhub.rate-limits.plans.few-requests.key-requests-per-minute",
            "tokenhub.rate-limits.plans.few-requests.account-requests-per-minute",
            "tokenhub.rate-limits.accounts.limited-requests",
            "tokenhub.rate-limits.plans.few-tokens.key-tokens-per-minute",
            "tokenhub.rate-limits.accounts.limited-tokens"
        }) {
            properties.put(name, config.getValue(name, String.class));
        }
        // Everything else, the key cache TTL of 5 s included, is the production default.
        other = GatewayProcess.start(properties);
    }

    @AfterAll
    static void stopSecondReplica() {
        if (other != null) {
            other.close();
        }
    }

    @Test
    @Order(1)
    void aRevocationReachesTheOtherReplicaWithinFiveSeconds() throws InterruptedException {
        String account = "replicas-" + UUID.randomUUID();
        String token = DevOidcTestResource.tokenFor(account);
        Response created = given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{}")
                .post("/api/keys");
        String key = created.path("key");
        String id = created.path("api_key.id");
        assertEquals(200, chat(other.baseUrl(), key).statusCode(), "the other replica knows the new key");
        assertEquals(200, chat(null, key).statusCode());
        // The other replica now has the key cached as valid; revoke on this one.
        given().auth().oauth2(token).delete("/api/keys/" + id).then().statusCode(204);
        Instant revoked = Instant.now();
        assertEquals(401, chat(null, key).statusCode(), "the replica that revoked refuses at once");
        int status = 200;
        while (status != 401 && Duration.between(revoked, Instant.now()).toMillis() < 8_000) {
            status = chat(other.baseUrl(), key).statusCode();
            Thread.sleep(50);
        }
        Duration took = Duration.between(revoked, Instant.now());
        assertEquals(401, status, "the other replica never refused the revoked key");
        assertTrue(took.toMillis() <= 5_300, "revocation took " + took + " to reach the other replica");
    }

    /**
     * Plan few-requests: 4 requests a minute per key, 6 per account. Requests alternate between the replicas, with a
     * pause longer than the sync interval in between, and each replica sees what the other counted.
     */
    @Test
    @Order(2)
    void rateLimitsAreSharedAcrossReplicasPerKeyAndPerAccount() throws InterruptedException {
        String token = DevOidcTestResource.tokenFor("limited-requests");
        String first = given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{}")
                .post("/api/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        String second = given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{}")
                .post("/api/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");

        assertRemaining(chat(null, first), 200, 3);
        assertRemaining(chat(null, first), 200, 2);
        Thread.sleep(SYNC_WAIT.toMillis());
        assertRemaining(chat(other.baseUrl(), first), 200, 1);
        assertRemaining(chat(other.baseUrl(), first), 200, 0);
        Thread.sleep(SYNC_WAIT.toMillis());
        Response refused = chat(null, first);
        assertRemaining(refused, 429, 0);
        assertEquals("requests", refused.path("error.type"));
        assertEquals("rate_limit_exceeded", refused.path("error.code"));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 15, "Retry-After " + retryAfter);
        assertEquals(429, chat(other.baseUrl(), first).statusCode());

        // The account has 6 a minute and 4 are used: the second key gets 2, though its own limit is 4.
        assertEquals(200, chat(other.baseUrl(), second).statusCode());
        Thread.sleep(SYNC_WAIT.toMillis());
        Response last = chat(null, second);
        assertEquals(200, last.statusCode());
        assertEquals("0", last.header("x-ratelimit-remaining-requests"), "the account is the tighter limit now");
        assertEquals("6", last.header("x-ratelimit-limit-requests"));
        Thread.sleep(SYNC_WAIT.toMillis());
        assertEquals(429, chat(other.baseUrl(), second).statusCode());
        assertEquals(429, chat(null, second).statusCode());
    }

    /**
     * Plan few-tokens: 1000 tokens a minute per key. What one replica admitted and settled (the stand-in reports the
     * {@code used-N} the request names) is what the other sees: together they stay at the limit, not at twice it.
     */
    @Test
    @Order(3)
    void tokensPerMinuteAreSharedAcrossReplicas() throws InterruptedException {
        String key = GatewayIT.newKey("limited-tokens");
        assertEquals(200, tokens(null, key, 600, 600).statusCode());
        Thread.sleep(SYNC_WAIT.toMillis());
        // Alone, this replica would have its whole 1000 and admit it.
        Response refused = tokens(other.baseUrl(), key, 600, 600);
        assertEquals(429, refused.statusCode(), refused.asString());
        assertEquals("tokens", refused.path("error.type"));
        Response fits = tokens(other.baseUrl(), key, 300, 300);
        assertEquals(200, fits.statusCode(), fits.asString());
        Thread.sleep(SYNC_WAIT.toMillis());
        Response full = tokens(null, key, 300, 300);
        assertEquals(429, full.statusCode(), "about 900 of 1000 used across both replicas: " + full.asString());
        long remaining = Long.parseLong(full.header("x-ratelimit-remaining-tokens"));
        assertTrue(remaining < 200, "the first replica counts what the second used: " + remaining);
    }

    private static Response tokens(String baseUrl, String key, int maxTokens, int used) {
        return (baseUrl == null ? given() : given().baseUri(baseUrl))
                .auth()
                .oauth2(key)
                .contentType("application/json")
                .body("{\"model\":\"gpt-4o\",\"max_tokens\":" + maxTokens + ",\"user\":\"used-" + used
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");
    }

    /** Last: it stops the other replica. Its last-used flush runs every 30 s, so this use is still in memory. */
    @Test
    @Order(4)
    void aReplicaThatStopsWritesTheLastUseOfItsKeys() {
        String account = "last-used-" + UUID.randomUUID();
        String token = DevOidcTestResource.tokenFor(account);
        String key = given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{}")
                .post("/api/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        assertEquals(200, chat(other.baseUrl(), key).statusCode());
        other.close();
        other = null;
        String lastUsed = given().auth()
                .oauth2(token)
                .get("/api/keys")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].last_used_at");
        assertNotNull(lastUsed, "the stopped replica lost the key's last use");
    }

    private static void assertRemaining(Response response, int status, int remaining) {
        assertEquals(status, response.statusCode(), response.asString());
        assertEquals("4", response.header("x-ratelimit-limit-requests"));
        assertEquals(Integer.toString(remaining), response.header("x-ratelimit-remaining-requests"));
        assertTrue(
                response.header("x-ratelimit-reset-requests").matches("[0-9.]+(ms|s)|[0-9]+m[0-9.]+s"),
                response.header("x-ratelimit-reset-requests"));
    }

    private static Response chat(String baseUrl, String key) {
        return (baseUrl == null ? given() : given().baseUri(baseUrl))
                .auth()
                .oauth2(key)
                .contentType("application/json")
                .body(CHAT)
                .post("/v1/chat/completions");
    }
}
