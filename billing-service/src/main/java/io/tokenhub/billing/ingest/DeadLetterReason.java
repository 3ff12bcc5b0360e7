package io.tokenhub.billing.ingest;

import io.tokenhub.common.pricing.UnpriceableException;
import java.util.Locale;

/** Why a usage event went to the dead-letter topic; {@link #code()} is the {@code dead-letter-reason} header. */
public enum DeadLetterReason {
    /** The record had no value (a tombstone or an empty string). */
    EMPTY_VALUE,
    /** The value is not JSON, or not a usage event's JSON shape. */
    MALFORMED_JSON,
    /** Written by a producer with a newer, incompatible event version. */
    UNSUPPORTED_EVENT_VERSION,
    /** Well-formed JSON that breaks a rule: a missing id, negative tokens, cached above input, ... */
    INVALID_EVENT,
    /** Dated further in the future than clocks can drift apart: a broken producer clock, never billed on a guess. */
    FUTURE_EVENT,
    /** The model is not in the catalog. */
    UNKNOWN_MODEL,
    /** The catalog serves the model from another provider than the event names. */
    PROVIDER_MISMATCH,
    /** The catalog has no price for the model at the instant the request ran. */
    NO_PRICE_IN_FORCE,
    /** The request ran before the account's retention window, so its line would be purged (and could be re-billed). */
    OUTSIDE_RETENTION,
    /** Another event with the same account and request id, but different content, was billed already. */
    CONFLICTING_DUPLICATE,
    /**
     * PostgreSQL refused this very event for its data (a NUL character, a value out of a column's range, ...): found
     * by splitting the refused batch until the event stood alone, so the rest of the batch was billed.
     */
    REJECTED_BY_DATABASE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeadLetterReason of(UnpriceableException.Reason reason) {
        return switch (reason) {
            case UNKNOWN_MODEL -> UNKNOWN_MODEL;
            case PROVIDER_MISMATCH -> PROVIDER_MISMATCH;
            case NO_PRICE_IN_FORCE -> NO_PRICE_IN_FORCE;
        };
    }
}
