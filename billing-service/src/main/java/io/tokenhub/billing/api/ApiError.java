package io.tokenhub.billing.api;

/**
 * The OpenAI error body, {@code {"error":{"message","type","param","code"}}}; all four keys are always present,
 * {@code param} and {@code code} may be null (OpenAPI spec {@code components.schemas.Error}).
 */
public record ApiError(Detail error) {

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String AUTHENTICATION = "authentication_error";
    static final String PERMISSION = "permission_error";
    static final String SERVER = "server_error";

    public record Detail(String message, String type, String param, String code) {
    }

    public static ApiError of(String message, String type, String param, String code) {
        return new ApiError(new Detail(message, type, param, code));
    }
}
