package io.tokenhub.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;

/** The one Jackson mapper of the simulators and the few ways they read and write JSON bodies. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The request body as a JSON object, or null when it is not one. */
    public static ObjectNode parseObject(Buffer body) {
        try {
            JsonNode node = MAPPER.readTree(body.getBytes());
            return node instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Ends the response with {@code body} as {@code application/json}. */
    public static void send(HttpServerResponse response, int status, JsonNode body) {
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(body.toString());
    }
}
