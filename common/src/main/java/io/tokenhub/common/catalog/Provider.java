package io.tokenhub.common.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** The upstream providers TokenHub holds contracts with; the wire name is what clients use as a model prefix. */
public enum Provider {
    OPENAI,
    ANTHROPIC,
    GOOGLE,
    MISTRAL,
    META;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Provider fromWireName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown provider: " + name));
    }

    public static Optional<Provider> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Provider p : values()) {
            if (p.wireName().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
