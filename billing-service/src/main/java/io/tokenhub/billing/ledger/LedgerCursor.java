package io.tokenhub.billing.ledger;

import io.tokenhub.service.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The position of a line in ledger order (time, then id), handed to clients as an opaque token. Keyset pagination
 * means a page never repeats or skips a line because new ones arrived meanwhile.
 *
 * @param occurredAt the line's request time
 * @param id the line's id, breaking ties between requests of the same microsecond
 */
public record LedgerCursor(Instant occurredAt, long id) {

    private static final String VERSION = "v1";

    public static LedgerCursor of(LedgerLine line) {
        return new LedgerCursor(line.occurredAt, line.id);
    }

    public String encode() {
        String plain = VERSION + ":" + occurredAt.getEpochSecond() + ":" + occurredAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code token}, null when absent; a 400 when it is not one this service made. */
    public static LedgerCursor decode(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8).split(":");
            if (parts.length != 4 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("unknown cursor layout");
            }
            return new LedgerCursor(
                    Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])),
                    Long.parseLong(parts[3]));
        } catch (RuntimeException e) {
            throw ApiException.badRequest(
                    "cursor", "invalid_cursor", "'cursor' must be a next_cursor value from an earlier page.");
        }
    }
}
