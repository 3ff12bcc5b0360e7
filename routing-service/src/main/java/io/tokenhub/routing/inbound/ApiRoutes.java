package io.tokenhub.routing.inbound;

import io.tokenhub.common.events.Api;
import java.util.Map;

/** Which public API a path of gateway-service's {@code /v1} belongs to, for the usage event to say. */
public final class ApiRoutes {

    private static final Map<String, Api> BY_PATH = Map.of(
            "/v1/chat/completions", Api.CHAT_COMPLETIONS,
            "/v1/responses", Api.RESPONSES,
            "/v1/messages", Api.MESSAGES,
            "/v1/embeddings", Api.EMBEDDINGS);

    private ApiRoutes() {}

    /** The API served at {@code path}; null for paths that bill no tokens, such as {@code /v1/models}. */
    public static Api forPath(String path) {
        return BY_PATH.get(path);
    }
}
