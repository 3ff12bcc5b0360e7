package io.tokenhub.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tokenhub.gateway.proxy.FakeRoutingResource;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import io.tokenhub.infra.testing.RedisTestResource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The edge as an attacker meets it: every malformed, oversized, mislabelled, slow or abandoned request gets a 4xx in
 * OpenAI's shape with a request id, none of them reaches routing-service, and the gateway keeps serving throughout.
 * Limits here are the test profile's: 64 KiB bodies, depth 16, 50 messages, 20 embedding inputs, 2 s for a body.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DevOidcTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRoutingResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = false)
class HostileInputIT {

    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TestHTTPResource("/")
    URL gateway;

    private String key;

    @BeforeEach
    void key() {
        key = GatewayIT.newKey("hostile-" + UUID.randomUUID());
    }

    @Test
    void malformedBodiesGet400AndNeverReachRouting() {
        long before = forwarded();
        assertRefused(chat().body(""), 400, "invalid_json");
        assertRefused(chat().body("{\"model\":"), 400, "invalid_json");
        assertRefused(chat().body("[" + CHAT + "]"), 400, "invalid_json");
        assertRefused(chat().body(CHAT + "{}"), 400, "invalid_json");
        assertRefused(chat().body("{\"model\":\"a\",\"model\":\"b\",\"messages\":[]}"), 400, "duplicate_field");
        assertRefused(
                chat().body("{\"messages\":[{\"content\":" + "[".repeat(20) + "]".repeat(20) + "}]}"),
                400,
                "json_too_deep");
        assertRefused(
                chat().body("{\"messages\":[" + "{\"role\":\"user\",\"content\":\"x\"},".repeat(50)
                        + "{\"role\":\"user\",\"content\":\"x\"}]}"),
                400,
                "too_many_messages");
        assertRefused(
                given().auth()
                        .oauth2(key)
                        .contentType("application/json")
                        .body("{\"model\":\"text-embedding-3-small\",\"input\":[" + "\"x\",".repeat(20) + "\"x\"]}")
                        .when()
                        .post("/v1/embeddings")
                        .then(),
                400,
                "too_many_inputs");
        assertRefused(chat().body("{\"max_tokens\":1e9,\"messages\":[]}"), 400, "invalid_type");
        assertRefused(chat().body("{\"messages\":[{\"content\":\"\\udead\"}]}"), 400, "invalid_encoding");
        byte[] invalidUtf8 = {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
        assertRefused(chat().body(invalidUtf8), 400, "invalid_encoding");
        byte[] overlong = {'{', '"', 'm', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        assertRefused(chat().body(overlong), 400, "invalid_encoding");
        assertRefused(chat().body(CHAT.getBytes(StandardCharsets.UTF_16)), 400, "invalid_encoding");
        assertEquals(before, forwarded(), "no refused request may reach routing-service");
        assertServing();
    }

    @Test
    void wrongContentTypesGet415() {
        long before = forwarded();
        assertRefused(
                given().auth()
                        .oauth2(key)
                        .contentType("text/plain")
                        .body(CHAT)
                        .when()
                        .post("/v1/chat/completions")
                        .then(),
                415,
                "unsupported_media_type");
        assertRefused(
                given().auth()
                        .oauth2(key)
                        .contentType("application/x-www-form-urlencoded")
                        .body("model=gpt-4o")
                        .when()
                        .post("/v1/chat/completions")
                        .then(),
                415,
                "unsupported_media_type");
        assertRefused(
                given().auth()
                        .oauth2(key)
                        .contentType("application/json; charset=ISO-8859-1")
                        .body(CHAT)
                        .when()
                        .post("/v1/chat/completions")
                        .then(),
                415,
                "unsupported_media_type");
        given().auth()
                .oauth2(key)
                .contentType("application/json; charset=utf-8")
                .body(CHAT)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200);
        assertEquals(before + 1, forwarded());
    }

    @Test
    void unknownUrlsAndMethodsGet404And405() {
        assertRefused(given().auth().oauth2(key).get("/v1/assistants").then(), 404, "unknown_url");
        assertRefused(
                given().auth()
                        .oauth2(key)
                        .contentType("application/json")
                        .body(CHAT)
                        .post("/v1/../v1/completions")
                        .then(),
                404,
                "unknown_url");
        Response wrongMethod = given().auth().oauth2(key).get("/v1/chat/completions");
        wrongMethod.then().statusCode(405).header("Allow", "POST").body("error.code", equalTo("method_not_allowed"));
        given().auth().oauth2(key).delete("/v1/models").then().statusCode(405).header("Allow", "GET");
    }

    @Test
    void oversizedHeadersGet431InOpenAiShape() {
        RequestSpecification many =
                given().auth().oauth2(key).contentType("application/json").body(CHAT);
        for (int i = 0; i < 120; i++) {
            many = many.header("X-Padding-" + i, "x");
        }
        assertRefused(many.when().post("/v1/chat/completions").then(), 431, "request_header_fields_too_large");
        assertRefused(
                given().auth()
                        .oauth2(key)
                        .header("X-Big", "y".repeat(20_000))
                        .contentType("application/json")
                        .body(CHAT)
                        .when()
                        .post("/v1/chat/completions")
                        .then(),
                431,
                "request_header_fields_too_large");
        assertServing();
    }

    @Test
    void bodiesOverTheCapGet413EvenWithoutContentLength() throws Exception {
        String huge = "{\"messages\":[{\"content\":\"" + "x".repeat(70_000) + "\"}]}";
        HttpResponse<String> chunked = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(gateway + "v1/chat/completions"))
                                .header("Authorization", "Bearer " + key)
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new java.io.ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(chunked.body().contains("request_too_large"), chunked.body());
        assertServing();
    }

    @Test
    void aSlowBodyGets408AndTheConnectionIsClosed() throws Exception {
        long before = forwarded();
        Instant start = Instant.now();
        String answer;
        try (RawHttp raw = new RawHttp(gateway)) {
            answer = raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + CHAT.length() + "\r\n\r\n"
                            + CHAT.substring(0, 10))
                    .readUntilClosed();
        }
        Duration took = Duration.between(start, Instant.now());
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("\"code\":\"request_timeout\""), answer);
        assertTrue(answer.toLowerCase().contains("x-inferoute-request-id: "), answer);
        assertTrue(took.toMillis() >= 1_900 && took.toMillis() < 8_000, "closed after " + took);
        assertEquals(before, forwarded());
        assertServing();
    }

    /** Slowloris: a head dripped one byte at a time is never idle, so only a deadline on the whole head stops it. */
    @Test
    void aHeadDrippedSlowlyGets408AtTheDeadline() throws Exception {
        Instant start = Instant.now();
        String answer;
        try (RawHttp raw = new RawHttp(gateway)) {
            raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n");
            String drip = "X-Slow: " + "z".repeat(40);
            try {
                for (char c : drip.toCharArray()) {
                    raw.send(String.valueOf(c));
                    Thread.sleep(200);
                }
            } catch (java.io.IOException closedUnderUs) {
                // Expected once the deadline passes.
            }
            answer = raw.readUntilClosed();
        }
        Duration took = Duration.between(start, Instant.now());
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("\"code\":\"request_timeout\""), answer);
        assertTrue(answer.toLowerCase().contains("x-inferoute-request-id: req_"), answer);
        assertTrue(took.toMillis() >= 1_900 && took.toMillis() < 7_000, "closed after " + took);
        assertServing();
    }

    @Test
    void aKeptAliveConnectionMustStartItsNextHeadInTimeToo() throws Exception {
        try (RawHttp raw = new RawHttp(gateway)) {
            raw.send("GET /v1/models HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key + "\r\n\r\n");
            Thread.sleep(500);
            Instant start = Instant.now();
            raw.send("GET /v1/mod");
            String answer = raw.readUntilClosed();
            Duration took = Duration.between(start, Instant.now());
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains("HTTP/1.1 408"), "the second, unfinished head gets a 408: " + answer);
            assertTrue(took.toMillis() < 5_000, "closed after " + took);
        }
        try (RawHttp silent = new RawHttp(gateway)) {
            Instant start = Instant.now();
            String answer = silent.readUntilClosed();
            assertEquals("", answer, "a connection that never sent anything is closed without a word");
            assertTrue(Duration.between(start, Instant.now()).toMillis() < 5_000);
        }
    }

    @Test
    void aLongAnswerIsNotCutByTheHeadDeadline() throws Exception {
        HttpResponse<InputStream> response = slowStream();
        assertEquals(200, response.statusCode());
        Instant until = Instant.now().plusMillis(3_500);
        byte[] buffer = new byte[4096];
        long read = 0;
        try (InputStream body = response.body()) {
            while (Instant.now().isBefore(until)) {
                int n = body.read(buffer);
                assertTrue(n > 0, "the stream ended early, after " + read + " bytes");
                read += n;
            }
        }
        assertTrue(read > 1_000, "only " + read + " bytes in 3.5 s");
    }

    /** Refusing one HTTP/2 stream (here before its body was read) must not close the connection its siblings use. */
    @Test
    void aRefusalOnOneHttp2StreamLeavesItsSiblingsAlone() throws Exception {
        HttpClient h2 =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> upgraded = h2.send(
                HttpRequest.newBuilder(URI.create(gateway + "v1/models"))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, upgraded.version(), "the client speaks h2c with the gateway");
        HttpResponse<InputStream> stream = GatewayIT.slowStream(h2, gateway, key);
        try (InputStream body = stream.body()) {
            byte[] buffer = new byte[4096];
            assertTrue(body.read(buffer) > 0);
            for (String badKey : new String[] {"thk_aaaaaaaaaaaa_" + "B".repeat(32), ""}) {
                HttpResponse<String> refused = h2.send(
                        HttpRequest.newBuilder(URI.create(gateway + "v1/chat/completions"))
                                .header("Authorization", "Bearer " + badKey)
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(CHAT + " ".repeat(50_000)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, refused.statusCode(), refused.body());
            }
            HttpResponse<String> tooBig = h2.send(
                    HttpRequest.newBuilder(URI.create(gateway + "v1/chat/completions"))
                            .header("Authorization", "Bearer " + key)
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(CHAT + " ".repeat(70_000)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, tooBig.statusCode(), tooBig.body());
            Instant until = Instant.now().plusMillis(1_000);
            while (Instant.now().isBefore(until)) {
                assertTrue(body.read(buffer) > 0, "the sibling stream was cut");
            }
        }
        assertEquals(
                200,
                h2.send(
                                HttpRequest.newBuilder(URI.create(gateway + "v1/models"))
                                        .header("Authorization", "Bearer " + key)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
    }

    @Test
    void garbageOnTheWireGets4xxAndTheServiceKeepsServing() throws Exception {
        try (RawHttp raw = new RawHttp(gateway)) {
            String answer =
                    raw.send("\u0000\u0001GARBAGE /\u0007 HTTP/1.1\r\n\r\n").readUntilClosed();
            // Netty 4.1.137 answers a request line it cannot read in HTTP/1.0, since it understood no version.
            assertTrue(answer.matches("(?s)HTTP/1\\.[01] 4.*"), answer);
        }
        try (RawHttp raw = new RawHttp(gateway)) {
            String answer = raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n"
                            + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\n\r\n")
                    .readUntilClosed();
            assertTrue(answer.startsWith("HTTP/1.1 4"), answer);
        }
        assertServing();
    }

    @Test
    void aClientThatHangsUpMidStreamCancelsTheUpstreamCall() throws Exception {
        HttpResponse<InputStream> response = slowStream();
        assertEquals(200, response.statusCode());
        // The cancel is a reset of one HTTP/2 stream, not a closed connection as over HTTP/1.1.
        assertEquals("HTTP_2", fake("/version"));
        byte[] first = new byte[16];
        assertTrue(response.body().read(first) > 0);
        response.body().close();
        Instant deadline = Instant.now().plusSeconds(5);
        String outcome = "";
        while (Instant.now().isBefore(deadline) && !outcome.startsWith("closed")) {
            outcome = fake("/slow-stream");
            Thread.sleep(100);
        }
        assertTrue(outcome.startsWith("closed-after-"), "upstream stream was not cancelled: " + outcome);
        assertTrue(Integer.parseInt(outcome.substring("closed-after-".length())) < 150, outcome);
    }

    private RequestSpecification chat() {
        return given().auth().oauth2(key).contentType("application/json");
    }

    private static void assertRefused(RequestSpecification spec, int status, String code) {
        assertRefused(spec.when().post("/v1/chat/completions").then(), status, code);
    }

    private static void assertRefused(io.restassured.response.ValidatableResponse response, int status, String code) {
        response.statusCode(status)
                .header("X-Inferoute-Request-Id", matchesPattern("req_[0-9A-Z]{26}"))
                .header("content-type", startsWith("application/json"))
                .body("error.code", equalTo(code))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", matchesPattern(".+"));
    }

    private void assertServing() {
        given().auth()
                .oauth2(key)
                .contentType("application/json")
                .body(CHAT)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200);
    }

    private static long forwarded() {
        return Long.parseLong(fake("/forwarded"));
    }

    static String fake(String path) {
        try {
            String base = ConfigProvider.getConfig().getValue("test.fake-routing.url", String.class);
            return HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A streamed request for the stand-in routing's slow stream, its body left to the test to read. */
    private HttpResponse<InputStream> slowStream() throws IOException, InterruptedException {
        return GatewayIT.slowStream(HttpClient.newHttpClient(), gateway, key);
    }
}
