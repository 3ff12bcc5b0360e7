package io.tokenhub.billing.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Parses a {@code tokenhub.usage} value and checks it can be billed as it stands. Anything else is rejected with a
 * reason, for the dead-letter topic: billing never guesses a missing field.
 */
final class UsageEventReader {

    /** Longest id or model name stored; matches the ledger's VARCHAR(200) columns. */
    static final int MAX_TEXT = 200;

    private static final int MAX_PROVIDER = 40;
    private static final int MAX_DETAIL = 300;

    private UsageEventReader() {}

    /** The outcome of reading one record value. */
    sealed interface Result permits Accepted, Rejected {}

    /** A valid event, its time truncated to the microseconds PostgreSQL keeps. */
    record Accepted(UsageEvent event) implements Result {}

    record Rejected(DeadLetterReason reason, String detail) implements Result {}

    /**
     * Reads {@code raw}; an event dated more than {@code maxSkew} after {@code now} is refused, since a producer's
     * broken clock would otherwise bill a line into a day or month not yet begun.
     */
    static Result read(String raw, Instant now, Duration maxSkew) {
        if (raw == null || raw.isBlank()) {
            return new Rejected(DeadLetterReason.EMPTY_VALUE, "the record has no value");
        }
        UsageEvent e;
        try {
            e = EventJson.MAPPER.readValue(raw, UsageEvent.class);
        } catch (JsonProcessingException ex) {
            // The original message names the problem without echoing the payload.
            return new Rejected(DeadLetterReason.MALFORMED_JSON, truncate(ex.getOriginalMessage()));
        }
        if (e == null) {
            return new Rejected(DeadLetterReason.MALFORMED_JSON, "the value is JSON null");
        }
        if (e.eventVersion() > UsageEvent.CURRENT_VERSION) {
            return new Rejected(
                    DeadLetterReason.UNSUPPORTED_EVENT_VERSION,
                    "event_version " + e.eventVersion() + " is newer than " + UsageEvent.CURRENT_VERSION
                            + ", the newest this service reads");
        }
        String problem = problem(e);
        if (problem != null) {
            return new Rejected(DeadLetterReason.INVALID_EVENT, problem);
        }
        if (e.occurredAt().isAfter(now.plus(maxSkew))) {
            return new Rejected(
                    DeadLetterReason.FUTURE_EVENT,
                    "occurred_at " + e.occurredAt() + " is more than " + maxSkew + " after billing's clock (" + now
                            + ")");
        }
        return new Accepted(new UsageEvent(
                e.eventVersion(),
                e.requestId(),
                e.accountId(),
                e.keyId(),
                e.requestedModel(),
                e.model(),
                e.provider(),
                e.providerModel(),
                e.inputTokens(),
                e.outputTokens(),
                e.cachedTokens(),
                e.latencyMs(),
                e.timeToFirstTokenMs(),
                e.status(),
                e.httpStatus(),
                e.fallbackAttempts(),
                e.streamed(),
                e.occurredAt().truncatedTo(ChronoUnit.MICROS),
                e.clientRequestId(),
                e.keyName(),
                e.api(),
                e.usageSource(),
                e.cacheWrite5mTokens(),
                e.cacheWrite1hTokens()));
    }

    private static String problem(UsageEvent e) {
        if (e.eventVersion() < 1) {
            return "event_version is missing";
        }
        if (blank(e.requestId())) {
            return "request_id is missing";
        }
        if (blank(e.accountId())) {
            return "account_id is missing";
        }
        if (e.occurredAt() == null) {
            return "occurred_at is missing";
        }
        if (e.status() == null) {
            return "status is missing";
        }
        if (tooLong(e.requestId(), MAX_TEXT)
                || tooLong(e.accountId(), MAX_TEXT)
                || tooLong(e.keyId(), MAX_TEXT)
                || tooLong(e.keyName(), MAX_TEXT)
                || tooLong(e.requestedModel(), MAX_TEXT)
                || tooLong(e.model(), MAX_TEXT)
                || tooLong(e.providerModel(), MAX_TEXT)
                || tooLong(e.clientRequestId(), MAX_TEXT)
                || tooLong(e.provider(), MAX_PROVIDER)) {
            return "an id or model name is longer than " + MAX_TEXT + " characters";
        }
        if (e.inputTokens() < 0
                || e.outputTokens() < 0
                || e.cachedTokens() < 0
                || e.cacheWrite5mTokens() < 0
                || e.cacheWrite1hTokens() < 0) {
            return "token counts must not be negative";
        }
        if (e.cachedTokens() + e.cacheWriteTokens() > e.inputTokens()) {
            return "cached_tokens (" + e.cachedTokens() + ") and cache writes (" + e.cacheWriteTokens()
                    + ") exceed input_tokens (" + e.inputTokens() + "), which include them";
        }
        if (e.latencyMs() < 0
                || (e.timeToFirstTokenMs() != null && e.timeToFirstTokenMs() < 0)
                || e.fallbackAttempts() < 0
                || e.httpStatus() < 0
                || e.httpStatus() > 999) {
            return "latency, fallback_attempts or http_status is out of range";
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean tooLong(String s, int max) {
        return s != null && s.length() > max;
    }

    private static String truncate(String s) {
        if (s == null) {
            return "unreadable JSON";
        }
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
    }
}
