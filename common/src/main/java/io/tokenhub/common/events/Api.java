package io.tokenhub.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The public API a request came in through; the wire name is what usage events, the ledger and the CSV show. */
public enum Api {
    /** {@code POST /v1/chat/completions}. */
    CHAT_COMPLETIONS("chat.completions"),
    /** {@code POST /v1/responses}. */
    RESPONSES("responses"),
    /** {@code POST /v1/messages}. */
    MESSAGES("messages"),
    /** {@code POST /v1/embeddings}. */
    EMBEDDINGS("embeddings");

    private final String wireName;

    Api(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Api fromWireName(String name) {
        for (Api api : values()) {
            if (api.wireName.equals(name)) {
                return api;
            }
        }
        throw new IllegalArgumentException("unknown api: " + name);
    }
}
