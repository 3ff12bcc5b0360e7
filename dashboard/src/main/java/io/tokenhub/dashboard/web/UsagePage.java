package io.tokenhub.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.tokenhub.dashboard.client.BillingClient;
import io.tokenhub.dashboard.config.DashboardConfig;
import io.tokenhub.service.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Usage and billing over a date range: charts by day, model, provider and key; the ledger a page at a time through
 * billing's cursor; one request's detail; a month's invoice; the CSV of exactly the table's page.
 */
@Path("/usage")
@Authenticated
public class UsagePage {

    /** The ledger's columns, in the table and the CSV alike. */
    static final List<String> COLUMNS = List.of(
            "occurred_at",
            "request_id",
            "api",
            "model",
            "provider",
            "key_id",
            "input_tokens",
            "cached_tokens",
            "output_tokens",
            "usage_source",
            "status",
            "fallback_attempts",
            "latency_ms",
            "provider_cost_usd",
            "routing_fee_usd",
            "total_usd");

    private final Template usage;
    private final Template usageSummary;
    private final Template request;
    private final Template invoice;
    private final BillingClient billing;
    private final DashboardConfig config;
    private final View view;

    public UsagePage(
            @Location("usage.html") Template usage,
            @Location("usage-summary.html") Template usageSummary,
            @Location("request.html") Template request,
            @Location("invoice.html") Template invoice,
            @RestClient BillingClient billing,
            DashboardConfig config,
            View view) {
        this.usage = usage;
        this.usageSummary = usageSummary;
        this.request = request;
        this.invoice = invoice;
        this.billing = billing;
        this.config = config;
        this.view = view;
    }

    /**
     * A date range, both days included, in UTC.
     *
     * @param from first day
     * @param to last day
     */
    record Range(LocalDate from, LocalDate to) {

        static Range of(String from, String to) {
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            try {
                LocalDate end = to == null || to.isBlank() ? today : LocalDate.parse(to);
                LocalDate start = from == null || from.isBlank() ? end.minusDays(29) : LocalDate.parse(from);
                if (start.isAfter(end)) {
                    throw ApiException.badRequest("from", "invalid_range", "'from' must not be after 'to'.");
                }
                return new Range(start, end);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("from", "invalid_date", "Dates must look like 2030-01-31.");
            }
        }

        String fromInstant() {
            return OverviewPage.start(from);
        }

        String toInstant() {
            return OverviewPage.start(to.plusDays(1));
        }
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance get(
            @QueryParam("account") String account,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("cursor") String cursor) {
        View.Frame frame = view.frame("usage", account);
        Range range = Range.of(from, to);
        Panel<JsonNode> ledger = ledger(frame, range, cursor);
        String period = YearMonth.from(range.to()).toString();
        return usage.data("frame", frame)
                .data("range", range)
                .data("cursor", cursor)
                .data("ledger", ledger)
                .data(
                        "rows",
                        ledger.data() == null
                                ? List.of()
                                : LedgerCsv.rows(COLUMNS, ledger.data().path("data")))
                .data("columns", COLUMNS)
                .data("period", period);
    }

    /**
     * The range's totals and charts, fetched by the usage page after it shows the ledger: summing a range is the
     * slow part with many lines, and the table should not wait for it.
     */
    @GET
    @Path("/summary")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance summary(
            @QueryParam("account") String account, @QueryParam("from") String from, @QueryParam("to") String to) {
        View.Frame frame = view.frame("usage", account);
        Range range = Range.of(from, to);
        Panel<JsonNode> summary = Panel.load(
                "billing-service", () -> billing.usage(range.fromInstant(), range.toInstant(), frame.account()));
        JsonNode data = summary.data();
        return usageSummary
                .data("summary", summary)
                .data("byDay", data == null ? null : chart(data.path("by_day"), List.of("day")))
                .data("byModel", data == null ? null : chart(data.path("by_model"), List.of("model")))
                .data("byProvider", data == null ? null : chart(data.path("by_provider"), List.of("provider")))
                .data("byKey", data == null ? null : chart(data.path("by_key"), List.of("key_name", "key_id")));
    }

    /**
     * One month's invoice: whether it is open or closed (and when it closed), a line per model and the adjustment
     * lines for late events of closed months; its own page, so the usage page does not sum a month twice.
     */
    @GET
    @Path("/invoice")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance invoice(@QueryParam("account") String account, @QueryParam("period") String period) {
        View.Frame frame = view.frame("usage", account);
        String month;
        try {
            month = period == null || period.isBlank()
                    ? YearMonth.now(ZoneOffset.UTC).toString()
                    : YearMonth.parse(period).toString();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("period", "invalid_period", "The month must look like 2030-01.");
        }
        Panel<JsonNode> answer = Panel.load("billing-service", () -> billing.invoice(month, frame.account()));
        // Late events of a closed month are billed here as adjustment lines; they get their own table so the month's
        // own usage reads as it ran.
        List<JsonNode> own = new ArrayList<>();
        List<JsonNode> adjustments = new ArrayList<>();
        if (answer.data() != null) {
            answer.data().path("lines").forEach(l -> (l.path("adjustment_for").isTextual() ? adjustments : own).add(l));
        }
        return invoice.data("frame", frame)
                .data("period", month)
                .data("invoice", answer)
                .data("lines", own)
                .data("adjustments", adjustments);
    }

    @GET
    @Path("/requests")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance request(@QueryParam("account") String account, @QueryParam("id") String id) {
        View.Frame frame = view.frame("usage", account);
        if (id == null || id.isBlank()) {
            throw ApiException.badRequest("id", "missing_id", "Give the X-Inferoute-Request-Id to look for.");
        }
        return request.data("frame", frame)
                .data("id", id.trim())
                .data("line", Panel.load("billing-service", () -> billing.request(id.trim(), frame.account())));
    }

    /** The CSV of the table's page: the same range, cursor and page size, so it holds exactly what was shown. */
    @GET
    @Path("/ledger.csv")
    @Produces("text/csv")
    public Response csv(
            @QueryParam("account") String account,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("cursor") String cursor) {
        View.Frame frame = view.frame("usage", account);
        Range range = Range.of(from, to);
        Panel<JsonNode> page = ledger(frame, range, cursor);
        if (page.data() == null) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .type(MediaType.TEXT_PLAIN)
                    .entity(page.notice())
                    .build();
        }
        return Response.ok(LedgerCsv.of(COLUMNS, page.data().path("data")))
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"tokenhub-ledger-" + range.from() + "-" + range.to() + ".csv\"")
                .build();
    }

    private Panel<JsonNode> ledger(View.Frame frame, Range range, String cursor) {
        return Panel.load(
                "billing-service",
                () -> billing.requests(
                        range.fromInstant(),
                        range.toInstant(),
                        config.ledgerPageSize(),
                        cursor == null || cursor.isBlank() ? null : cursor,
                        frame.account()));
    }

    private static String chart(JsonNode breakdown, List<String> labels) {
        return Charts.of("bar", breakdown, labels, List.of("total_usd"));
    }
}
