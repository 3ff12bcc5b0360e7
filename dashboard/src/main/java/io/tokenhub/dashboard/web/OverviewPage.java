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

    private static final List<String> CHART_SERIES = List.of("total_usd", "request_count");

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
        LocalDate monthStart = today.withDayOfMonth(1);
        LocalDate chartStart = today.minusDays(29);
        // One usage call covers the chart, the month so far and today: each figure is summed from its days.
        LocalDate from = monthStart.isBefore(chartStart) ? monthStart : chartStart;
        Panel<JsonNode> usage = Panel.load(
                "billing-service", () -> billing.usage(start(from), start(today.plusDays(1)), frame.account()));
        JsonNode days = usage.data() == null ? null : usage.data().path("by_day");
        return overview.data("frame", frame)
                .data("usage", usage)
                .data("month", days == null ? null : DaySums.of(days, monthStart, today))
                .data("today", days == null ? null : DaySums.of(days, today, today))
                .data(
                        "chart",
                        days == null
                                ? null
                                : Charts.of(
                                        "line", DaySums.between(days, chartStart, today), List.of("day"), CHART_SERIES))
                .data(
                        "topModels",
                        days == null ? null : Top.byTotal(usage.data().path("by_model")))
                .data(
                        "topProviders",
                        days == null ? null : Top.byTotal(usage.data().path("by_provider")));
    }

    static String start(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC).toString();
    }
}
