package io.tokenhub.routing.it;

import static io.restassured.RestAssured.given;
import static io.tokenhub.routing.it.RoutingIt.internal;
import static io.tokenhub.routing.it.RoutingIt.read;
import static io.tokenhub.routing.it.RoutingIt.usageRecord;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.Filter;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routing-service against the OpenAI simulator and a real Kafka broker: answers and streams in OpenAI's format, one
 * usage event per request on {@code tokenhub.usage} with no content in it, provider errors translated, availability
 * from the compacted topic honoured.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
class ChatCompletionsIT {

    // Health, metrics and the OpenAPI document are on the management interface (its root is /q), not the API port.
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    private static final String MARKER = "privacy-marker-" + UUID.randomUUID();
    /** Reads amounts as the decimals written, never through a double. */
    private static final ObjectMapper EXACT =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @AfterEach
    void normalSimulator() throws Exception {
        simulator("DELETE", null);
    }

    @Test
    void answersAndPublishesOneUsageEventWithoutContent() {
        String requestId = "it-" + UUID.randomUUID();
        Response response =
                internal(requestId).body(body("gpt-4o-mini", false, false)).post("/v1/chat/completions");
        response.then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, "openai")
                .header(TokenHubHeaders.FALLBACK, "false")
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].finish_reason", equalTo("stop"));
        int prompt = response.path("usage.prompt_tokens");
        int completion = response.path("usage.completion_tokens");
        assertEquals(
                Integer.toString(prompt + completion),
                response.header(TokenHubHeaders.USAGE_TOKENS),
                "the gateway settles its tokens-per-minute reservation with it");

        ConsumerRecord<String, String> record = usageRecord(requestId);
        assertEquals("acct-1", record.key(), "usage events are keyed by account");
        assertFalse(record.value().contains(MARKER), "no prompt content in Kafka");
        assertFalse(record.value().contains("Hello from"), "no completion content in Kafka");
        UsageEvent event = read(record);
        assertEquals("gpt-4o-mini", event.model());
        assertEquals("openai", event.provider());
        assertEquals("gpt-4o-mini", event.providerModel());
        assertEquals(prompt, (int) event.inputTokens());
        assertEquals(completion, (int) event.outputTokens());
        assertEquals(RequestStatus.SUCCEEDED, event.status());
        assertEquals("key-1", event.keyId());
        assertFalse(event.streamed());

        String metrics = given().get(metricsUrl.toString()).asString();
        assertTrue(
                metrics.contains("tokenhub_requests_total{api=\"chat.completions\",model=\"gpt-4o-mini\","
                        + "provider=\"openai\",status=\"succeeded\"}"),
                "request metrics by API, model, provider and outcome");
        assertTrue(metrics.contains("tokenhub_tokens_total{api=\"chat.completions\",kind=\"output\""));
        assertTrue(metrics.contains("tokenhub_request_duration_seconds_bucket{api=\"chat.completions\""));
        assertFalse(metrics.contains(MARKER), "no prompt content in metrics");
    }

    @Test
    void aStreamTellsTheGatewayWhatItUsedInATrailer() throws Exception {
        String requestId = "it-" + UUID.randomUUID();
        String uri = "/v1/chat/completions";
        Vertx vertx = Vertx.vertx();
        try {
            RequestOptions options = RoutingIt.internalPost(uri, requestId);
            // RestAssured and the JDK client drop trailers; Vert.x's, as the gateway uses it, keeps them.
            HttpClientResponse response = vertx.createHttpClient()
                    .request(options)
                    .compose(request -> request.send(body("gpt-4o-mini", true, false)))
                    .compose(answer -> answer.body().map(body -> answer))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertNull(response.getHeader(TokenHubHeaders.USAGE_TOKENS), "unknown when the head goes out");
            UsageEvent event = read(usageRecord(requestId));
            assertTrue(event.outputTokens() > 0);
            assertEquals(
                    Long.toString(event.inputTokens() + event.outputTokens()),
                    response.getTrailer(TokenHubHeaders.USAGE_TOKENS));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theAnswerShowsItsCostAtThePublishedRatePlusTheFeeAndNoFloat() throws Exception {
        Response response = internal("it-" + UUID.randomUUID())
                .body(body("gpt-4o-mini", false, false))
                .post("/v1/chat/completions");
        response.then().statusCode(200);
        JsonNode usage = EXACT.readTree(response.asString()).path("usage");
        BigDecimal total = assertPublishedCost(usage);
        assertEquals(0, total.compareTo(new BigDecimal(response.header(TokenHubHeaders.COST_USD))));
        assertFalse(response.asString().matches("(?s).*\"cost\":[0-9.]+[eE].*"), "cost written without an exponent");
    }

    @Test
    void streamsChunksEndsWithDoneAndHidesUsageTheClientDidNotAskFor() {
        String requestId = "it-" + UUID.randomUUID();
        String sse = internal(requestId)
                .body(body("openai/gpt-4o", true, false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header("content-type", containsString("text/event-stream"))
                .header(TokenHubHeaders.PROVIDER, "openai")
                .extract()
                .asString();
        List<String> frames = List.of(sse.strip().split("\n\n"));
        assertEquals("data: [DONE]", frames.get(frames.size() - 1));
        assertTrue(frames.size() > 3, "several chunks: " + frames.size());
        assertTrue(frames.stream().allMatch(f -> f.startsWith("data: ")));
        assertFalse(sse.contains("\"usage\""), "no usage for a client that did not ask: " + sse);
        UsageEvent event = read(usageRecord(requestId));
        assertTrue(event.streamed());
        assertTrue(event.inputTokens() > 0 && event.outputTokens() > 0, "stream usage is still billed");
        assertNotNull(event.timeToFirstTokenMs());
    }

    @Test
    void streamWithIncludeUsageEndsWithTheUsageChunkAndItsCost() throws Exception {
        String sse = internal("it-" + UUID.randomUUID())
                .body(body("openai/gpt-4o-mini", true, true))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> frames = List.of(sse.strip().split("\n\n"));
        assertTrue(frames.get(frames.size() - 2).contains("\"choices\":[]"), "usage chunk before [DONE]");
        assertTrue(frames.get(frames.size() - 2).contains("\"prompt_tokens\""));
        // The usage chunk shows the cost as a whole answer does, and it is the only chunk that does.
        assertPublishedCost(EXACT.readTree(frames.get(frames.size() - 2).substring("data: ".length()))
                .path("usage"));
        assertEquals(1, frames.stream().filter(f -> f.contains("\"cost\"")).count(), sse);
        assertFalse(sse.matches("(?s).*\"cost\":[0-9.]+[eE].*"), "cost written without an exponent");
    }

    /**
     * {@code usage} shows gpt-4o-mini's cost at OpenAI's published rates per 1M tokens (0.15 input, 0.075 cached
     * input, 0.60 output), written here rather than read from the catalog, plus the 0.0001 routing fee; returns it.
     */
    private static BigDecimal assertPublishedCost(JsonNode usage) {
        long prompt = usage.path("prompt_tokens").asLong();
        long completion = usage.path("completion_tokens").asLong();
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        BigDecimal provider = new BigDecimal("0.15")
                .multiply(BigDecimal.valueOf(prompt - cached))
                .add(new BigDecimal("0.075").multiply(BigDecimal.valueOf(cached)))
                .add(new BigDecimal("0.60").multiply(BigDecimal.valueOf(completion)))
                .movePointLeft(6)
                .setScale(8, RoundingMode.HALF_EVEN);
        BigDecimal total = provider.add(new BigDecimal("0.0001"));
        assertTrue(usage.path("cost").isNumber(), usage.toString());
        assertEquals(0, total.compareTo(usage.path("cost").decimalValue()), usage.toString());
        assertEquals(
                0,
                provider.compareTo(
                        usage.path("cost_details").path("provider_cost").decimalValue()),
                usage.toString());
        assertEquals(
                0,
                new BigDecimal("0.0001")
                        .compareTo(
                                usage.path("cost_details").path("routing_fee").decimalValue()),
                usage.toString());
        return total;
    }

    @Test
    void providerErrorsBecomeOpenAiErrors() throws Exception {
        simulator("PUT", "{\"error_status\":429}");
        internal("it-" + UUID.randomUUID())
                .body(body("openai/gpt-4o", false, false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(429)
                .header("retry-after", "2")
                .body("error.type", not(equalTo(null)))
                .body("error.code", equalTo("rate_limit_exceeded"));
        simulator("PUT", "{\"error_status\":500}");
        String requestId = "it-" + UUID.randomUUID();
        internal(requestId)
                .body(body("openai/gpt-4o", false, false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(502)
                .body("error.type", equalTo("server_error"))
                .body(not(containsString("sim-openai-key")));
        UsageEvent failed = read(usageRecord(requestId));
        assertEquals(RequestStatus.PROVIDER_ERROR, failed.status());
        assertEquals(0, failed.inputTokens() + failed.outputTokens(), "a failed call costs nothing");
    }

    @Test
    void anErrorInTheMiddleOfAStreamReachesTheClientAsAnErrorEvent() throws Exception {
        simulator("PUT", "{\"fail_mid_stream\":true}");
        String requestId = "it-" + UUID.randomUUID();
        String sse = internal(requestId)
                .body(body("openai/gpt-4o", true, false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> frames = List.of(sse.strip().split("\n\n"));
        assertTrue(frames.get(frames.size() - 1).startsWith("data: {\"error\""), "ends with an error: " + sse);
        assertFalse(sse.contains("[DONE]"), "never a clean end");
        assertEquals(RequestStatus.PROVIDER_ERROR, read(usageRecord(requestId)).status());
    }

    @Test
    void aStalledProviderTimesOutWith504() throws Exception {
        simulator("PUT", "{\"latency_ms\":4000}");
        internal("it-" + UUID.randomUUID())
                .body(body("openai/gpt-4o", false, false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(504)
                .body("error.code", equalTo("provider_timeout"));
    }

    /**
     * Every candidate reported DOWN (here the one a pinned name allows): requests are refused without a call, but for
     * one trial request a second, which a provider that has recovered answers before its verdict catches up.
     */
    @Test
    void aProviderMarkedDownTakesOnlyATrialRequestASecond() throws Exception {
        String pinned = body("openai/gpt-4o", false, false);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.PROVIDER_AVAILABILITY, "openai", availability("openai", "DOWN")))
                    .get();
            awaitStatus(pinned, 503);
            long calls = simulatorRequests("openai");
            long started = System.nanoTime();
            int refused = 0;
            Response lastRefused = null;
            for (int i = 0; i < 20; i++) {
                Response answer =
                        internal("it-" + UUID.randomUUID()).body(pinned).post("/v1/chat/completions");
                if (answer.statusCode() == 503) {
                    refused++;
                    lastRefused = answer;
                }
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            long trials = simulatorRequests("openai") - calls;
            assertTrue(trials <= seconds + 1, trials + " calls reached a provider reported DOWN in " + seconds + " s");
            assertEquals(20 - trials, refused, "every request but the trials is refused");
            assertNotNull(lastRefused);
            lastRefused
                    .then()
                    .header(TokenHubHeaders.PROVIDER, nullValue())
                    .body("error.message", containsString("currently unavailable"));
            // The simulator never failed: once the trial interval has passed, a trial finds it answering.
            Thread.sleep(1_100);
            internal("it-" + UUID.randomUUID())
                    .body(pinned)
                    .post("/v1/chat/completions")
                    .then()
                    .statusCode(200);
            producer.send(new ProducerRecord<>(Topics.PROVIDER_AVAILABILITY, "openai", availability("openai", "UP")))
                    .get();
            awaitStatus(pinned, 200);
        }
    }

    /**
     * A whole outage and its end: the provider fails and is reported DOWN; once it answers again, a client retrying
     * every 100 ms is served within 5 s (issue 17's target), though the verdict still says DOWN, because a DOWN model
     * keeps taking one trial request a second. The figure is printed for the record.
     */
    @Test
    void aRecoveredProviderIsServedAgainWithinFiveSecondsWhileStillReportedDown() throws Exception {
        String pinned = body("openai/gpt-4o", false, false);
        try (KafkaProducer<String, String> producer = producer()) {
            simulator("PUT", "{\"drop_connection\":true}");
            producer.send(new ProducerRecord<>(Topics.PROVIDER_AVAILABILITY, "openai", availability("openai", "DOWN")))
                    .get();
            try {
                awaitStatus(pinned, 503);
                Thread.sleep(1_500);
                simulator("DELETE", null);
                long recovered = System.nanoTime();
                int status = 0;
                while (status != 200 && System.nanoTime() - recovered < 10_000_000_000L) {
                    status = internal("it-" + UUID.randomUUID())
                            .body(pinned)
                            .post("/v1/chat/completions")
                            .then()
                            .extract()
                            .statusCode();
                    if (status != 200) {
                        Thread.sleep(100);
                    }
                }
                long millis = (System.nanoTime() - recovered) / 1_000_000;
                System.out.printf(
                        "recovery: served again %d ms after the provider answered, still reported DOWN%n", millis);
                assertEquals(200, status, "not served within 10 s of recovering");
                assertTrue(millis <= 5_000, "served again only after " + millis + " ms");
            } finally {
                producer.send(new ProducerRecord<>(
                                Topics.PROVIDER_AVAILABILITY, "openai", availability("openai", "UP")))
                        .get();
            }
            awaitStatus(pinned, 200);
        }
    }

    /** A request its provider could never take is the client's 400 whatever the provider's state, never a 503. */
    @Test
    void aBadRequestIsA400EvenWhileItsProviderIsDown() throws Exception {
        String valid =
                "{\"model\":\"anthropic/claude-haiku-4-5\",\"messages\":[{\"role\":\"user\"," + "\"content\":\"x\"}]}";
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(
                            Topics.PROVIDER_AVAILABILITY, "anthropic", availability("anthropic", "DOWN")))
                    .get();
            try {
                awaitStatus(valid, 503);
                for (String bad : List.of("\"n\":3", "\"temperature\":5")) {
                    internal("it-" + UUID.randomUUID())
                            .body(valid.replace("{\"model\"", "{" + bad + ",\"model\""))
                            .post("/v1/chat/completions")
                            .then()
                            .statusCode(400)
                            .body("error.type", equalTo("invalid_request_error"))
                            .body("error.param", equalTo(bad.substring(1, bad.indexOf('"', 1))))
                            .header(TokenHubHeaders.PROVIDER, nullValue());
                }
            } finally {
                producer.send(new ProducerRecord<>(
                                Topics.PROVIDER_AVAILABILITY, "anthropic", availability("anthropic", "UP")))
                        .get();
            }
            awaitStatus(valid, 200);
        }
    }

    @Test
    void callsNotSignedByTheGatewayAreRefused() {
        given().header(TokenHubHeaders.ACCOUNT_ID, "acct-1")
                .header(TokenHubHeaders.KEY_ID, "key-1")
                .header(TokenHubHeaders.REQUEST_ID, "x")
                .contentType("application/json")
                .body(body("openai/gpt-4o", false, false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("internal_auth_required"));
        // The secret itself, sent as the old hop did, proves nothing any more.
        given().header("X-TokenHub-Internal-Secret", RoutingIt.SECRET)
                .header(TokenHubHeaders.ACCOUNT_ID, "acct-1")
                .header(TokenHubHeaders.KEY_ID, "key-1")
                .header(TokenHubHeaders.REQUEST_ID, "x")
                .get("/v1/models")
                .then()
                .statusCode(401);
        signed(RoutingIt.signedWith("not-the-internal-secret-000", 0))
                .get("/v1/models")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("internal_auth_required"));
        // A call recorded a minute ago (the allowed skew is 30 s) is not accepted again.
        signed(RoutingIt.signedWith(RoutingIt.SECRET, 60))
                .get("/v1/models")
                .then()
                .statusCode(401);
        signed(RoutingIt.signedWith(RoutingIt.SECRET, -60))
                .get("/v1/models")
                .then()
                .statusCode(401);
        signed(RoutingIt.signedWith(RoutingIt.SECRET, 0))
                .get("/v1/models")
                .then()
                .statusCode(200);
    }

    @Test
    void aSignatureCoversTheAccountItNames() {
        // The gateway signed for acct-1; a header changed on the way would bill someone else.
        signed(RoutingIt.signedWith(RoutingIt.SECRET, 0))
                .filter((request, response, context) -> {
                    request.removeHeader(TokenHubHeaders.ACCOUNT_ID);
                    request.header(TokenHubHeaders.ACCOUNT_ID, "acct-victim");
                    return context.next(request, response);
                })
                .contentType("application/json")
                .body(body("openai/gpt-4o", false, false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(401)
                .body("error.code", equalTo("internal_auth_required"));
    }

    @Test
    void duringARotationTheAcceptedSecretSignsToo() {
        // tokenhub.internal.accepted-secrets in the test profile: a gateway already on the new secret is served.
        signed(RoutingIt.signedWith(RoutingIt.ACCEPTED_SECRET, 0))
                .contentType("application/json")
                .body(body("openai/gpt-4o", false, false))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.PROVIDER, "openai");
    }

    private static RequestSpecification signed(Filter signer) {
        return given().filter(signer)
                .header(TokenHubHeaders.ACCOUNT_ID, "acct-1")
                .header(TokenHubHeaders.KEY_ID, "key-1")
                .header(TokenHubHeaders.REQUEST_ID, "it-" + UUID.randomUUID());
    }

    @Test
    void badRequestsGetOpenAiErrors() {
        internal("it-" + UUID.randomUUID())
                .body("{not json")
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\"," + "\"content\":\"x\"}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("model_not_found"));
        internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"anthropic/gpt-4o\",\"messages\":[{\"role\":" + "\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(404);
        internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"gpt-4o\",\"messages\":[]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("messages"));
        internal("it-" + UUID.randomUUID())
                .body("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"wizard\"," + "\"content\":\"x\"}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("messages[0].role"));
    }

    @Test
    void listsTheCatalogAsOpenAiModels() {
        internal("it-" + UUID.randomUUID())
                .get("/v1/models")
                .then()
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("data.find { it.id == 'gpt-4o' }.owned_by", equalTo("openai"));
        internal("it-" + UUID.randomUUID())
                .get("/v1/models/openai/gpt-4o-mini")
                .then()
                .statusCode(200)
                .body("id", equalTo("openai/gpt-4o-mini"))
                .body("object", equalTo("model"));
        internal("it-" + UUID.randomUUID())
                .get("/v1/models/unknown")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("model_not_found"));
    }

    private void awaitStatus(String request, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = internal("it-" + UUID.randomUUID())
                    .body(request)
                    .post("/v1/chat/completions")
                    .statusCode();
            if (last == expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + expected + " but kept getting " + last);
    }

    private static String availability(String provider, String status) {
        return "{\"provider\":\"" + provider + "\",\"model\":null,\"status\":\"" + status + "\",\"error_rate\":0.0,"
                + "\"latency_ms\":1,\"checked_at\":\"" + Instant.now() + "\"}";
    }

    private static String body(String model, boolean stream, boolean includeUsage) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + MARKER + " say hello\"}]}";
    }

    private static void simulator(String method, String json) throws Exception {
        String base = ConfigProvider.getConfig().getValue("test.simulator.openai.url", String.class);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/__sim/behaviour"))
                .header("content-type", "application/json");
        request.method(
                method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        int status = HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertTrue(status < 300, "simulator control answered " + status);
    }

    private static long simulatorRequests(String provider) throws Exception {
        String base = ConfigProvider.getConfig().getValue("test.simulator." + provider + ".url", String.class);
        HttpResponse<String> stats = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/__sim/stats"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return JsonPath.from(stats.body()).getLong("requests");
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaTestResource.broker().bootstrapServers()),
                new StringSerializer(),
                new StringSerializer());
    }
}
