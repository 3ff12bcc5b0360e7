package io.tokenhub.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.tokenhub.gateway.keys.BadRequestProblem;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Dashboard API failures in the same OpenAI error shape as the public API, never with a stack trace. */
public class ApiExceptionMappers {

    @ServerExceptionMapper
    public Response badRequest(BadRequestProblem e) {
        return error(400, e.getMessage(), "invalid_request_error", e.param(), null);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return error(400, "The request body is not valid JSON for this endpoint.", "invalid_request_error", null,
                null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return error(404, e.getMessage() == null ? "Not found." : e.getMessage(), "invalid_request_error", null,
                "not_found");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return error(403, e.getMessage() == null ? "Forbidden." : e.getMessage(), "permission_error", null, null);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return error(401, "A valid bearer token is required.", "invalid_request_error", null, "invalid_token");
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return error(status, status == 415 ? "Send application/json." : "The request could not be served.",
                status >= 500 ? "server_error" : "invalid_request_error", null, null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        Log.errorf("dashboard API failure: %s", e.getClass().getName());
        return error(500, "The server had an error while processing your request.", "server_error", null, null);
    }

    private static Response error(int status, String message, String type, String param, String code) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(OpenAiErrorBody.of(message, type, param, code)).build();
    }
}
