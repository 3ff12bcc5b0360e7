package io.tokenhub.routing.settings;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a plain model name picks among the providers of its equivalence group. */
public enum Strategy {
    /** The named model first, then the account's preferred backup providers, then the group's order. */
    DEFAULT,
    /** The provider with the lowest recently observed time to first token, with some exploration. */
    LATENCY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Strategy fromWireName(String name) {
        for (Strategy s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("strategy must be 'default' or 'latency'");
    }
}
