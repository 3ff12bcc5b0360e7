package io.tokenhub.simulator.openai;

import io.tokenhub.simulator.chatcompletions.ChatCompletionsFailures;
import io.vertx.core.http.HttpServerResponse;

/**
 * OpenAI's own refusals; the failure bodies a {@link io.tokenhub.simulator.Behaviour} injects, per status and in a
 * stream, are {@link ChatCompletionsFailures}' (OpenAI's shape, which Meta shares).
 */
final class OpenAiFailures {

    private OpenAiFailures() {}

    /** A request without a Bearer key. */
    static void unauthorized(HttpServerResponse res) {
        ChatCompletionsFailures.error(
                res,
                401,
                "You didn't provide an API key. You need to provide your API key in "
                        + "an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the "
                        + "password field (with blank username) if you're accessing the API from your browser and are "
                        + "prompted for a username and password. You can obtain an API key from "
                        + "https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                null,
                null);
    }
}
