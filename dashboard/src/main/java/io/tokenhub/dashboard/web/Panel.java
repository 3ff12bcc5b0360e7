package io.tokenhub.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.tokenhub.service.error.ApiException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.util.function.Supplier;

/**
 * What one panel of a page shows: the data a service answered, or a notice saying why there is none. A service that
 * is down empties its own panels only; the rest of the page still works. A refusal for the account is not a notice:
 * it is rethrown as the dashboard's own 403, so a member never sees a page about another account.
 *
 * @param data the service's answer, null when there is a notice
 * @param notice what the user is told instead, null when there is data
 */
public record Panel<T>(T data, String notice) {

    /** Calls {@code service} through {@code call}. */
    public static <T> Panel<T> load(String service, Supplier<T> call) {
        try {
            return new Panel<>(call.get(), null);
        } catch (WebApplicationException | ProcessingException e) {
            return failure(service, e);
        }
    }

    /** The panel for a failed call to {@code service}: its refusal's message, or a notice that it is down. */
    public static <T> Panel<T> failure(String service, RuntimeException e) {
        if (e instanceof WebApplicationException refused) {
            int status = refused.getResponse().getStatus();
            if (status == 401 || status == 403) {
                throw ApiException.forbidden("account_forbidden", "This account's data is not yours to see.");
            }
            if (status == 400 || status == 404 || status == 409) {
                return new Panel<>(null, message(refused));
            }
            Log.warnf("%s answered %d", service, status);
        } else {
            Log.warnf("%s is not reachable: %s", service, e.getClass().getSimpleName());
        }
        return new Panel<>(null, unavailable(service));
    }

    /** The message of a service's error body, the OpenAI-shaped one every TokenHub API answers with. */
    private static String message(WebApplicationException e) {
        try {
            JsonNode body = e.getResponse().readEntity(JsonNode.class);
            String message = body.path("error").path("message").asText("");
            return message.isEmpty()
                    ? "The request was refused (" + e.getResponse().getStatus() + ")."
                    : message;
        } catch (RuntimeException unreadable) {
            return "The request was refused (" + e.getResponse().getStatus() + ").";
        }
    }

    private static String unavailable(String service) {
        return service + " is not answering right now, so this panel is empty; the rest of the page works.";
    }
}
