package io.tokenhub.common.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one error body every TokenHub service answers with, OpenAI's {@code {"error": {message, type, param, code}}}
 * (https://platform.openai.com/docs/guides/error-codes): all four keys always present, {@code param} and
 * {@code code} null when they say nothing. {@link #json} writes it where no JSON binding runs (raw Vert.x routes, SSE
 * error events).
 *
 * @param error what went wrong
 */
public record ErrorBody(@JsonProperty("error") Detail error) {

    /** OpenAI's error type for a request the client must change. */
    public static final String INVALID_REQUEST = "invalid_request_error";
    /** The caller may not do this. */
    public static final String PERMISSION = "permission_error";
    /** TokenHub or a provider failed; retrying may help. */
    public static final String SERVER = "server_error";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param message for people; never a key, an id of another account or a stack trace
     * @param type OpenAI's error class
     * @param param the request field at fault, or null
     * @param code machine-readable reason, or null
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Detail(
            @JsonProperty("message") String message,
            @JsonProperty("type") String type,
            @JsonProperty("param") String param,
            @JsonProperty("code") String code) {}

    public static ErrorBody of(String message, String type, String param, String code) {
        return new ErrorBody(new Detail(message, type, param, code));
    }

    /** The body as JSON text. */
    public static String json(String message, String type, String param, String code) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root.toString();
    }

    public String toJson() {
        return json(error.message(), error.type(), error.param(), error.code());
    }
}
