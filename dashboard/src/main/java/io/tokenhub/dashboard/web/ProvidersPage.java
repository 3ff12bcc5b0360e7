package io.tokenhub.dashboard.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.tokenhub.dashboard.client.ProvidersClient;
import io.tokenhub.dashboard.config.DashboardConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Each provider's and model's status, error rate and latency; the page's script reloads the table live. */
@Path("/providers")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class ProvidersPage {

    private final Template providers;
    private final ProvidersClient client;
    private final DashboardConfig config;
    private final View view;

    public ProvidersPage(
            @Location("providers.html") Template providers,
            @RestClient ProvidersClient client,
            DashboardConfig config,
            View view) {
        this.providers = providers;
        this.client = client;
        this.config = config;
        this.view = view;
    }

    @GET
    public TemplateInstance get(@QueryParam("account") String account) {
        return providers
                .data("frame", view.frame("providers", account))
                .data("refreshSeconds", config.providersRefreshSeconds())
                .data("status", Panel.load("health-monitor", client::status));
    }
}
