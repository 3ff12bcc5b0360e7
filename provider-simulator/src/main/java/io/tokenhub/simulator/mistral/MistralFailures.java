package io.tokenhub.simulator.mistral;

import static io.tokenhub.simulator.mistral.MistralRequests.loc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Ids;
import io.tokenhub.simulator.Json;
import io.vertx.core.http.HttpServerResponse;

/** Mistral's error bodies per status and its in-stream error, injected by a {@link io.tokenhub.simulator.Behaviour} or sent for a refused request. */
final class MistralFailures {

    private MistralFailures() {}

    static void invalidJson(HttpServerResponse res) {
        ArrayNode detail = Json.MAPPER.createArrayNode();
        ObjectNode entry = detail.addObject().put("type", "json_invalid");
        entry.set("loc", loc("body", 0));
        entry.put("msg", "JSON decode error").putObject("input");
        entry.putObject("ctx").put("error", "Expecting value");
        Json.send(res, 422, Json.object().set("detail", detail));
    }

    /** Mistral's general error body, e.g. the recorded 429 and tool-call-id 400. */
    static void error(HttpServerResponse res, int status, String message, String type, String code) {
        ObjectNode body =
                Json.object().put("object", "error").put("message", message).put("type", type);
        body.putNull("param");
        body.put("code", code).put("raw_status_code", status);
        Json.send(res, status, body);
    }

    static void failWith(HttpServerResponse res, int status) {
        switch (status) {
            case 401 ->
                Json.send(res, 401, Json.object().put("message", "Unauthorized").put("request_id", Ids.hex(32)));
            case 422 -> {
                ArrayNode detail = Json.MAPPER.createArrayNode();
                ObjectNode entry = detail.addObject().put("type", "value_error");
                entry.set("loc", loc("body", "messages"));
                entry.put("msg", "Value error, the conversation is not valid");
                Json.send(res, 422, Json.object().set("detail", detail));
            }
            case 429 -> error(res, 429, "Rate limit exceeded", "rate_limited", "1300");
            default -> {
                if (status < 500) {
                    error(res, status, "Invalid request", "invalid_request_error", "3000");
                } else {
                    error(res, status, "Internal server error", "internal_server_error", "1000");
                }
            }
        }
    }

    /** Mistral documents no in-stream error event; this sends its general error body as a data event. */
    static String streamError() {
        ObjectNode body = Json.object()
                .put("object", "error")
                .put("message", "Internal server error")
                .put("type", "internal_server_error");
        body.putNull("param");
        body.put("code", "1000").put("raw_status_code", 500);
        return body.toString();
    }
}
