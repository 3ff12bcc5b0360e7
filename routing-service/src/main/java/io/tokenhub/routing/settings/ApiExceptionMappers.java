package io.tokenhub.routing.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.tokenhub.routing.openai.OpenAiError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** /api/routing failures in the OpenAI error shape, never with a stack trace. */
public class ApiExceptionMappers {

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return error(new OpenAiError(400, "invalid_request_error", "The body is not valid routing settings: strategy"
                + " is 'default' or 'latency', fallback a boolean, preferred_backup_providers a list of openai, "
                + "anthropic, google, mistral, meta.", null, null, null));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return error(new OpenAiError(403, "permission_error", e.getMessage() == null ? "Forbidden." : e.getMessage(),
                null, null, null));
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return error(new OpenAiError(401, "invalid_request_error", "A valid bearer token is required.", null,
                "invalid_token", null));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return error(new OpenAiError(status, status >= 500 ? "server_error" : "invalid_request_error",
                e.getMessage() == null ? "The request could not be served." : e.getMessage(), null, null, null));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        Log.errorf("routing settings API failure: %s", e.getClass().getName());
        return error(new OpenAiError(500, "server_error", "The server had an error while processing your request.",
                null, null, null));
    }

    private static Response error(OpenAiError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON).entity(error.toJson()).build();
    }
}
