package io.tokenhub.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Anthropic's error body (https://docs.claude.com/en/api/errors), {@code {"type": "error", "error": {type, message},
 * "request_id": ...}}, which TokenHub answers with on its Anthropic Messages endpoints ({@code /v1/messages} and
 * {@code /v1/messages/count_tokens}) whichever service made the error: the Anthropic SDKs read the message from it, and
 * pick their exception class from the status. The gateway and routing-service both write it through here.
 */
public final class AnthropicErrorBody {

    /** The paths whose errors take this shape. */
    public static final String MESSAGES_PATH = "/v1/messages";

    // Anthropic's error types (ErrorType in the SDKs); typeFor pairs each with its status.
    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String AUTHENTICATION = "authentication_error";
    public static final String PERMISSION = "permission_error";
    public static final String NOT_FOUND = "not_found_error";
    public static final String REQUEST_TOO_LARGE = "request_too_large";
    public static final String RATE_LIMIT = "rate_limit_error";
    public static final String API = "api_error";
    public static final String TIMEOUT = "timeout_error";
    public static final String OVERLOADED = "overloaded_error";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnthropicErrorBody() {}

    /** Whether {@code path} is one of the Messages endpoints, whose errors take Anthropic's shape. */
    public static boolean appliesTo(String path) {
        return path != null && (path.equals(MESSAGES_PATH) || path.startsWith(MESSAGES_PATH + "/"));
    }

    /**
     * Anthropic's error type for an HTTP status, as its error table pairs them; a 4xx it does not list is
     * {@code invalid_request_error} (as Anthropic answers them), a 503 is an overload (TokenHub's "no provider can
     * answer now", which Anthropic reports as 529), 504 a timeout, any other 5xx {@code api_error}.
     */
    public static String typeFor(int status) {
        return switch (status) {
            case 401 -> AUTHENTICATION;
            case 403 -> PERMISSION;
            case 404 -> NOT_FOUND;
            case 413 -> REQUEST_TOO_LARGE;
            case 429 -> RATE_LIMIT;
            case 503, 529 -> OVERLOADED;
            case 504 -> TIMEOUT;
            default -> status >= 500 ? API : INVALID_REQUEST;
        };
    }

    /**
     * The body as JSON text.
     *
     * @param requestId the request id, which Anthropic repeats in the body; null leaves it out
     */
    public static String json(int status, String message, String requestId) {
        ObjectNode root = JSON.createObjectNode().put("type", "error");
        root.putObject("error").put("type", typeFor(status)).put("message", message);
        if (requestId != null) {
            root.put("request_id", requestId);
        }
        return root.toString();
    }
}
