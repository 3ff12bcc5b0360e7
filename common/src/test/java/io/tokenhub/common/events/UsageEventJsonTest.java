package io.tokenhub.common.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's wire names of {@code api} and {@code usage_source}, and how events written before them read. */
class UsageEventJsonTest {

    private static final String BEFORE_THE_FIELDS = """
            {"event_version": 1, "request_id": "req_1", "account_id": "acme", "key_id": "k1",
             "requested_model": "gpt-4o", "model": "gpt-4o", "provider": "openai", "provider_model": "gpt-4o",
             "input_tokens": 12, "output_tokens": 3, "cached_tokens": 0, "latency_ms": 40,
             "time_to_first_token_ms": 9, "status": "%s", "http_status": 200, "fallback_attempts": 0,
             "streamed": %s, "occurred_at": "2026-12-01T17:03:12Z"}""";

    private static UsageEvent read(String json) throws JsonProcessingException {
        return EventJson.MAPPER.readValue(json, UsageEvent.class);
    }

    @Test
    void anEventWrittenBeforeTheFieldsReadsAsAReportedChatCompletion() throws JsonProcessingException {
        UsageEvent event = read(BEFORE_THE_FIELDS.formatted("SUCCEEDED", "true"));
        assertEquals(Api.CHAT_COMPLETIONS, event.api());
        assertEquals(UsageSource.REPORTED, event.usageSource());
        // Written before cache writes were counted apart: none, as billing priced them then (at the input rate).
        assertEquals(0, event.cacheWrite5mTokens());
        assertEquals(0, event.cacheWrite1hTokens());
    }

    @Test
    void cacheWritesGoOutAndComeBackByLifetime() throws JsonProcessingException {
        UsageEvent event = read(BEFORE_THE_FIELDS
                .formatted("SUCCEEDED", "false")
                .replace("}", ", \"cache_write_5m_tokens\": 5, \"cache_write_1h_tokens\": 2}"));
        assertEquals(5, event.cacheWrite5mTokens());
        assertEquals(2, event.cacheWrite1hTokens());
        assertEquals(7, event.cacheWriteTokens());
        JsonNode written = EventJson.MAPPER.readTree(EventJson.MAPPER.writeValueAsString(event));
        assertEquals(5, written.path("cache_write_5m_tokens").asLong());
        assertEquals(2, written.path("cache_write_1h_tokens").asLong());
    }

    @Test
    void aCancelledStreamWrittenBeforeTheFieldsWasBilledOnAnEstimate() throws JsonProcessingException {
        assertEquals(
                UsageSource.ESTIMATED,
                read(BEFORE_THE_FIELDS.formatted("CANCELLED", "true")).usageSource());
        // A non-streamed request cancelled before the answer had no tokens to estimate.
        assertEquals(
                UsageSource.REPORTED,
                read(BEFORE_THE_FIELDS.formatted("CANCELLED", "false")).usageSource());
    }

    @Test
    void theFieldsGoOutAndComeBackUnderTheContractsNames() throws JsonProcessingException {
        for (Api api : Api.values()) {
            for (UsageSource source : UsageSource.values()) {
                String json = BEFORE_THE_FIELDS
                        .formatted("SUCCEEDED", "false")
                        .replace(
                                "}",
                                ", \"api\": \"" + api.wireName() + "\", \"usage_source\": \"" + source.wireName()
                                        + "\"}");
                UsageEvent event = read(json);
                assertEquals(api, event.api());
                assertEquals(source, event.usageSource());
                JsonNode written = EventJson.MAPPER.valueToTree(event);
                assertEquals(api.wireName(), written.path("api").asText());
                assertEquals(source.wireName(), written.path("usage_source").asText());
            }
        }
        assertEquals(
                List.of("chat.completions", "responses", "messages", "embeddings"),
                Arrays.stream(Api.values()).map(Api::wireName).toList());
        assertEquals(
                List.of("reported", "estimated"),
                Arrays.stream(UsageSource.values()).map(UsageSource::wireName).toList());
    }

    @Test
    void anUnknownApiIsMalformedNotGuessed() {
        JsonProcessingException e = assertThrows(
                JsonProcessingException.class,
                () -> read(BEFORE_THE_FIELDS.formatted("SUCCEEDED", "false").replace("}", ", \"api\": \"chat\"}")));
        assertTrue(e.getMessage().contains("api"), e.getMessage());
    }
}
