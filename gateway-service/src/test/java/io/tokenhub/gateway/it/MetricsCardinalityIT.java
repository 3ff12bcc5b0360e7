package io.tokenhub.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenhub.gateway.proxy.FakeRoutingResource;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import io.tokenhub.infra.testing.RedisTestResource;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Anyone on the internet can send any path and any model name without a key: none of that may grow the gateway's
 * metrics. After a warm-up that reaches every status each kind of request can get, 10,000 more requests to random
 * paths and models leave the set of HTTP series exactly as it was.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DevOidcTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRoutingResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = false)
class MetricsCardinalityIT {

    private static final int WARM_UP = 500;
    private static final int FLOOD = 10_000;

    @TestHTTPResource("/")
    URL gateway;

    /** Prometheus metrics, on the management interface (its root is /q): the API port has none. */
    @TestHTTPResource(value = "/metrics", management = true)
    URI metricsUrl;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Random random = new Random(14_2026L);

    @Test
    void randomPathsAndModelsWithoutAKeyAddNoSeries() throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            send();
        }
        Set<String> before = httpSeries();
        for (int i = 0; i < FLOOD; i++) {
            send();
        }
        Set<String> after = httpSeries();
        assertTrue(before.size() > 0, "no HTTP server series at all");
        assertEquals(before, after, "random paths and models added metric series");
    }

    /** One unauthenticated request of a random kind: an unknown /v1 path, a model lookup, a chat, elsewhere. */
    private void send() throws IOException, InterruptedException {
        String noise = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        HttpRequest.Builder request = switch (random.nextInt(5)) {
            case 0 -> HttpRequest.newBuilder(url("/v1/" + noise));
            case 1 -> HttpRequest.newBuilder(url("/v1/models/" + noise));
            case 2 ->
                HttpRequest.newBuilder(url("/v1/chat/completions"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + noise + "\",\"messages\":[]}"));
            case 3 -> HttpRequest.newBuilder(url("/" + noise + "/" + noise));
            default -> HttpRequest.newBuilder(url("/api/keys/" + noise)).DELETE();
        };
        http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private Set<String> httpSeries() throws IOException, InterruptedException {
        String metrics = http.send(HttpRequest.newBuilder(metricsUrl).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Set<String> series = new TreeSet<>();
        for (String line : List.of(metrics.split("\n"))) {
            // The scrape itself is a series too, and exists from the first scrape on.
            if (line.startsWith("http_server_requests_seconds_count{") && !line.contains("uri=\"/q/metrics\"")) {
                series.add(line.substring(0, line.indexOf('}') + 1));
            }
        }
        return series;
    }

    private URI url(String path) {
        return URI.create(gateway.toString().replaceAll("/$", "") + path);
    }
}
