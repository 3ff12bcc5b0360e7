package io.tokenhub.billing.api;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure leaves as an OpenAI-shaped error, never as a stack trace or an HTML page. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), e.body());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e) {
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(ApiError.of("A valid bearer token is required.", ApiError.AUTHENTICATION, null,
                        "invalid_token"))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return json(403, ApiError.of("This token may not do that.", ApiError.PERMISSION, null, "forbidden"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            Log.errorf(e, "request failed with %d", status);
            return json(status, ApiError.of("The billing service failed; try again.", ApiError.SERVER, null, null));
        }
        String code = status == 404 ? "not_found" : null;
        String message = status == 404 ? "No such endpoint." : Response.Status.fromStatusCode(status) == null
                ? "The request was refused." : Response.Status.fromStatusCode(status).getReasonPhrase() + ".";
        return json(status, ApiError.of(message, ApiError.INVALID_REQUEST, null, code));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        Log.error("unexpected failure answering a billing request", e);
        return json(500, ApiError.of("The billing service failed; try again.", ApiError.SERVER, null, null));
    }

    private static Response json(int status, ApiError body) {
        return Response.status(status).entity(body).type(MediaType.APPLICATION_JSON).build();
    }
}
