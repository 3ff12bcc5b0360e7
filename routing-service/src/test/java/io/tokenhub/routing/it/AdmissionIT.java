package io.tokenhub.routing.it;

import static io.restassured.RestAssured.given;
import static io.tokenhub.routing.it.RoutingIt.internal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.SimulatorServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-flight limit with a test limit of two: a third request while two wait on a slow provider is answered 503 with
 * Retry-After at once, and every way a request ends (answer, provider errors, timeout, the gateway cancelling a stream)
 * gives its slot back, which shows as two slow requests fitting again afterwards.
 */
@QuarkusTest
@TestProfile(AdmissionIT.LimitOfTwo.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
class AdmissionIT {

    /** Pinned to one provider, so no fallback turns a provider failure into a second call. */
    private static final String MODEL = "openai/gpt-4o-mini";

    /** On a provider that keeps the test profile's 2 s timeout, for the timeout path. */
    private static final String QUICK_TIMEOUT_MODEL = "mistral/mistral-small-latest";

    private static final String PATH = "/v1/chat/completions";

    /**
     * How long a slow answer holds its slot: far longer than the test takes between seeing both slots taken and the
     * next request arriving, even on a busy machine, and under the OpenAI timeout of {@link LimitOfTwo}.
     */
    private static final long SLOW_MS = 4_000;

    /** The limit under test, and an OpenAI timeout that lets slow answers through. */
    public static class LimitOfTwo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokenhub.limits.max-in-flight", "2", "tokenhub.providers.openai.timeout", "20s");
        }
    }

    /** Metrics are on the management interface, not the API port. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    private Vertx vertx;
    private HttpClient http;

    @BeforeEach
    void client() {
        vertx = Vertx.vertx();
        http = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(8));
        // RestAssured's first call in a JVM takes a while; not while slots are being held.
        given().get(metricsUrl.toString()).then().statusCode(200);
    }

    @AfterEach
    void close() throws Exception {
        simulator().reset("openai");
        simulator().reset("mistral");
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void pastTheLimitARequestIsRefusedAtOnceWith503AndRetryAfter() throws Exception {
        simulator().behave("openai", Behaviour.builder().latencyMs(SLOW_MS).build());
        long before = simulator().requestCount("openai");
        List<Future<Answer>> holding = List.of(send(MODEL, false), send(MODEL, false));
        // Admission comes before the provider call: once the simulator has both, both slots are taken.
        await("both requests reached the provider", () -> simulator().requestCount("openai") >= before + 2);

        String held = given().get(metricsUrl.toString()).asString();
        assertTrue(held.contains("tokenhub_in_flight_limit 2.0"), "the test limit is in force");
        assertTrue(held.contains("tokenhub_in_flight_requests 2.0"), "both slots are taken");

        Response refused =
                internal("it-" + UUID.randomUUID()).body(body(MODEL, false)).post(PATH);

        assertEquals(503, refused.statusCode(), refused.asString());
        assertEquals("1", refused.header("retry-after"));
        assertEquals("service_unavailable", refused.jsonPath().getString("error.code"));
        assertEquals("server_error", refused.jsonPath().getString("error.type"));
        assertEquals(before + 2, simulator().requestCount("openai"), "the refused request called no provider");
        for (Future<Answer> request : holding) {
            assertEquals(200, status(request));
        }
        String metrics = given().get(metricsUrl.toString()).asString();
        assertTrue(
                metrics.lines().anyMatch(l -> l.startsWith("tokenhub_admission_refused_total") && !l.endsWith(" 0.0")),
                "the refusal is counted");
        assertBothSlotsFree();
    }

    @Test
    void providerErrorsAndATimeoutGiveTheirSlotsBack() throws Exception {
        // One after the other: a slot leaked by each would refuse the third at the latest.
        for (int status : List.of(500, 400)) {
            simulator().behave("openai", Behaviour.builder().errorStatus(status).build());
            for (int i = 0; i < 3; i++) {
                Answer answer = send(MODEL, false)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                assertFalse(answer.body().contains("at capacity"), answer.body());
            }
        }
        // The test profile gives Mistral 2 s until its response head.
        simulator().behave("mistral", Behaviour.builder().latencyMs(2_500).build());
        for (int i = 0; i < 3; i++) {
            assertEquals(504, status(send(QUICK_TIMEOUT_MODEL, false)));
        }
        assertBothSlotsFree();
    }

    @Test
    void aStreamTheGatewayCancelsGivesItsSlotBack() throws Exception {
        // A stream of some 30 s, longer than assertBothSlotsFree waits: only the cancel can free its slot in time.
        simulator().behave("openai", RoutingIt.longStream());
        for (int i = 0; i < 2; i++) {
            HttpClientRequest stream = http.request(request())
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            int status = stream.send(body(MODEL, true))
                    .compose(answer -> {
                        // The first chunk is in: the relay is running, then the gateway goes away.
                        Future<Integer> head = Future.succeededFuture(answer.statusCode());
                        answer.handler(chunk -> stream.reset());
                        return head;
                    })
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(200, status);
        }
        assertBothSlotsFree();
    }

    /**
     * Two slow requests at once both get through, retried for a while since a slot comes back a moment after the
     * response ends; a slot that never came back fails this after the deadline.
     */
    private void assertBothSlotsFree() throws Exception {
        simulator().behave("openai", Behaviour.builder().latencyMs(SLOW_MS).build());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        List<Integer> statuses;
        do {
            List<Future<Answer>> pair = List.of(send(MODEL, false), send(MODEL, false));
            statuses = List.of(status(pair.get(0)), status(pair.get(1)));
        } while (!statuses.equals(List.of(200, 200)) && Instant.now().isBefore(deadline));
        assertEquals(List.of(200, 200), statuses, "both slots are free again");
    }

    /** A whole answer: its status and body. */
    private record Answer(int status, String body) {}

    private Future<Answer> send(String model, boolean stream) {
        return http.request(request())
                .compose(request -> request.send(body(model, stream)))
                .compose(answer -> answer.body().map(body -> new Answer(answer.statusCode(), body.toString())));
    }

    private static RequestOptions request() {
        return RoutingIt.internalPost(PATH, "it-" + UUID.randomUUID());
    }

    private static int status(Future<Answer> request) throws Exception {
        return request.toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS)
                .status();
    }

    private static String body(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"admission\"}]}";
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static SimulatorServer simulator() {
        return SimulatorTestResource.server();
    }
}
