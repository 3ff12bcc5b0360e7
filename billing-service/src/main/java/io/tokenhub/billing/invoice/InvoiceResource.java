package io.tokenhub.billing.invoice;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.security.Authenticated;
import io.tokenhub.billing.access.AccountScope;
import io.tokenhub.billing.access.CallerAccess;
import io.tokenhub.billing.api.TimeWindow;
import io.tokenhub.billing.usage.UsageAmounts;
import io.tokenhub.billing.usage.UsageGroup;
import io.tokenhub.service.error.ApiException;
import io.tokenhub.service.openapi.ApiErrorResponses;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A calendar month's invoice for one account (UTC month of the request time): a line per model with its tokens,
 * provider cost, routing fees and total; the invoice totals are the exact sums of the lines, which are the exact
 * sums of the ledger lines.
 */
@Path("/api/billing/invoices")
@Tag(name = "Invoices", description = "An account's bill for one calendar month (UTC).")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class InvoiceResource {

    private static final Pattern PERIOD = Pattern.compile("\\d{4}-\\d{2}");

    private final CallerAccess access;
    private final EntityManager em;

    public InvoiceResource(CallerAccess access, EntityManager em) {
        this.access = access;
        this.em = em;
    }

    @GET
    @Path("/{period}")
    @Operation(
            summary = "One month's invoice",
            description = "Lines per model and provider with requests, tokens, provider cost, routing fees and"
                    + " total; money as decimal strings. Administrators must name the account.")
    public Invoice invoice(
            @Parameter(description = "The month, YYYY-MM (UTC).", example = "2026-11") @PathParam("period")
                    String period,
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        String accountId = access.singleAccount(account);
        YearMonth month = month(period);
        Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<InvoiceLine> lines =
                UsageGroup.query(em, AccountScope.of(accountId), new TimeWindow(start, end), UsageGroup.Grouping.MODEL)
                        .stream()
                        .map(g -> new InvoiceLine(g.model(), g.provider(), g.amounts()))
                        .sorted(Comparator.comparing(
                                        InvoiceLine::model, Comparator.nullsFirst(Comparator.naturalOrder()))
                                .thenComparing(InvoiceLine::provider, Comparator.nullsFirst(Comparator.naturalOrder())))
                        .toList();
        UsageAmounts total = lines.stream().map(InvoiceLine::amounts).reduce(UsageAmounts.ZERO, UsageAmounts::plus);
        return new Invoice("billing.invoice", accountId, month.toString(), start, end, "USD", lines, total);
    }

    private static YearMonth month(String period) {
        try {
            if (PERIOD.matcher(period).matches()) {
                return YearMonth.parse(period);
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw ApiException.badRequest("period", "invalid_period", "The invoice period must be a month as yyyy-mm.");
    }

    /**
     * The invoice. Money fields are decimal strings.
     *
     * @param periodStart first instant of the month, UTC (inclusive)
     * @param periodEnd first instant of the next month, UTC (exclusive)
     */
    public record Invoice(
            String object,
            String account,
            String period,
            Instant periodStart,
            Instant periodEnd,
            String currency,
            List<InvoiceLine> lines,
            @JsonUnwrapped UsageAmounts total) {}

    /** One model's usage in the month; lines with no model are failed requests that reached no provider. */
    public record InvoiceLine(
            @Schema(nullable = true) String model,
            @Schema(nullable = true) String provider,
            @JsonUnwrapped UsageAmounts amounts) {}
}
