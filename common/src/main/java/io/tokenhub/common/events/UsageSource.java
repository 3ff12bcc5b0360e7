package io.tokenhub.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a request's token counts come from, so an estimate is never billed silently. */
public enum UsageSource {
    /** Every count is the provider's own, as it reported it. */
    REPORTED,
    /**
     * At least one count was estimated by TokenHub (never below what the provider reported): the stream ended before
     * the provider's usage arrived, because the client left or the provider cut, broke off or went silent.
     */
    ESTIMATED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static UsageSource fromWireName(String name) {
        for (UsageSource source : values()) {
            if (source.wireName().equals(name)) {
                return source;
            }
        }
        throw new IllegalArgumentException("unknown usage source: " + name);
    }
}
