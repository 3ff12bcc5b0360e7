package io.tokenhub.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The OpenAI error body {@code {"error": {message, type, param, code}}} for errors the gateway makes itself. */
public final class OpenAiErrorBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiErrorBody() {
    }

    public static String of(String message, String type, String param, String code) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root.toString();
    }
}
