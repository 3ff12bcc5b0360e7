package io.tokenhub.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.dashboard.client.ProvidersClient;
import io.tokenhub.dashboard.client.RoutingClient;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The account's routing strategy, fallback, preferred backups, whether retired models follow their successors and the
 * region it is restricted to, next to the equivalence groups with each member's live status and each provider's live
 * status.
 */
@Path("/routing")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class RoutingPage {

    /** The providers a backup slot offers; there is one slot per provider. */
    static final List<String> PROVIDERS =
            Arrays.stream(Provider.values()).map(Provider::wireName).toList();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Template routing;
    private final RoutingClient client;
    private final ProvidersClient providers;
    private final View view;

    public RoutingPage(
            @Location("routing.html") Template routing,
            @RestClient RoutingClient client,
            @RestClient ProvidersClient providers,
            View view) {
        this.routing = routing;
        this.client = client;
        this.providers = providers;
        this.view = view;
    }

    @GET
    public TemplateInstance get(@QueryParam("account") String account) {
        View.Frame frame = view.frame("routing", account);
        return page(frame, Panel.load("routing-service", () -> client.get(frame.account())), null, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance save(@QueryParam("account") String account, MultivaluedMap<String, String> form) {
        View.Frame frame = view.frame("routing", account);
        ObjectNode update = JSON.createObjectNode()
                .put("strategy", form.getFirst("strategy"))
                .put("fallback", "on".equals(form.getFirst("fallback")))
                .put("follow_successors", "on".equals(form.getFirst("follow_successors")));
        // The form sends the whole settings: a PUT without the region would lift the restriction.
        String region = form.getFirst("region");
        if (region == null || region.isBlank()) {
            update.putNull("region");
        } else {
            update.put("region", region);
        }
        ArrayNode backups = update.putArray("preferred_backup_providers");
        List<String> chosen = new ArrayList<>();
        for (int slot = 1; slot <= PROVIDERS.size(); slot++) {
            String provider = form.getFirst("backup_" + slot);
            if (provider != null && !provider.isBlank()) {
                chosen.add(provider);
                backups.add(provider);
            }
        }
        try {
            JsonNode saved = client.put(frame.account(), update);
            return page(frame, new Panel<>(saved, null), "Saved. routing-service now applies these settings.", null);
        } catch (WebApplicationException e) {
            Panel<JsonNode> refused = Panel.failure("routing-service", e);
            return page(
                    frame, Panel.load("routing-service", () -> client.get(frame.account())), null, refused.notice());
        }
    }

    private TemplateInstance page(View.Frame frame, Panel<JsonNode> settings, String saved, String error) {
        List<String> backups = new ArrayList<>();
        if (settings.data() != null) {
            settings.data().path("preferred_backup_providers").forEach(p -> backups.add(p.asText()));
        }
        List<String> slots = new ArrayList<>();
        for (int i = 0; i < PROVIDERS.size(); i++) {
            slots.add(i < backups.size() ? backups.get(i) : "");
        }
        Panel<JsonNode> status = Panel.load("health-monitor", providers::status);
        // Each service empties only its own panel: without health-monitor the groups still show, statuses unknown.
        Panel<JsonNode> groups = Panel.load("routing-service", client::groups);
        Panel<JsonNode> regions = Panel.load("routing-service", client::regions);
        Panel<List<GroupStatus>> groupStatus = groups.data() == null
                ? new Panel<>(null, groups.notice())
                : new Panel<>(GroupStatus.of(groups.data(), status.data()), null);
        return routing.data("frame", frame)
                .data("settings", settings)
                .data("slots", slots)
                .data("providers", PROVIDERS)
                .data("status", status)
                .data("groups", groupStatus)
                .data("regions", regions)
                .data("saved", saved)
                .data("error", error);
    }
}
