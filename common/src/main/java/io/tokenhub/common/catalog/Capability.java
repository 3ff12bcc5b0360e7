package io.tokenhub.common.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a catalog model can be asked to do; routing refuses requests that need a capability the model lacks. */
public enum Capability {
    CHAT,
    STREAMING,
    TOOLS,
    VISION,
    JSON_MODE,
    EMBEDDINGS,
    REASONING;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Capability fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
