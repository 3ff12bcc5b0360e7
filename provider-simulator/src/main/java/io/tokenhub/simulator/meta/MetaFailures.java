package io.tokenhub.simulator.meta;

import io.tokenhub.simulator.chatcompletions.ChatCompletionsFailures;
import io.vertx.core.http.HttpServerResponse;

/**
 * Meta's own refusals. Meta publishes no error body for this endpoint; the failure bodies a
 * {@link io.tokenhub.simulator.Behaviour} injects, per status and in a stream, are {@link ChatCompletionsFailures}'
 * (OpenAI's shape, which the OpenAI SDKs the endpoint targets parse).
 */
final class MetaFailures {

    private MetaFailures() {}

    /** A request without a Bearer key. */
    static void unauthorized(HttpServerResponse res) {
        ChatCompletionsFailures.error(
                res,
                401,
                "Authentication required: missing or invalid API key.",
                "authentication_error",
                null,
                "invalid_api_key");
    }
}
