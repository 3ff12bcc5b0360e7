package io.tokenhub.suite;

import static io.tokenhub.suite.ShownCosts.EXACT;
import static io.tokenhub.suite.ShownCosts.answeredCost;
import static io.tokenhub.suite.ShownCosts.body;
import static io.tokenhub.suite.ShownCosts.linesWithClientId;
import static io.tokenhub.suite.ShownCosts.sorted;
import static io.tokenhub.suite.ShownCosts.streamedCost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenhub.simulator.Behaviour;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16 items 1 and 7 through the whole suite: one client {@code X-Inferoute-Request-Id} reused on every request
 * still gives one ledger line per request, each found by that id, and the {@code usage.cost} and
 * {@code X-TokenHub-Cost-USD} every provider's non-streamed answer showed, and the {@code usage.cost} of every
 * provider's stream's usage chunk ({@code stream_options.include_usage}), equal its ledger line's {@code total_usd};
 * and item 3, each line says its {@code api} and {@code usage_source}, a stream the provider cut {@code estimated}.
 */
@ExtendWith(SharedSuite.class)
@Order(SharedSuite.ORDER)
class CostIT {

    private static final List<String> MODELS = List.of(
            "openai/gpt-4o-mini",
            "anthropic/claude-sonnet-4-5",
            "google/gemini-2.5-pro",
            "mistral/mistral-small-latest",
            "meta/llama-3.3-70b");
    private static final int ROUNDS = 2;

    static LocalSuite suite;
    static HttpClient http;

    @BeforeAll
    static void start(LocalSuite shared) {
        suite = shared;
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void aReusedClientIdGivesALinePerRequestAndEveryShownCostEqualsItsLine() throws Exception {
        String clientId = "cost-it." + Instant.now().toEpochMilli();
        Map<String, List<BigDecimal>> shown = new TreeMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (String model : MODELS) {
                for (boolean stream : List.of(false, true)) {
                    HttpResponse<String> answer = http.send(
                            HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/chat/completions"))
                                    .header("Authorization", "Bearer " + suite.demoKey())
                                    .header("content-type", "application/json")
                                    .header("X-Inferoute-Request-Id", clientId)
                                    .POST(HttpRequest.BodyPublishers.ofString(body(model, stream)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, answer.statusCode(), answer.body());
                    assertEquals(
                            clientId,
                            answer.headers()
                                    .firstValue("X-Inferoute-Request-Id")
                                    .orElse(""));
                    BigDecimal cost = stream ? streamedCost(model, answer) : answeredCost(model, answer);
                    shown.computeIfAbsent(kind(provider(model), stream), k -> new ArrayList<>())
                            .add(cost);
                }
            }
        }
        int requests = MODELS.size() * ROUNDS * 2;
        List<JsonNode> lines = linesWithClientId(suite, http, clientId, requests, Duration.ofSeconds(60));
        assertEquals(requests, lines.size(), "one ledger line per answered request");
        assertEquals(
                requests,
                lines.stream()
                        .map(l -> l.path("request_id").asText())
                        .distinct()
                        .count(),
                "each line its own billing id");
        Map<String, List<BigDecimal>> billed = new TreeMap<>();
        for (JsonNode line : lines) {
            assertEquals(clientId, line.path("client_request_id").asText());
            assertEquals("chat.completions", line.path("api").asText(), line.toString());
            assertEquals("reported", line.path("usage_source").asText(), line.toString());
            billed.computeIfAbsent(
                            kind(
                                    line.path("provider").asText(),
                                    line.path("streamed").asBoolean()),
                            k -> new ArrayList<>())
                    .add(new BigDecimal(line.path("total_usd").asText()));
        }
        assertEquals(Set.copyOf(shown.keySet()), Set.copyOf(billed.keySet()));
        for (String kind : shown.keySet()) {
            assertEquals(sorted(shown.get(kind)), sorted(billed.get(kind)), kind);
        }
    }

    /**
     * Issue 16 item 3: a stream the provider cuts after the first words (the connection closed, or its in-stream
     * error) reported no usage, yet is billed for the prompt and the words sent, and its line says the counts are an
     * estimate.
     */
    @Test
    void aStreamTheProviderCutsIsBilledOnAnEstimateThatSaysSo() throws Exception {
        for (Behaviour cut : List.of(
                Behaviour.builder().dropMidStream().times(1).build(),
                Behaviour.builder().failMidStream().times(1).build())) {
            String clientId = "cost-it-cut." + Instant.now().toEpochMilli();
            suite.simulators().behave("openai", cut);
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/chat/completions"))
                            .header("Authorization", "Bearer " + suite.demoKey())
                            .header("content-type", "application/json")
                            .header("X-Inferoute-Request-Id", clientId)
                            .POST(HttpRequest.BodyPublishers.ofString(body("openai/gpt-4o-mini", true)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"content\""), "some answer went out first: " + answer.body());
            assertFalse(answer.body().contains("[DONE]"), "the stream was cut: " + answer.body());
            List<JsonNode> lines = linesWithClientId(suite, http, clientId, 1, Duration.ofSeconds(60));
            assertEquals(1, lines.size(), clientId);
            JsonNode line = lines.get(0);
            assertEquals("estimated", line.path("usage_source").asText(), line.toString());
            assertEquals("chat.completions", line.path("api").asText(), line.toString());
            assertEquals("PROVIDER_ERROR", line.path("status").asText(), line.toString());
            assertTrue(line.path("input_tokens").asLong() > 0, line.toString());
            assertTrue(line.path("output_tokens").asLong() > 0, line.toString());
            assertTrue(new BigDecimal(line.path("provider_cost_usd").asText()).signum() > 0, line.toString());
        }
    }

    @Test
    void anEmbeddingsAnswerShowsTheCostOfItsLine() throws Exception {
        String clientId = "cost-it-embeddings." + Instant.now().toEpochMilli();
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/embeddings"))
                        .header("Authorization", "Bearer " + suite.demoKey())
                        .header("content-type", "application/json")
                        .header("X-Inferoute-Request-Id", clientId)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"text-embedding-3-small\",\"input\":\"What does this cost?\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        BigDecimal cost = answeredCost("text-embedding-3-small", answer);
        List<JsonNode> lines = linesWithClientId(suite, http, clientId, 1, Duration.ofSeconds(60));
        assertEquals(1, lines.size());
        assertEquals(
                "embeddings", lines.get(0).path("api").asText(), lines.get(0).toString());
        assertEquals(
                cost.stripTrailingZeros(),
                new BigDecimal(lines.get(0).path("total_usd").asText()).stripTrailingZeros());
    }

    private static String kind(String provider, boolean streamed) {
        return streamed ? provider + " streamed" : provider;
    }

    private static String provider(String model) {
        return model.substring(0, model.indexOf('/'));
    }

    /**
     * Issue 16 item 8 through the whole suite: an account budget set through billing's API is enforced by the gateway
     * from what billing bills, under concurrent load (four clients, 20 requests/s in all). Enforcement trails billing
     * by design, so the account overshoots its budget by what it sent in that lag; the test measures it and holds it
     * to five seconds of the load (the documented bound is about two).
     */
    @Test
    void anAccountBudgetStopsConcurrentTrafficWithinSecondsOfBeingReached() throws Exception {
        String account = "budget-e2e-" + Instant.now().toEpochMilli();
        String token = suite.dashboardToken(account, Set.of(), Duration.ofMinutes(10));
        HttpResponse<String> budget = http.send(
                HttpRequest.newBuilder(URI.create(suite.serviceUrl("billing-service") + "/api/billing/budget"))
                        .header("Authorization", "Bearer " + token)
                        .header("content-type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"monthly_limit_usd\":\"0.002\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, budget.statusCode(), budget.body());
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/api/keys"))
                        .header("Authorization", "Bearer " + token)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"budget\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String key = EXACT.readTree(created.body()).path("key").asText();

        int clients = 4;
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger refusedInARow = new AtomicInteger();
        AtomicReference<String> unexpected = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Instant until = Instant.now().plusSeconds(60);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                while (Instant.now().isBefore(until) && refusedInARow.get() < 20 && unexpected.get() == null) {
                    HttpResponse<String> answer = http.send(
                            HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/chat/completions"))
                                    .header("Authorization", "Bearer " + key)
                                    .header("content-type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body("openai/gpt-4o-mini", false)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        answered.incrementAndGet();
                        refusedInARow.set(0);
                    } else if (answer.statusCode() == 429 && answer.body().contains("\"insufficient_quota\"")) {
                        refused.incrementAndGet();
                        refusedInARow.incrementAndGet();
                    } else {
                        unexpected.set(answer.statusCode() + " " + answer.body());
                    }
                    Thread.sleep(200);
                }
                return null;
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(90, TimeUnit.SECONDS));
        assertNull(unexpected.get());
        assertTrue(
                refusedInARow.get() >= 20,
                "the budget stopped the traffic: " + answered + " answered, " + refused + " refused");

        // What billing charged the account, once every answered request reached the ledger.
        JsonNode spend = null;
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> now = http.send(
                    HttpRequest.newBuilder(URI.create(suite.serviceUrl("billing-service") + "/api/billing/usage"))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            spend = EXACT.readTree(now.body());
            if (spend.path("request_count").asInt() >= answered.get()) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(answered.get(), spend.path("request_count").asInt(), "every answered request is billed, once");
        BigDecimal spent = new BigDecimal(spend.path("total_usd").asText());
        BigDecimal limit = new BigDecimal("0.002");
        assertTrue(spent.compareTo(limit) >= 0, "refused only once the budget was reached: spent " + spent);
        BigDecimal perRequest = spent.divide(BigDecimal.valueOf(answered.get()), 8, RoundingMode.HALF_UP);
        long pastBudget =
                spent.subtract(limit).divide(perRequest, 0, RoundingMode.UP).longValue();
        // Four clients at 5 requests/s each: five seconds of lag would be 100 requests past the budget.
        System.out.printf(
                "budget %s, spent %s: %d answered (%d past the budget), %d refused%n",
                limit, spent, answered.get(), pastBudget, refused.get());
        assertTrue(pastBudget <= 100, pastBudget + " requests were answered past the budget");
    }
}
