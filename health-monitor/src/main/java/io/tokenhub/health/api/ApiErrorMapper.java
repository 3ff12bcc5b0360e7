package io.tokenhub.health.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error this service answers with, in the OpenAI shape, never with a stack trace. */
public class ApiErrorMapper {

    /**
     * The OpenAI error body.
     *
     * @param error what went wrong
     */
    public record ApiError(@JsonProperty("error") Body error) {

        /**
         * @param message for people
         * @param type error class, as OpenAI names them
         * @param param the offending parameter, if any
         * @param code machine-readable reason, if any
         */
        public record Body(@JsonProperty("message") String message, @JsonProperty("type") String type,
                @JsonProperty("param") String param, @JsonProperty("code") String code) {
        }
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON)
                .entity(error("A valid bearer token is required.", "invalid_request_error", "invalid_token"))
                .build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String message = type == null ? "Request failed." : type.getReasonPhrase() + ".";
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(error(message, status >= 500 ? "server_error" : "invalid_request_error", null))
                .build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        Log.error("Unexpected error while answering a request", e);
        return Response.serverError()
                .type(MediaType.APPLICATION_JSON)
                .entity(error("The server had an error while processing your request.", "server_error", null))
                .build();
    }

    private static ApiError error(String message, String type, String code) {
        return new ApiError(new ApiError.Body(message, type, null, code));
    }
}
