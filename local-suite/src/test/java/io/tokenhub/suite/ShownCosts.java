package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a caller is shown a request cost (issue 16 item 7), read the way a client reads it, and the ledger lines it
 * must equal: shared by the ITs that hold the two together.
 */
final class ShownCosts {

    /** Reads JSON numbers as the decimals they were written as, so a cost compares exactly. */
    static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The routing fee per answered request (tokenhub.billing.routing-fee-usd), a literal as in LocalSuiteIT. */
    static final BigDecimal ROUTING_FEE = new BigDecimal("0.0001");

    private ShownCosts() {}

    /** A chat completion request; a stream asks for the usage chunk, where the cost of a stream is shown. */
    static String body(String model, boolean stream) {
        return "{\"model\":\"" + model + "\","
                + (stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"What does this cost?\"}]}";
    }

    /** A whole answer: {@code usage.cost}, its details and the {@code X-TokenHub-Cost-USD} header agree. */
    static BigDecimal answeredCost(String model, HttpResponse<String> answer) throws Exception {
        JsonNode usage = EXACT.readTree(answer.body()).path("usage");
        BigDecimal cost = shownCost(model, usage);
        assertEquals(
                0,
                cost.compareTo(new BigDecimal(
                        answer.headers().firstValue("X-TokenHub-Cost-USD").orElseThrow())),
                model);
        return cost;
    }

    /**
     * A stream with {@code include_usage}: the last chunk before {@code [DONE]} is the usage chunk and carries the
     * cost, and no other chunk does (the header went out before the cost was known, so there is none).
     */
    static BigDecimal streamedCost(String model, HttpResponse<String> answer) throws Exception {
        List<String> payloads = new ArrayList<>();
        for (String frame : answer.body().split("\r?\n\r?\n")) {
            if (frame.startsWith("data: ")) {
                payloads.add(frame.substring("data: ".length()));
            }
        }
        assertTrue(payloads.size() >= 2, model + ": " + answer.body());
        assertEquals("[DONE]", payloads.get(payloads.size() - 1), model + " stream ends with [DONE]");
        JsonNode usageChunk = EXACT.readTree(payloads.get(payloads.size() - 2));
        assertTrue(
                usageChunk.path("choices").isArray()
                        && usageChunk.path("choices").isEmpty(),
                model + ": " + usageChunk);
        for (String payload : payloads.subList(0, payloads.size() - 2)) {
            assertFalse(EXACT.readTree(payload).path("usage").has("cost"), model + ": " + payload);
        }
        assertTrue(answer.headers().firstValue("X-TokenHub-Cost-USD").isEmpty(), model);
        return shownCost(model, usageChunk.path("usage"));
    }

    /** {@code usage.cost} is a JSON number equal to provider cost plus the routing fee, which is the configured one. */
    private static BigDecimal shownCost(String model, JsonNode usage) {
        assertTrue(usage.path("cost").isNumber(), model + ": " + usage);
        BigDecimal cost = usage.path("cost").decimalValue();
        JsonNode details = usage.path("cost_details");
        assertTrue(
                details.path("provider_cost").isNumber()
                        && details.path("routing_fee").isNumber(),
                model + ": " + usage);
        assertEquals(0, ROUTING_FEE.compareTo(details.path("routing_fee").decimalValue()), model + ": " + usage);
        assertEquals(
                0,
                cost.compareTo(details.path("provider_cost")
                        .decimalValue()
                        .add(details.path("routing_fee").decimalValue())),
                model + ": " + usage);
        return cost;
    }

    /** Scale-free, so 0.0012 (shown) and 0.00120000 (ledger) compare equal, as amounts. */
    static List<BigDecimal> sorted(List<BigDecimal> amounts) {
        return amounts.stream().map(BigDecimal::stripTrailingZeros).sorted().toList();
    }

    /**
     * The demo account's ledger lines that carry {@code clientId}, through billing's API; billing is asynchronous
     * (Kafka in between), so this waits up to {@code wait} for {@code expected} of them.
     */
    static List<JsonNode> linesWithClientId(
            LocalSuite suite, HttpClient http, String clientId, int expected, Duration wait) throws Exception {
        String token = suite.dashboardToken(suite.demoAccount(), Set.of(), Duration.ofMinutes(10));
        String url = suite.serviceUrl("billing-service") + "/api/billing/requests?limit=1000&client_request_id="
                + URLEncoder.encode(clientId, StandardCharsets.UTF_8);
        Instant deadline = Instant.now().plus(wait);
        List<JsonNode> lines = List.of();
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> page = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            lines = new ArrayList<>();
            EXACT.readTree(page.body()).path("data").forEach(lines::add);
            if (lines.size() >= expected) {
                return lines;
            }
            Thread.sleep(250);
        }
        return lines;
    }
}
