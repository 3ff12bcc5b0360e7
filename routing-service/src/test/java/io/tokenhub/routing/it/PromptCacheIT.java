package io.tokenhub.routing.it;

import static io.tokenhub.routing.it.RoutingIt.internal;
import static io.tokenhub.routing.it.RoutingIt.usageEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.simulator.RecordedRequest;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Anthropic prompt caching through routing-service, against the Anthropic simulator (which writes a marked prefix on
 * first sight and reads it after, as Anthropic reports it) and real Kafka: the breakpoints reach the matching Claude
 * blocks, the first answer reports the cache writes by lifetime and the second the reads, {@code usage.cost} prices
 * each kind at the rates on Anthropic's pricing page (https://platform.claude.com/docs/en/about-claude/pricing, Claude
 * Sonnet 4.5 per million tokens: input 3.00, 5-minute writes 3.75, 1-hour writes 6.00, cache hits 0.30, output 15.00)
 * plus the 0.0001 routing fee, and exactly one usage event per request carries the counts.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
class PromptCacheIT {

    private static final String MODEL = "anthropic/claude-sonnet-4-5";
    private static final BigDecimal FEE = new BigDecimal("0.0001");
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    /** Reads amounts as the decimals written, never through a double. */
    private static final ObjectMapper EXACT =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Test
    void chatCompletionsMarksReachClaudeAndTheSecondRequestReadsWhatTheFirstWrote() throws Exception {
        // Unique text, so the simulator's cache (shared by every test of the run) has never seen this prefix.
        String manual = "The operating manual, revision " + UUID.randomUUID() + ", in full. ".repeat(20);
        String body = """
                {"model": "%s", "messages": [
                  {"role": "system", "content": [{"type": "text", "text": "You answer from the manual.",
                    "cache_control": {"type": "ephemeral", "ttl": "1h"}}]},
                  {"role": "user", "content": [
                    {"type": "text", "text": "%s", "cache_control": {"type": "ephemeral"}},
                    {"type": "text", "text": "What does chapter 2 say?"}]}]}""".formatted(MODEL, manual);

        Usage first = chat(body);
        JsonNode sent = SimulatorTestResource.server()
                .lastRequest("anthropic")
                .orElseThrow()
                .bodyJson();
        assertBreakpoints(sent.path("system"), sent.path("messages").get(0).path("content"));
        assertEquals(0, first.cached());
        assertTrue(first.write1h() > 0, "the system prompt, marked for an hour, is written for an hour: " + first);
        assertTrue(first.write5m() > first.write1h(), "the long manual after it is written for five minutes: " + first);

        Usage second = chat(body);
        assertEquals(first.prompt(), second.prompt());
        assertEquals(first.write5m() + first.write1h(), second.cached(), "reads what the first request wrote");
        assertEquals(0, second.write5m() + second.write1h());
    }

    @Test
    void messagesCarriesANativeBreakpointToClaudeAndReportsWritesThenReads() throws Exception {
        String manual = "The style guide, edition " + UUID.randomUUID() + ", in full. ".repeat(20);
        String body = """
                {"model": "%s", "max_tokens": 100,
                 "system": [{"type": "text", "text": "You answer from the guide.",
                   "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
                 "messages": [{"role": "user", "content": [
                   {"type": "text", "text": "%s", "cache_control": {"type": "ephemeral"}},
                   {"type": "text", "text": "How are headings written?"}]}]}""".formatted(MODEL, manual);

        Usage first = messages(body);
        RecordedRequest recorded =
                SimulatorTestResource.server().lastRequest("anthropic").orElseThrow();
        assertEquals("/v1/messages", recorded.path());
        JsonNode sent = recorded.bodyJson();
        assertBreakpoints(sent.path("system"), sent.path("messages").get(0).path("content"));
        assertEquals(0, first.cached());
        assertTrue(first.write1h() > 0 && first.write5m() > first.write1h(), first.toString());

        Usage second = messages(body);
        assertEquals(first.write5m() + first.write1h(), second.cached());
        assertEquals(0, second.write5m() + second.write1h());
    }

    /** The system block marked for an hour, the manual's block for the default five minutes, the question unmarked. */
    private static void assertBreakpoints(JsonNode system, JsonNode userContent) {
        JsonNode systemBlock = system.get(system.size() - 1);
        assertEquals("ephemeral", systemBlock.path("cache_control").path("type").asText(), system.toString());
        assertEquals("1h", systemBlock.path("cache_control").path("ttl").asText(), system.toString());
        assertEquals(2, userContent.size(), userContent.toString());
        JsonNode marked = userContent.get(0).path("cache_control");
        assertEquals("ephemeral", marked.path("type").asText(), userContent.toString());
        assertFalse(marked.has("ttl"), "no lifetime given, none invented: " + marked);
        assertFalse(userContent.get(1).has("cache_control"), userContent.toString());
    }

    /** One chat completion: its usage, checked against its cost and its one usage event. */
    private static Usage chat(String body) throws Exception {
        String requestId = "it-" + UUID.randomUUID();
        Response response = internal(requestId).body(body).post("/v1/chat/completions");
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("anthropic", response.header(TokenHubHeaders.PROVIDER));
        JsonNode usage = EXACT.readTree(response.asString()).path("usage");
        JsonNode details = usage.path("prompt_tokens_details");
        Usage counts = new Usage(
                usage.path("prompt_tokens").asLong(),
                details.path("cached_tokens").asLong(),
                details.path("cache_write_5m_tokens").asLong(),
                details.path("cache_write_1h_tokens").asLong(),
                usage.path("completion_tokens").asLong());
        assertEquals(
                counts.write5m() + counts.write1h(),
                details.path("cache_write_tokens").asLong());
        assertBilled(requestId, counts, usage);
        return counts;
    }

    /** One Messages request: its usage in Anthropic's shape, checked against its cost and its one usage event. */
    private static Usage messages(String body) throws Exception {
        String requestId = "it-" + UUID.randomUUID();
        Response response = internal(requestId).body(body).post("/v1/messages");
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode usage = EXACT.readTree(response.asString()).path("usage");
        long written = usage.path("cache_creation_input_tokens").asLong();
        long read = usage.path("cache_read_input_tokens").asLong();
        JsonNode split = usage.path("cache_creation");
        Usage counts = new Usage(
                usage.path("input_tokens").asLong() + read + written,
                read,
                split.path("ephemeral_5m_input_tokens").asLong(),
                split.path("ephemeral_1h_input_tokens").asLong(),
                usage.path("output_tokens").asLong());
        assertEquals(written, counts.write5m() + counts.write1h(), usage.toString());
        assertBilled(requestId, counts, usage);
        return counts;
    }

    /** {@code usage.cost} at Sonnet 4.5's published rates, and the request's one usage event with the same counts. */
    private static void assertBilled(String requestId, Usage counts, JsonNode usage) {
        BigDecimal providerCost = rate("3.00", counts.prompt() - counts.cached() - counts.write5m() - counts.write1h())
                .add(rate("0.30", counts.cached()))
                .add(rate("3.75", counts.write5m()))
                .add(rate("6.00", counts.write1h()))
                .add(rate("15.00", counts.output()));
        assertEquals(
                0,
                providerCost.compareTo(
                        usage.path("cost_details").path("provider_cost").decimalValue()),
                usage.toString());
        assertEquals(0, providerCost.add(FEE).compareTo(usage.path("cost").decimalValue()), usage.toString());

        UsageEvent event = usageEvent(requestId);
        assertEquals("anthropic", event.provider());
        assertEquals(counts.prompt(), event.inputTokens());
        assertEquals(counts.cached(), event.cachedTokens());
        assertEquals(counts.write5m(), event.cacheWrite5mTokens());
        assertEquals(counts.write1h(), event.cacheWrite1hTokens());
        assertEquals(counts.output(), event.outputTokens());
    }

    private static BigDecimal rate(String perMillion, long tokens) {
        return new BigDecimal(perMillion).multiply(BigDecimal.valueOf(tokens)).divide(MILLION);
    }

    /** A response's token counts, in OpenAI's terms: the prompt includes the cache reads and writes. */
    private record Usage(long prompt, long cached, long write5m, long write1h, long output) {}
}
