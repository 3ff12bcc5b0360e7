package io.tokenhub.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.tokenhub.dashboard.client.BillingClient;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The first page: this month's spend, today's requests, the last 30 days by day, top models and providers. */
@Path("/")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class OverviewPage {

    private final Template overview;
    private final BillingClient billing;
    private final View view;

    public OverviewPage(@Location("overview.html") Template overview, @RestClient BillingClient billing, View view) {
        this.overview = overview;
        this.billing = billing;
        this.view = view;
    }

    @GET
    public TemplateInstance get(@QueryParam("account") String account) {
        View.Frame frame = view.frame("overview", account);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String tomorrow = start(today.plusDays(1));
        Panel<JsonNode> month = Panel.load(
                "billing-service", () -> billing.usage(start(today.withDayOfMonth(1)), tomorrow, frame.account()));
        Panel<JsonNode> day =
                Panel.load("billing-service", () -> billing.usage(start(today), tomorrow, frame.account()));
        Panel<JsonNode> last30 = Panel.load(
                "billing-service", () -> billing.usage(start(today.minusDays(29)), tomorrow, frame.account()));
        String chart = last30.data() == null
                ? null
                : Charts.of("line", last30.data().path("by_day"), "day", List.of("total_usd", "request_count"));
        return overview.data("frame", frame)
                .data("month", month)
                .data("day", day)
                .data("last30", last30)
                .data("chart", chart)
                .data(
                        "topModels",
                        last30.data() == null ? null : Top.byTotal(last30.data().path("by_model")))
                .data(
                        "topProviders",
                        last30.data() == null ? null : Top.byTotal(last30.data().path("by_provider")));
    }

    static String start(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC).toString();
    }
}
