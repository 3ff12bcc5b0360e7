package io.tokenhub.service.error;

import io.tokenhub.common.http.ErrorBody;

/** A refusal answered in the OpenAI error shape with the status an OpenAI client expects. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    private ApiException(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    public static ApiException badRequest(String param, String code, String message) {
        return new ApiException(400, ErrorBody.INVALID_REQUEST, param, code, message);
    }

    public static ApiException forbidden(String code, String message) {
        return new ApiException(403, ErrorBody.PERMISSION, null, code, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, ErrorBody.INVALID_REQUEST, null, "not_found", message);
    }

    public static ApiException conflict(String param, String code, String message) {
        return new ApiException(409, ErrorBody.INVALID_REQUEST, param, code, message);
    }

    public int status() {
        return status;
    }

    public ErrorBody body() {
        return ErrorBody.of(getMessage(), type, param, code);
    }
}
