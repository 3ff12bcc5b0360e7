package io.tokenhub.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenhub.gateway.proxy.FakeRoutingResource;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import io.tokenhub.infra.testing.RedisTestResource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * gateway-service on real PostgreSQL with real OIDC token verification, in front of a stand-in routing-service: the
 * key lifecycle, authentication failures, request ids, account isolation, size limits and chunk-by-chunk relaying.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DevOidcTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRoutingResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = false)
class GatewayIT {

    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    /** Whole tokens a sync with the shared store can take off {@code x-ratelimit-remaining-tokens} (rounding down). */
    private static final int SYNC_SLACK = 1;

    @TestHTTPResource("/")
    URL gateway;

    /** The management interface's root, /q. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    /**
     * Health, metrics and the OpenAPI document are on the management port only: the API port, the one the Ingress
     * publishes, answers 404 for them, with or without a trailing path, so nothing under /q leaks to the internet.
     */
    @Test
    void quarkusEndpointsAreServedOnTheManagementPortAndNotOnTheApiPort() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        assertNotEquals(gateway.getPort(), management.getPort(), "the management interface has a port of its own");
        for (String path :
                new String[] {"/q/health", "/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi"}) {
            HttpResponse<String> api = http.send(
                    HttpRequest.newBuilder(resolve(gateway, path)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> mgmt = http.send(
                    HttpRequest.newBuilder(onManagementPort(path)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, api.statusCode(), "API port " + path + ": " + api.body());
            assertEquals(200, mgmt.statusCode(), "management port " + path + ": " + mgmt.body());
        }
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(onManagementPort("/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(
                metrics.body().contains("tokenhub_key_lookups_total"), "the gateway's own metrics are scraped there");
        HttpResponse<String> openapi = http.send(
                HttpRequest.newBuilder(onManagementPort("/q/openapi")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(openapi.body().contains("/api/keys"), "the gateway's OpenAPI document is served there");
    }

    private static URI resolve(URL base, String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }

    private URI onManagementPort(String path) {
        return URI.create("http://" + management.getHost() + ":" + management.getPort() + path);
    }

    @Test
    void aKeyWorksUntilItIsRevoked() throws InterruptedException {
        String account = "acme-" + UUID.randomUUID();
        String token = DevOidcTestResource.tokenFor(account);
        Response created = given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{\"name\":\"ci\"}")
                .post("/api/keys");
        created.then()
                .statusCode(201)
                .body("key", matchesPattern("thk_[a-z0-9]{12}_[A-Za-z0-9]{32}"))
                .body("api_key.name", equalTo("ci"))
                .body("api_key.account_id", equalTo(account));
        String key = created.path("key");
        String id = created.path("api_key.id");

        String listed = given().auth()
                .oauth2(token)
                .get("/api/keys")
                .then()
                .statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].prefix", equalTo("thk_" + id))
                .extract()
                .asString();
        assertFalse(listed.contains(key.substring(key.lastIndexOf('_') + 1)), "lists never show the secret");

        given().auth()
                .oauth2(key)
                .contentType("application/json")
                .body(CHAT)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header("X-TokenHub-Provider", "openai")
                .body("account", equalTo(account))
                .body("key", equalTo(id))
                .body("signed", equalTo(true))
                .body("secret_sent", equalTo(false))
                .body("authorization", nullValue());

        given().auth().oauth2(token).delete("/api/keys/" + id).then().statusCode(204);
        awaitStatus(key, 401, Duration.ofSeconds(5));
        given().auth().oauth2(token).get("/api/keys").then().body("data[0].revoked_at", not(nullValue()));
    }

    @Test
    void keysAreManagedOnlyWithATokenMintedForTokenHub() {
        // Signed by the same issuer with the same claims, but for another client of the realm.
        given().auth()
                .oauth2(DevOidcTestResource.tokenForAudience("another-app", "acct-aud"))
                .get("/api/keys")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("invalid_token"));
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor("acct-aud"))
                .get("/api/keys")
                .then()
                .statusCode(200);
    }

    @Test
    void aKeyStopsWorkingWhenItExpires() throws InterruptedException {
        String token = DevOidcTestResource.tokenFor("expiring-" + UUID.randomUUID());
        // Far enough ahead that creating the key and one call fit before it on two loaded cores.
        Instant expiresAt = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
        Response created = given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{\"name\":\"short\",\"expires_at\":\"" + expiresAt + "\"}")
                .post("/api/keys");
        created.then().statusCode(201).body("api_key.expires_at", equalTo(expiresAt.toString()));
        String key = created.path("key");
        given().auth()
                .oauth2(key)
                .contentType("application/json")
                .body(CHAT)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200);
        awaitStatus(key, 401, Duration.ofSeconds(12));
        assertTrue(Instant.now().isAfter(expiresAt), "refused only once expired");
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{\"expires_at\":\"2020-01-01T00:00:00Z\"}")
                .post("/api/keys")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("expires_at"));
    }

    /**
     * Plan few-tokens: 1000 tokens a minute per key. A request reserves its prompt (3 tokens here) plus its max_tokens,
     * or 100 without one (the test profile's default-output-tokens); once answered, what it used (30, as the stand-in
     * says in a header or a stream's trailer) replaces the reservation. The limits are shared through Redis here, whose
     * clock is read across a round trip: after a sync the bucket can look a fraction of a token emptier than it is, so
     * the lower bounds after the first allow {@link #SYNC_SLACK} token less.
     */
    @Test
    void tokensPerMinuteAreReservedUpFrontAndSettledToTheRealUsage() {
        String key = newKey("limited-tokens");
        String reserving600 =
                "{\"model\":\"gpt-4o\",\"max_tokens\":600,\"messages\":[{\"role\":\"user\"," + "\"content\":\"hi\"}]}";
        Response first = tokens(key, reserving600);
        first.then().statusCode(200).header("x-ratelimit-limit-tokens", "1000");
        assertBetween(397, 400, first.header("x-ratelimit-remaining-tokens"));
        // Settled to 30: another 603 fits, which it would not had the reservation stayed (397 left).
        Response second = tokens(key, reserving600);
        second.then().statusCode(200);
        // Tokens refill at 1000 a minute, about 17 a second, so the figures allow for a slow machine.
        assertBetween(
                1000 - 30 - 603 - SYNC_SLACK, 1000 - 30 - 603 + 60, second.header("x-ratelimit-remaining-tokens"));
        // A stream settles from its trailer the same way.
        tokens(
                        key,
                        reserving600
                                .replace("gpt-4o", "usage-stream")
                                .replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\""))
                .then()
                .statusCode(200);
        assertEquals("HTTP_2", HostileInputIT.fake("/version"), "the trailer came over HTTP/2");
        // 90 used: 999 more do not fit now (for about 5 s), though they would in an empty minute.
        Response refused = tokens(key, reserving600.replace("600", "996"));
        refused.then()
                .statusCode(429)
                .body("error.type", equalTo("tokens"))
                .body("error.code", equalTo("rate_limit_exceeded"));
        assertBetween(1000 - 90 - SYNC_SLACK, 1000, refused.header("x-ratelimit-remaining-tokens"));
        assertBetween(1, 6, refused.header("Retry-After"));
        tokens(key, reserving600.replace("600", "2000"))
                .then()
                .statusCode(429)
                .body("error.message", matchesPattern("Request too large.*"))
                .header("Retry-After", nullValue())
                .header("x-should-retry", "false");
        Response unbounded = tokens(key, CHAT);
        assertEquals(200, unbounded.statusCode());
        assertBetween(
                1000 - 90 - 103 - SYNC_SLACK, 1000 - 90 - 103 + 60, unbounded.header("x-ratelimit-remaining-tokens"));
    }

    static Response tokens(String key, String body) {
        return given().auth()
                .oauth2(key)
                .contentType("application/json")
                .body(body)
                .post("/v1/chat/completions");
    }

    private static void assertBetween(long low, long high, String value) {
        long actual = Long.parseLong(value);
        assertTrue(actual >= low && actual <= high, value + " is not within " + low + ".." + high);
    }

    @Test
    void badKeysGet401InOpenAiShapeWithARequestId() {
        given().contentType("application/json")
                .body(CHAT)
                .post("/v1/chat/completions")
                .then()
                .statusCode(401)
                .header("X-Inferoute-Request-Id", matchesPattern("req_[0-9A-Z]{26}"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("missing_api_key"));
        given().auth()
                .oauth2("thk_aaaaaaaaaaaa_" + "A".repeat(32))
                .contentType("application/json")
                .body(CHAT)
                .post("/v1/chat/completions")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
        given().auth().oauth2("sk-not-a-tokenhub-key").get("/v1/models").then().statusCode(401);
        given().header("Authorization", "Basic dXNlcjpwYXNz")
                .get("/v1/models")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor("acme"))
                .get("/v1/models")
                .then()
                .statusCode(401);
    }

    /** The Anthropic SDKs send the key in x-api-key and read errors in Anthropic's shape, with request-id. */
    @Test
    void theMessagesEndpointsTakeXApiKeyAndAnswerErrorsInAnthropicsShape() {
        String message = "{\"model\":\"claude-3-5-sonnet\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        Response missing = given().contentType("application/json")
                .header("anthropic-version", "2023-06-01")
                .body(message)
                .post("/v1/messages");
        missing.then()
                .statusCode(401)
                .header("request-id", matchesPattern("req_[0-9A-Z]{26}"))
                .body("type", equalTo("error"))
                .body("error.type", equalTo("authentication_error"))
                .body("request_id", equalTo(missing.header("request-id")));
        given().contentType("application/json")
                .header("x-api-key", "thk_aaaaaaaaaaaa_" + "A".repeat(32))
                .body(message)
                .post("/v1/messages")
                .then()
                .statusCode(401)
                .body("error.type", equalTo("authentication_error"));
        String key = newKey("anthropic-sdk-" + UUID.randomUUID());
        given().contentType("application/json")
                .header("x-api-key", key)
                .header("anthropic-version", "2023-06-01")
                .body(message)
                .post("/v1/messages")
                .then()
                .statusCode(200)
                .header("X-TokenHub-Provider", equalTo("anthropic"))
                .body("key", matchesPattern(".+"))
                .body("x_api_key", nullValue())
                .body("anthropic_version", nullValue());
        given().contentType("application/json")
                .header("x-api-key", key)
                .body("{\"model\":\"claude-3-5-sonnet\",\"messages\":[]}")
                .post("/v1/messages/count_tokens")
                .then()
                .statusCode(200);
        given().header("x-api-key", key)
                .get("/v1/messages")
                .then()
                .statusCode(405)
                .body("type", equalTo("error"))
                .body("error.type", equalTo("invalid_request_error"));
        given().contentType("application/json")
                .header("x-api-key", key)
                .body(message)
                .post("/v1/messages/batches")
                .then()
                .statusCode(404)
                .body("error.type", equalTo("not_found_error"));
        // x-api-key is the Anthropic endpoints' header only.
        given().header("x-api-key", key).get("/v1/models").then().statusCode(401);
    }

    @Test
    void aClientIdIsEchoedAndForwardedAsCorrelationButNeverAsTheBillingId() {
        String key = newKey("ids-" + UUID.randomUUID());
        Set<String> billingIds = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Response response = given().auth()
                    .oauth2(key)
                    .header("X-Inferoute-Request-Id", "my-trace.001")
                    .contentType("application/json")
                    .body(CHAT)
                    .post("/v1/chat/completions");
            response.then()
                    .statusCode(200)
                    .header("X-Inferoute-Request-Id", "my-trace.001")
                    .header("x-request-id", "my-trace.001")
                    .body("client_request_id", equalTo("my-trace.001"));
            String billingId = response.path("request_id");
            assertTrue(billingId.matches("req_[0-9A-Z]{26}"), billingId);
            billingIds.add(billingId);
        }
        assertEquals(3, billingIds.size(), "one client id reused must still give one billing id per request");
        Response replaced = given().auth()
                .oauth2(key)
                .header("X-Inferoute-Request-Id", "bad id; drop table")
                .contentType("application/json")
                .body(CHAT)
                .post("/v1/chat/completions");
        String made = replaced.header("X-Inferoute-Request-Id");
        assertTrue(made.matches("req_[0-9A-Z]{26}"), made);
        assertEquals(made, replaced.header("x-request-id"));
        assertEquals(made, replaced.path("request_id"));
        assertNull(replaced.path("client_request_id"));
    }

    @Test
    void anAccountCannotTouchAnotherAccountsKeys() {
        String owner = "owner-" + UUID.randomUUID();
        Response created = given().auth()
                .oauth2(DevOidcTestResource.tokenFor(owner))
                .contentType("application/json")
                .body("{}")
                .post("/api/keys");
        String id = created.path("api_key.id");
        String intruder = DevOidcTestResource.tokenFor("intruder-" + UUID.randomUUID());
        given().auth().oauth2(intruder).delete("/api/keys/" + id).then().statusCode(404);
        given().auth()
                .oauth2(intruder)
                .get("/api/keys?account=" + owner)
                .then()
                .statusCode(403)
                .body("error.type", equalTo("permission_error"));
        given().auth().oauth2(intruder).get("/api/keys").then().statusCode(200).body("data", hasSize(0));
        given().auth()
                .oauth2(DevOidcTestResource.tokenFor("ops", "tokenhub-admin"))
                .get("/api/keys?account=" + owner)
                .then()
                .statusCode(200)
                .body("data[0].id", equalTo(id));
        given().get("/api/keys").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/api/keys").then().statusCode(401);
    }

    /**
     * curl sends {@code Expect: 100-continue} with a body over 1 MB and waits a second for the go-ahead before it
     * uploads: the gateway gives it once the key has passed, and a refused request is answered without its body.
     */
    @Test
    void aClientThatAsksBeforeUploadingGetsTheGoAheadOnlyWithAValidKey() throws Exception {
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Expect: 100-continue\r\nConnection: close\r\nContent-Length: " + CHAT.length() + "\r\n";
        String key = newKey("expect-" + UUID.randomUUID());
        try (RawHttp raw = new RawHttp(gateway)) {
            String interim =
                    raw.send(head + "Authorization: Bearer " + key + "\r\n\r\n").readUntil("\r\n\r\n");
            assertTrue(interim.startsWith("HTTP/1.1 100 Continue\r\n"), interim);
            String answer = raw.send(CHAT).readUntilClosed();
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        }
        try (RawHttp raw = new RawHttp(gateway)) {
            String answer = raw.send(head + "Authorization: Bearer sk-th-not-a-key\r\n\r\n")
                    .readUntilClosed();
            assertTrue(answer.startsWith("HTTP/1.1 401 "), answer);
            assertFalse(answer.contains("100 Continue"), answer);
        }
    }

    @Test
    void oversizedBodiesGet413() {
        String key = newKey("big-" + UUID.randomUUID());
        String huge =
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70_000) + "\"}]}";
        given().auth()
                .oauth2(key)
                .contentType("application/json")
                .body(huge)
                .post("/v1/chat/completions")
                .then()
                .statusCode(413)
                .body("error.code", equalTo("request_too_large"))
                .header("X-Inferoute-Request-Id", not(nullValue()));
    }

    @Test
    void streamsAreRelayedChunkByChunk() throws Exception {
        String key = newKey("stream-" + UUID.randomUUID());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"")))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals(
                "openai", response.headers().firstValue("X-TokenHub-Provider").orElseThrow());
        assertTrue(response.headers().firstValue("X-Inferoute-Request-Id").isPresent());
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            // The second half is only sent once we prove the first arrived on its own.
            assertEquals("data: {\"half\":1}", reader.readLine());
            String release = ConfigProvider.getConfig().getValue("test.fake-routing.url", String.class) + "/release";
            assertEquals(
                    204,
                    http.send(
                                    HttpRequest.newBuilder(URI.create(release))
                                            .POST(HttpRequest.BodyPublishers.noBody())
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode());
            assertEquals("", reader.readLine());
            assertEquals("data: {\"half\":2}", reader.readLine());
            assertEquals("", reader.readLine());
            assertEquals("data: [DONE]", reader.readLine());
        }
    }

    static String newKey(String account) {
        return given().auth()
                .oauth2(DevOidcTestResource.tokenFor(account))
                .contentType("application/json")
                .body("{}")
                .post("/api/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }

    /**
     * A streamed request through {@code client} for the stand-in routing's slow stream (ten seconds of frames), its
     * body left to the test to read or close.
     */
    static HttpResponse<InputStream> slowStream(HttpClient client, URL gateway, String key)
            throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(gateway + "v1/chat/completions"))
                        .header("Authorization", "Bearer " + key)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"slow-stream\",\"stream\":true,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    static void awaitStatus(String key, int expected, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = given().auth()
                    .oauth2(key)
                    .contentType("application/json")
                    .body(CHAT)
                    .post("/v1/chat/completions")
                    .statusCode();
            if (last == expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + expected + " within " + within + " but got " + last);
    }
}
