package io.tokenhub.simulator.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.SseStream;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsFailures;
import io.vertx.core.http.HttpServerResponse;

/**
 * OpenAI's own refusals; the failure bodies a {@link io.tokenhub.simulator.Behaviour} injects, per status and in a
 * stream, are {@link ChatCompletionsFailures}' (OpenAI's shape, which Meta shares).
 */
final class OpenAiFailures {

    private OpenAiFailures() {}

    /**
     * A chat completion asked of a model OpenAI serves on its Responses API only: OpenAI's 404 as clients report it
     * (for example crewAIInc/crewAI's tests of gpt-5-pro, and the o1-pro note in many users' scripts).
     */
    static void responsesOnly(HttpServerResponse res) {
        ChatCompletionsFailures.error(
                res,
                404,
                "This model is only supported in v1/responses and not in v1/chat/completions.",
                "invalid_request_error",
                "model",
                null);
    }

    /**
     * The Responses stream's error event (https://platform.openai.com/docs/api-reference/responses-streaming/error),
     * sent when the behaviour fails mid-stream.
     */
    static String responsesStreamError(int sequenceNumber) {
        ObjectNode event = Json.object()
                .put("type", "error")
                .put("code", "server_error")
                .put("message", "The server had an error while processing your request. Sorry about that!")
                .putNull("param")
                .put("sequence_number", sequenceNumber);
        return SseStream.event("error", event.toString());
    }

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
