package io.tokenhub.simulator.google;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.Json;
import io.vertx.core.http.HttpServerResponse;

/** Gemini's error bodies per status, injected by a {@link io.tokenhub.simulator.Behaviour} or sent for a refused request. */
final class GoogleFailures {

    private GoogleFailures() {}

    /** Google's canonical bodies per status (https://ai.google.dev/gemini-api/docs/troubleshooting). */
    static void failWith(HttpServerResponse res, Behaviour behaviour, String path) {
        int status = behaviour.errorStatus();
        switch (status) {
            case 400 -> invalidArgument(res, "Request contains an invalid argument.");
            case 401 -> error(res, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", null);
            case 403 -> error(res, 403, "PERMISSION_DENIED", "The caller does not have permission", null);
            case 404 -> notFound(res, path);
            case 429 -> {
                ArrayNode details = Json.MAPPER.createArrayNode();
                details.addObject()
                        .put("@type", "type.googleapis.com/google.rpc.QuotaFailure")
                        .putArray("violations")
                        .addObject()
                        .put("quotaMetric", "generativelanguage.googleapis.com/generate_content_requests")
                        .put("quotaId", "GenerateRequestsPerMinutePerProjectPerModel");
                if (behaviour.retryAfter() > 0) {
                    details.addObject()
                            .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                            .put("retryDelay", behaviour.retryAfter() + "s");
                }
                error(
                        res,
                        429,
                        "RESOURCE_EXHAUSTED",
                        "You exceeded your current quota, please check your plan " + "and billing details.",
                        details);
            }
            case 500 ->
                error(
                        res,
                        500,
                        "INTERNAL",
                        "An internal error has occurred. Please retry or report in "
                                + "https://developers.generativeai.google/guide/troubleshooting",
                        null);
            case 503 -> error(res, 503, "UNAVAILABLE", "The model is overloaded. Please try again later.", null);
            case 504 -> error(res, 504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete.", null);
            default -> {
                if (status < 500) {
                    error(res, status, "FAILED_PRECONDITION", "Precondition check failed.", null);
                } else {
                    error(res, status, "INTERNAL", "An internal error has occurred.", null);
                }
            }
        }
    }

    static void notFound(HttpServerResponse res, String path) {
        error(res, 404, "NOT_FOUND", "Requested entity was not found. (" + path + ")", null);
    }

    static void invalidArgument(HttpServerResponse res, String message) {
        ArrayNode details = null;
        if (message.startsWith("Invalid JSON payload received.")) {
            details = Json.MAPPER.createArrayNode();
            details.addObject()
                    .put("@type", "type.googleapis.com/google.rpc.BadRequest")
                    .putArray("fieldViolations")
                    .addObject()
                    .put("description", message);
        }
        error(res, 400, "INVALID_ARGUMENT", message, details);
    }

    static void error(HttpServerResponse res, int status, String code, String message, ArrayNode details) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error")
                .put("code", status)
                .put("message", message)
                .put("status", code);
        if (details != null) {
            error.set("details", details);
        }
        res.putHeader("content-type", "application/json; charset=UTF-8");
        res.setStatusCode(status).end(body.toString());
    }
}
