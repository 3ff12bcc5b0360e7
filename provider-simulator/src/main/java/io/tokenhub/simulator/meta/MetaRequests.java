package io.tokenhub.simulator.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.simulator.Json;
import io.tokenhub.simulator.chatcompletions.ChatCompletionsFailures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** What Meta's compatible endpoint refuses with a 400 before answering. */
final class MetaRequests {

    private MetaRequests() {}

    /** The chat request, or null after refusing it: unreadable JSON, no {@code model}, no {@code messages}. */
    static ObjectNode read(HttpServerResponse res, Buffer body) {
        ObjectNode request = Json.parseObject(body);
        if (request == null) {
            ChatCompletionsFailures.error(res, 400, "Invalid JSON body.", "invalid_request_error", null, null);
            return null;
        }
        if (!request.path("model").isTextual()) {
            ChatCompletionsFailures.error(res, 400, "model: Field required", "invalid_request_error", "model", null);
            return null;
        }
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            ChatCompletionsFailures.error(
                    res, 400, "messages: Field required", "invalid_request_error", "messages", null);
            return null;
        }
        return request;
    }
}
