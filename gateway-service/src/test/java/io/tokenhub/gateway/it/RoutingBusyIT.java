package io.tokenhub.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * With room for one request to routing-service and that one busy, a request is answered 503 with Retry-After at once,
 * not queued; once the room is free again requests go through. Run over each protocol the hop can speak, since each
 * bounds requests differently: HTTP/1.1 by connections, HTTP/2 by the streams of its connections.
 */
@QuarkusTest
@TestProfile(RoutingBusyIT.OneRoutingStream.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DevOidcTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRoutingResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = false)
class RoutingBusyIT {

    /** The HTTP/2 hop with one connection of one stream: the room is the stream. */
    public static class OneRoutingStream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tokenhub.gateway.routing-http2-max-connections", "1",
                    "tokenhub.gateway.routing-http2-max-streams", "1");
        }
    }

    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    /** The protocol the busy request travelled over, as the stand-in routing-service saw it. */
    String protocol() {
        return "HTTP_2";
    }

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void pastItsRoomToRoutingTheGatewayAnswers503WithRetryAfterAtOnce() throws Exception {
        String key = GatewayIT.newKey("busy-" + UUID.randomUUID());
        // The stand-in streams for ten seconds: the one connection or stream stays taken while the test runs.
        HttpResponse<InputStream> stream = GatewayIT.slowStream(HttpClient.newHttpClient(), gateway, key);
        assertEquals(200, stream.statusCode());
        assertEquals(protocol(), HostileInputIT.fake("/version"));

        long start = System.nanoTime();
        Response refused = GatewayIT.tokens(key, CHAT);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertEquals(503, refused.statusCode(), refused.asString());
        assertTrue(millis < 2_000, "refused after " + millis + " ms, as if queued");
        assertEquals("1", refused.header("retry-after"));
        assertEquals("service_unavailable", refused.jsonPath().getString("error.code"));

        // Hanging up makes the gateway cancel the stream, which frees its room well before the stream's end.
        stream.body().close();
        GatewayIT.awaitStatus(key, 200, Duration.ofSeconds(5));
    }
}
