package io.tokenhub.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.tokenhub.dashboard.client.KeysClient;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The account's API keys: create (the secret shown once), list, revoke. */
@Path("/keys")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class KeysPage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Template keys;
    private final KeysClient client;
    private final View view;

    public KeysPage(@Location("keys.html") Template keys, @RestClient KeysClient client, View view) {
        this.keys = keys;
        this.client = client;
        this.view = view;
    }

    @GET
    public TemplateInstance get(@QueryParam("account") String account) {
        return page(view.frame("keys", account), null, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance create(
            @QueryParam("account") String account,
            @FormParam("name") String name,
            @FormParam("expires") String expires) {
        View.Frame frame = view.frame("keys", account);
        ObjectNode request = JSON.createObjectNode().put("name", name);
        if (expires != null && !expires.isBlank()) {
            try {
                request.put(
                        "expires_at",
                        LocalDate.parse(expires)
                                .plusDays(1)
                                .atStartOfDay()
                                .toInstant(ZoneOffset.UTC)
                                .toString());
            } catch (DateTimeParseException e) {
                return page(frame, null, "The expiry must be a date such as 2030-01-31.");
            }
        }
        try {
            return page(frame, client.create(frame.account(), request), null);
        } catch (WebApplicationException | ProcessingException e) {
            return page(frame, null, Panel.failure("gateway-service", e).notice());
        }
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance revoke(@QueryParam("account") String account, @PathParam("id") String id) {
        View.Frame frame = view.frame("keys", account);
        try {
            client.revoke(id, frame.account());
            return page(frame, null, null);
        } catch (WebApplicationException | ProcessingException e) {
            return page(frame, null, Panel.failure("gateway-service", e).notice());
        }
    }

    private TemplateInstance page(View.Frame frame, JsonNode created, String error) {
        return keys.data("frame", frame)
                .data("list", Panel.load("gateway-service", () -> client.list(frame.account())))
                .data("created", created)
                .data("error", error);
    }
}
