package io.tokenhub.billing.invoice;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.security.Authenticated;
import io.tokenhub.billing.access.CallerAccess;
import io.tokenhub.billing.usage.UsageAmounts;
import io.tokenhub.service.error.ApiException;
import io.tokenhub.service.openapi.ApiErrorResponses;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.Session;

/**
 * A calendar month's invoice for one account (UTC). While the month is open it is summed live from the ledger lines
 * billed on it; once closed it is read from the snapshot taken at closing, so it reads the same forever, whatever
 * arrives late or is purged. Totals are the exact sums of the lines, which are the exact sums of the ledger lines.
 */
@Path("/api/billing/invoices")
@Tag(name = "Invoices", description = "An account's bill for one calendar month (UTC).")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class InvoiceResource {

    /** An invoice, for the OpenAPI document. */
    private static final String INVOICE_EXAMPLE = """
            {"object": "billing.invoice", "account": "acme", "period": "2026-11", "status": "closed",
             "closed_at": "2026-12-04T00:15:00Z", "period_start": "2026-11-01T00:00:00Z", "period_end": "2026-12-01T00:00:00Z",
             "currency": "USD", "request_count": 2, "answered_request_count": 2, "input_tokens": 1200, "cached_tokens": 0,
             "cache_write_5m_tokens": 0, "cache_write_1h_tokens": 0,
             "output_tokens": 300, "provider_cost_usd": "0.00600000", "routing_fee_usd": "0.00020000", "total_usd": "0.00620000",
             "lines": [{"model": "gpt-4o", "provider": "openai", "adjustment_for": null, "request_count": 2, "answered_request_count": 2, "input_tokens": 1200, "cached_tokens": 0,
             "cache_write_5m_tokens": 0, "cache_write_1h_tokens": 0,
             "output_tokens": 300, "provider_cost_usd": "0.00600000", "routing_fee_usd": "0.00020000", "total_usd": "0.00620000"}]}""";

    private static final Pattern PERIOD = Pattern.compile("\\d{4}-\\d{2}");
    /** No TokenHub invoice predates this month; anything earlier is a typo, not a request for an empty invoice. */
    static final YearMonth FIRST_PERIOD = YearMonth.of(2020, 1);

    private final CallerAccess access;
    private final EntityManager em;

    public InvoiceResource(CallerAccess access, EntityManager em) {
        this.access = access;
        this.em = em;
    }

    @GET
    @APIResponse(
            responseCode = "200",
            description = "The invoice; open or closed.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Invoice.class),
                            examples = @ExampleObject(name = "example", value = INVOICE_EXAMPLE)))
    @Path("/{period}")
    @Operation(
            summary = "One month's invoice",
            description = "Lines per model and provider with requests, tokens, provider cost, routing fees and"
                    + " total; money as decimal strings. Open while the month runs and for a grace period after; then"
                    + " closed and read from its snapshot, forever the same. Administrators must name the account.")
    public Invoice invoice(
            @Parameter(description = "The month, YYYY-MM (UTC), from 2020-01 to next month.", example = "2026-11")
                    @PathParam("period")
                    String period,
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        YearMonth month = month(period, YearMonth.now(ZoneOffset.UTC));
        String accountId = access.singleAccount(account);
        Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant closedAt = closedAt(month);
        List<InvoiceLine> lines;
        UsageAmounts total;
        if (closedAt == null) {
            lines = InvoiceRows.live(em, accountId, month);
            total = lines.stream().map(InvoiceLine::amounts).reduce(UsageAmounts.ZERO, UsageAmounts::plus);
        } else {
            // Both as copied at closing (the totals were summed from the same ledger lines as the lines were).
            lines = InvoiceRows.closed(em, accountId, month);
            total = InvoiceRows.closedTotal(em, accountId, month);
        }
        return new Invoice(
                "billing.invoice",
                accountId,
                month.toString(),
                closedAt == null ? "open" : "closed",
                closedAt,
                start,
                end,
                "USD",
                lines,
                total);
    }

    /** When the month closed, or null while it is open (every month up to the newest closed one is closed). */
    private Instant closedAt(YearMonth month) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            YearMonth lastClosed = ClosedMonths.lastClosed(c);
            if (lastClosed == null || month.isAfter(lastClosed)) {
                return null;
            }
            try (PreparedStatement ps =
                    c.prepareStatement("select coalesce((select closed_at from billing.closed_period where period = ?),"
                            + " (select min(closed_at) from billing.closed_period))")) {
                // A month older than the first close has no row of its own: it closed with the first close.
                ps.setObject(1, month.atDay(1));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getObject(1, OffsetDateTime.class).toInstant();
                }
            }
        });
    }

    /** The month in {@code period}, from 2020-01 to the month after {@code current}; a 400 naming it otherwise. */
    static YearMonth month(String period, YearMonth current) {
        YearMonth month = null;
        try {
            if (period != null && PERIOD.matcher(period).matches()) {
                month = YearMonth.parse(period);
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        if (month == null || month.isBefore(FIRST_PERIOD) || month.isAfter(current.plusMonths(1))) {
            throw ApiException.badRequest(
                    "period",
                    "invalid_period",
                    "The invoice period must be a month as yyyy-mm, from " + FIRST_PERIOD + " to "
                            + current.plusMonths(1) + ".");
        }
        return month;
    }

    /**
     * The invoice. Money fields are decimal strings.
     *
     * @param status {@code open} (still summed live) or {@code closed} (never changes again)
     * @param closedAt when the month was closed; null while open
     * @param periodStart first instant of the month, UTC (inclusive)
     * @param periodEnd first instant of the next month, UTC (exclusive)
     */
    public record Invoice(
            String object,
            String account,
            String period,
            String status,
            @Schema(nullable = true) Instant closedAt,
            Instant periodStart,
            Instant periodEnd,
            String currency,
            List<InvoiceLine> lines,
            @JsonUnwrapped UsageAmounts total) {}

    /**
     * One model's usage billed in the month; lines with no model are failed requests that reached no provider.
     *
     * @param adjustmentFor for requests that ran in an already closed month and arrived late: that month
     *     ({@code yyyy-mm}); null for the month's own usage
     */
    public record InvoiceLine(
            @Schema(nullable = true) String model,
            @Schema(nullable = true) String provider,
            @Schema(nullable = true) String adjustmentFor,
            @JsonUnwrapped UsageAmounts amounts) {}
}
