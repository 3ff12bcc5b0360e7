package io.tokenhub.simulator.anthropic;

import static io.tokenhub.simulator.anthropic.AnthropicAnswers.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.vertx.core.http.HttpServerResponse;

/** Anthropic's error bodies per status, injected by a {@link io.tokenhub.simulator.Behaviour} or sent for a refused request. */
final class AnthropicFailures {

    private AnthropicFailures() {}

    /** The bodies Anthropic sends per status (https://docs.claude.com/en/api/errors). */
    static void failWith(HttpServerResponse res, Behaviour behaviour) {
        int status = behaviour.errorStatus();
        switch (status) {
            case 400 -> error(res, 400, "invalid_request_error", "Invalid request.");
            case 401 -> error(res, 401, "authentication_error", "invalid x-api-key");
            case 402 ->
                error(
                        res,
                        402,
                        "billing_error",
                        "Your credit balance is too low to access the Anthropic "
                                + "API. Please go to Plans & Billing to upgrade or purchase credits.");
            case 403 ->
                error(
                        res,
                        403,
                        "permission_error",
                        "Your API key does not have permission to use the " + "specified resource.");
            case 404 -> error(res, 404, "not_found_error", "The requested resource could not be found.");
            case 413 -> error(res, 413, "request_too_large", "Request exceeds the maximum allowed number of bytes.");
            case 429 -> {
                if (behaviour.retryAfter() > 0) {
                    res.putHeader("retry-after", Integer.toString(behaviour.retryAfter()));
                }
                res.putHeader("anthropic-ratelimit-requests-limit", "4000")
                        .putHeader("anthropic-ratelimit-requests-remaining", "0");
                error(
                        res,
                        429,
                        "rate_limit_error",
                        "Number of request tokens has exceeded your per-minute rate "
                                + "limit (https://docs.claude.com/en/api/rate-limits); see the response headers for current "
                                + "usage. Please reduce the prompt length or the maximum tokens requested, or try again "
                                + "later.");
            }
            case 504 -> error(res, 504, "timeout_error", "Request timed out.");
            case 529 -> error(res, 529, "overloaded_error", "Overloaded");
            default -> {
                if (status < 500) {
                    error(res, status, "invalid_request_error", "Invalid request.");
                } else {
                    error(res, status, "api_error", "Internal server error");
                }
            }
        }
    }

    static void error(HttpServerResponse res, int status, String type, String message) {
        ObjectNode body = Json.object().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        body.put("request_id", res.headers().get("request-id"));
        Json.send(res, status, body);
    }

    static String requestId() {
        return "req_011C" + Ids.alphanumeric(20);
    }
}
