package io.tokenhub.service.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.tokenhub.common.http.ErrorBody;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure of a service's JAX-RS APIs leaves in the one {@link ErrorBody} shape, the same on every service, never
 * with framework wording or a stack trace: refusals the code made ({@link ApiException}), 401, 403, bodies that do not
 * bind, other HTTP statuses and the unexpected. A 401 is an {@code invalid_request_error}, as OpenAI's own API answers a
 * bad key (https://platform.openai.com/docs/guides/error-codes), so a client handles every TokenHub 401 alike.
 */
public class ErrorMappers {

    private final AllowedMethods allowed;

    public ErrorMappers(AllowedMethods allowed) {
        this.allowed = allowed;
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), e.body());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e) {
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(
                        "A valid bearer token is required.", ErrorBody.INVALID_REQUEST, null, "invalid_token"))
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return json(403, ErrorBody.of("This token may not do that.", ErrorBody.PERMISSION, null, "forbidden"));
    }

    /**
     * A body that does not bind: declared separately for the Jackson exceptions Quarkus maps itself (to an empty 400),
     * since the most specific mapper wins.
     */
    @ServerExceptionMapper({MismatchedInputException.class, JsonParseException.class, JsonMappingException.class})
    public Response unbindable(JsonProcessingException e) {
        return unreadable(e);
    }

    /** A body that is not JSON, or JSON of the wrong shape: the field at fault becomes {@code param}. */
    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        String param =
                e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                        ? mapping.getPath().stream()
                                .map(r -> r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()))
                                .collect(Collectors.joining("."))
                        : null;
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof UnrecognizedPropertyException unknown) {
            return json(
                    400,
                    ErrorBody.of(
                            "Unrecognized field '" + unknown.getPropertyName() + "'.",
                            ErrorBody.INVALID_REQUEST,
                            param,
                            "unknown_field"));
        }
        if (original.startsWith("Duplicate field '")) {
            String field = original.substring("Duplicate field '".length(), original.indexOf('\'', 17));
            return json(
                    400,
                    ErrorBody.of(
                            "The field '" + field + "' is given twice.",
                            ErrorBody.INVALID_REQUEST,
                            field,
                            "duplicate_field"));
        }
        return json(
                400,
                ErrorBody.of(
                        param == null
                                ? "The request body is not valid JSON for this endpoint."
                                : "'" + param + "' has the wrong type or value.",
                        ErrorBody.INVALID_REQUEST,
                        param,
                        "invalid_body"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JsonProcessingException unbound) {
            // Quarkus wraps some binding failures (a creator that refused the value) before the mappers see them.
            return unreadable(unbound);
        }
        if (status >= 500) {
            Log.errorf("request failed with %d: %s", status, e.getClass().getName());
            return json(
                    status,
                    ErrorBody.of(
                            "The server had an error while processing your request.", ErrorBody.SERVER, null, null));
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String message = switch (status) {
            case 404 -> "No such endpoint.";
            case 405 -> "This method is not allowed here.";
            case 406 -> "This endpoint answers application/json only.";
            case 415 -> "Send the body as application/json.";
            default -> known == null ? "The request was refused." : known.getReasonPhrase() + ".";
        };
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 415 -> "unsupported_media_type";
            default -> null;
        };
        Response.ResponseBuilder response = Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(message, ErrorBody.INVALID_REQUEST, null, code));
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (status == 405 && allow == null) {
            allow = allowed.allow(uri.getPath());
        }
        return (allow == null || allow.isEmpty() ? response : response.header(HttpHeaders.ALLOW, allow)).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        Log.errorf(
                "unexpected failure answering an API request: %s", e.getClass().getName());
        return json(
                500,
                ErrorBody.of("The server had an error while processing your request.", ErrorBody.SERVER, null, null));
    }

    private static Response json(int status, ErrorBody body) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(body)
                .build();
    }
}
