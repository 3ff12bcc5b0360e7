package io.tokenhub.billing.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.billing.TestEvents;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageEventReaderTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:00:00.123456789Z");
    private static final Duration SKEW = Duration.ofMinutes(5);

    private static String json(UsageEvent e) throws Exception {
        return EventJson.MAPPER.writeValueAsString(e);
    }

    private static UsageEventReader.Result read(String raw) {
        return UsageEventReader.read(raw, AT, SKEW);
    }

    private static DeadLetterReason rejection(String raw) {
        return assertInstanceOf(UsageEventReader.Rejected.class, read(raw)).reason();
    }

    @Test
    void readsAValidEventAndKeepsTheMicrosecondsPostgresStores() throws Exception {
        UsageEvent sent = TestEvents.usage("r1", "acme", "openai", "gpt-4o", 10, 2, 5, AT);
        UsageEvent read = assertInstanceOf(UsageEventReader.Accepted.class, read(json(sent)))
                .event();
        assertEquals(Instant.parse("2026-11-24T10:00:00.123456Z"), read.occurredAt());
        assertEquals(sent.requestId(), read.requestId());
        assertEquals(10, read.inputTokens());
    }

    @Test
    void refusesEventsDatedBeyondTheClockSkewButNotWithinIt() throws Exception {
        Instant edge = AT.plus(SKEW);
        assertInstanceOf(
                UsageEventReader.Accepted.class,
                read(json(TestEvents.usage("r1", "acme", "openai", "gpt-4o", 10, 2, 5, edge))));
        assertEquals(
                DeadLetterReason.FUTURE_EVENT,
                rejection(json(TestEvents.usage("r2", "acme", "openai", "gpt-4o", 10, 2, 5, edge.plusMillis(1)))));
        assertEquals(
                DeadLetterReason.FUTURE_EVENT,
                rejection(json(TestEvents.usage("r3", "acme", "openai", "gpt-4o", 10, 2, 5, AT.plusSeconds(86_400)))));
    }

    @Test
    void toleratesFieldsANewerProducerAdded() throws Exception {
        String raw = json(TestEvents.usage("r1", "acme", "openai", "gpt-4o", 10, 2, 5, AT))
                .replaceFirst("\\{", "{\"region\":\"eu\",");
        assertInstanceOf(UsageEventReader.Accepted.class, read(raw));
    }

    @Test
    void rejectsWhatCannotBeBilledWithAReason() throws Exception {
        assertEquals(DeadLetterReason.EMPTY_VALUE, rejection(null));
        assertEquals(DeadLetterReason.EMPTY_VALUE, rejection("  "));
        assertEquals(DeadLetterReason.MALFORMED_JSON, rejection("{not json"));
        assertEquals(DeadLetterReason.MALFORMED_JSON, rejection("null"));
        assertEquals(DeadLetterReason.MALFORMED_JSON, rejection("[1,2]"));
        String valid = json(TestEvents.usage("r1", "acme", "openai", "gpt-4o", 10, 2, 5, AT));
        assertEquals(DeadLetterReason.MALFORMED_JSON, rejection(valid.replace("\"SUCCEEDED\"", "\"EXPLODED\"")));
        assertEquals(
                DeadLetterReason.MALFORMED_JSON,
                rejection(valid.replace("\"input_tokens\":10", "\"input_tokens\":null")));
        assertEquals(
                DeadLetterReason.UNSUPPORTED_EVENT_VERSION,
                rejection(valid.replace("\"event_version\":1", "\"event_version\":2")));
        // a missing count is never read as zero tokens
        assertEquals(DeadLetterReason.MALFORMED_JSON, rejection("{\"foo\":1}"));
        assertEquals(
                DeadLetterReason.INVALID_EVENT, rejection(valid.replace("\"event_version\":1", "\"event_version\":0")));
        assertEquals(
                DeadLetterReason.INVALID_EVENT,
                rejection(valid.replace("\"request_id\":\"r1\"", "\"request_id\":\"\"")));
        assertEquals(DeadLetterReason.INVALID_EVENT, rejection(valid.replace("\"account_id\":\"acme\",", "")));
        assertEquals(
                DeadLetterReason.INVALID_EVENT,
                rejection(json(TestEvents.usage("r1", "acme", "openai", "gpt-4o", 10, 11, 5, AT))));
        assertEquals(
                DeadLetterReason.INVALID_EVENT,
                rejection(json(TestEvents.usage("r1", "acme", "openai", "gpt-4o", -1, 0, 5, AT))));
        assertEquals(
                DeadLetterReason.INVALID_EVENT,
                rejection(json(TestEvents.usage("r".repeat(201), "acme", "openai", "gpt-4o", 1, 0, 5, AT))));
    }

    @Test
    void theDetailNamesTheProblemWithoutEchoingThePayload() {
        String secret = "{\"request_id\": \"x\", \"prompt\": \"my secret text\" oops";
        var rejected = assertInstanceOf(UsageEventReader.Rejected.class, read(secret));
        assertTrue(!rejected.detail().contains("my secret text"), rejected.detail());
    }
}
