package io.tokenhub.common.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Where a model stands in its provider's lifecycle, as the provider published it: deprecated (still answered, with a
 * warning to the caller) from {@code deprecatedAt}, retired (refused, its successor named) from {@code retiredAt}.
 * Dates are UTC days; a model with neither is active.
 *
 * @param deprecatedAt the day the provider announced its end, or null
 * @param retiredAt the day the provider stops answering it, or null
 * @param successor the catalog model the provider recommends instead, or null
 * @param source where the dates and the successor were published, and when that was checked
 */
public record Lifecycle(
        @JsonProperty("deprecated-at") LocalDate deprecatedAt,
        @JsonProperty("retired-at") LocalDate retiredAt,
        @JsonProperty("successor") String successor,
        @JsonProperty("source") String source) {

    /** A model nobody announced the end of. */
    public static final Lifecycle ACTIVE = new Lifecycle(null, null, null, null);

    /** What a model is at an instant. */
    public enum Stage {
        ACTIVE,
        DEPRECATED,
        RETIRED
    }

    public Lifecycle {
        if (deprecatedAt != null && retiredAt != null && retiredAt.isBefore(deprecatedAt)) {
            throw new IllegalArgumentException("retired-at " + retiredAt + " is before deprecated-at " + deprecatedAt);
        }
        if (deprecatedAt != null && retiredAt == null) {
            // A provider that deprecates a model names the day it retires it; callers are told that day.
            throw new IllegalArgumentException("deprecated-at " + deprecatedAt + " needs its retired-at");
        }
        if ((deprecatedAt != null || retiredAt != null) && (source == null || source.isBlank())) {
            throw new IllegalArgumentException("a lifecycle date needs its source");
        }
        if (successor != null && successor.isBlank()) {
            successor = null;
        }
    }

    public Stage stageAt(Instant at) {
        if (retiredAt != null && !at.isBefore(startOf(retiredAt))) {
            return Stage.RETIRED;
        }
        if (deprecatedAt != null && !at.isBefore(startOf(deprecatedAt))) {
            return Stage.DEPRECATED;
        }
        return Stage.ACTIVE;
    }

    public Optional<String> successorId() {
        return Optional.ofNullable(successor);
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
