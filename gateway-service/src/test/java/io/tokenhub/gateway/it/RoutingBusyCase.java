package io.tokenhub.gateway.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.tokenhub.gateway.proxy.FakeRoutingResource;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import io.tokenhub.infra.testing.RedisTestResource;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With one connection to routing-service and that one busy, a request is answered 503 with Retry-After at once, not
 * queued; once the connection is free again requests go through.
 */
@QuarkusTest
@TestProfile(RoutingBusyIT.OneRoutingConnection.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DevOidcTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRoutingResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = false)
class RoutingBusyIT {

    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    /** The pool under test. */
    public static class OneRoutingConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokenhub.gateway.routing-max-connections", "1");
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void pastItsConnectionsToRoutingTheGatewayAnswers503WithRetryAfterAtOnce() throws Exception {
        String key = GatewayIT.newKey("busy-" + UUID.randomUUID());
        // The stand-in streams for ten seconds: the one connection stays taken while the test runs.
        HttpResponse<InputStream> stream = GatewayIT.slowStream(HttpClient.newHttpClient(), gateway, key);
        assertEquals(200, stream.statusCode());

        Response refused = chat(key);

        assertEquals(503, refused.statusCode(), refused.asString());
        assertEquals("1", refused.header("retry-after"));
        assertEquals("service_unavailable", refused.jsonPath().getString("error.code"));

        // Hanging up makes the gateway cancel the stream, which frees the connection well before the stream's end.
        stream.body().close();
        GatewayIT.awaitStatus(key, 200, Duration.ofSeconds(5));
    }

    private static Response chat(String key) {
        return given().auth()
                .oauth2(key)
                .contentType("application/json")
                .body(CHAT)
                .post("/v1/chat/completions");
    }
}
