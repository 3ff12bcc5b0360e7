package io.tokenhub.common.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One published rate for a model, in US dollars per one million tokens, in force from {@code effectiveFrom}
 * until the next entry of the same model takes over. Keeping every entry means a price change never
 * rewrites the cost of requests that ran before it.
 *
 * @param effectiveFrom first instant at which this rate applies
 * @param inputPerMillion price of one million uncached input tokens
 * @param outputPerMillion price of one million output tokens
 * @param cachedInputPerMillion price of one million cached input tokens; null when the provider has no cache price,
 *                              in which case cached tokens are charged at the input price
 * @param source where the figure was published
 */
public record Price(
        @JsonProperty("effective-from") Instant effectiveFrom,
        @JsonProperty("input-per-1m") BigDecimal inputPerMillion,
        @JsonProperty("output-per-1m") BigDecimal outputPerMillion,
        @JsonProperty("cached-input-per-1m") BigDecimal cachedInputPerMillion,
        @JsonProperty("source") String source) {

    public Price {
        requireNonNegative(inputPerMillion, "input-per-1m");
        requireNonNegative(outputPerMillion, "output-per-1m");
        if (cachedInputPerMillion != null) {
            requireNonNegative(cachedInputPerMillion, "cached-input-per-1m");
        }
        if (effectiveFrom == null) {
            throw new IllegalArgumentException("effective-from is required");
        }
    }

    /** The rate cached input is charged at: its own price where published, otherwise the input price. */
    public BigDecimal effectiveCachedInputPerMillion() {
        return cachedInputPerMillion == null ? inputPerMillion : cachedInputPerMillion;
    }

    private static void requireNonNegative(BigDecimal value, String name) {
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException(name + " must be a non-negative decimal");
        }
    }
}
