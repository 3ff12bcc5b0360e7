package io.tokenhub.simulator.chatcompletions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Json;
import io.vertx.core.http.HttpServerResponse;

/** OpenAI's error shape and its failure bodies per status, which Meta's compatible endpoint shares and Mistral replaces. */
public final class ChatCompletionsFailures {

    private ChatCompletionsFailures() {}

    /** An error in OpenAI's shape, {@code {"error": {message, type, param, code}}}, which Llama's endpoint shares. */
    public static void error(
            HttpServerResponse response, int status, String message, String type, String param, String code) {
        ObjectNode body = Json.object();
        body.putObject("error")
                .put("message", message)
                .put("type", type)
                .put("param", param)
                .put("code", code);
        Json.send(response, status, body);
    }

    /** The in-stream error event OpenAI sends after a 200 head, which the OpenAI SDKs raise as an APIError. */
    public static String streamError() {
        ObjectNode body = Json.object();
        body.putObject("error")
                .put("message", "The server had an error while processing your request. Sorry about " + "that!")
                .put("type", "server_error")
                .putNull("param")
                .putNull("code");
        return body.toString();
    }

    /**
     * The failure bodies OpenAI sends for each status (https://platform.openai.com/docs/guides/error-codes), with
     * {@code retry-after} on 429 and 503 as the behaviour says.
     */
    public static void failWith(HttpServerResponse response, Behaviour behaviour) {
        int status = behaviour.errorStatus();
        if ((status == 429 || status == 503) && behaviour.retryAfter() > 0) {
            response.putHeader("retry-after", Integer.toString(behaviour.retryAfter()));
        }
        switch (status) {
            case 400 -> error(response, 400, "Invalid request.", "invalid_request_error", null, null);
            case 401 ->
                error(
                        response,
                        401,
                        "Incorrect API key provided. You can find your API key at "
                                + "https://platform.openai.com/account/api-keys.",
                        "invalid_request_error",
                        null,
                        "invalid_api_key");
            case 403 ->
                error(
                        response,
                        403,
                        "Country, region, or territory not supported",
                        "request_forbidden",
                        null,
                        "unsupported_country_region_territory");
            case 404 ->
                error(
                        response,
                        404,
                        "The model does not exist or you do not have access to it.",
                        "invalid_request_error",
                        null,
                        "model_not_found");
            case 429 -> {
                response.putHeader("x-ratelimit-limit-requests", "10000")
                        .putHeader("x-ratelimit-remaining-requests", "0")
                        .putHeader("x-ratelimit-reset-requests", behaviour.retryAfter() + "s");
                error(
                        response,
                        429,
                        "Rate limit reached for requests per min (RPM): Limit 10000, Used 10000, "
                                + "Requested 1. Please try again in " + behaviour.retryAfter() + "s.",
                        "requests",
                        null,
                        "rate_limit_exceeded");
            }
            case 503 ->
                error(
                        response,
                        503,
                        "The engine is currently overloaded, please try again later.",
                        "server_error",
                        null,
                        null);
            default -> {
                if (status < 500) {
                    error(response, status, "Invalid request.", "invalid_request_error", null, null);
                } else {
                    error(
                            response,
                            status,
                            "The server had an error while processing your request. Sorry about " + "that!",
                            "server_error",
                            null,
                            null);
                }
            }
        }
    }
}
