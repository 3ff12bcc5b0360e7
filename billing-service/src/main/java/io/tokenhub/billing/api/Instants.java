package io.tokenhub.billing.api;

import io.tokenhub.service.error.ApiException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Query parameters holding ISO-8601 instants. */
public final class Instants {

    private Instants() {}

    /** The instant in {@code value}, null when absent; a 400 naming {@code param} when it is not ISO-8601. */
    public static Instant parse(String param, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    param,
                    "invalid_timestamp",
                    "'" + param + "' must be an ISO-8601 instant such as 2026-11-01T00:00:00Z.");
        }
    }
}
