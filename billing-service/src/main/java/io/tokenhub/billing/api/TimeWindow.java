package io.tokenhub.billing.api;

import io.tokenhub.service.error.ApiException;
import java.time.Instant;

/**
 * A half-open range of request times, {@code from} inclusive and {@code to} exclusive; a missing end is unbounded.
 *
 * @param from first instant included, or null
 * @param to first instant excluded, or null
 */
public record TimeWindow(Instant from, Instant to) {

    /** How every operation documents {@code from}; a constant so annotations can use it. */
    public static final String FROM_PARAM =
            "First request time included, an ISO-8601 instant such as 2026-11-01T00:00:00Z; unbounded when absent.";
    /** How every operation documents {@code to}. */
    public static final String TO_PARAM =
            "First request time excluded, an ISO-8601 instant after from; unbounded when absent.";

    /** The window given by the {@code from} and {@code to} query parameters. */
    public static TimeWindow of(String from, String to) {
        TimeWindow w = new TimeWindow(Instants.parse("from", from), Instants.parse("to", to));
        if (w.from() != null && w.to() != null && !w.from().isBefore(w.to())) {
            throw ApiException.badRequest("to", "invalid_range", "'to' must be after 'from'.");
        }
        return w;
    }
}
