package io.tokenhub.billing.budget;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.Authenticated;
import io.tokenhub.billing.access.CallerAccess;
import io.tokenhub.common.events.AccountSpend;
import io.tokenhub.common.pricing.Money;
import io.tokenhub.service.error.ApiException;
import io.tokenhub.service.json.UsdAmounts;
import io.tokenhub.service.openapi.ApiErrorResponses;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/billing/budget}: the account's monthly spend limit and what it spent this UTC month. The gateway refuses
 * the account's requests with 429 {@code insufficient_quota} once the spend reaches the limit, and warns from 80 %.
 */
@Path("/api/billing/budget")
@Tag(name = "Budget", description = "The account's monthly spend limit, enforced by the gateway.")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class BudgetResource {

    private static final String BUDGET_EXAMPLE = """
            {"object": "billing.budget", "account": "acme", "month": "2026-12", "monthly_limit_usd": "50.00000000",
             "spent_usd": "12.34000000", "remaining_usd": "37.66000000",
             "keys": [{"key_id": "msr2gr8unkpe", "spent_usd": "12.34000000"}]}""";

    private final CallerAccess access;
    private final AccountBudgets budgets;
    private final SpendPublisher publisher;

    public BudgetResource(CallerAccess access, AccountBudgets budgets, SpendPublisher publisher) {
        this.access = access;
        this.budgets = budgets;
        this.publisher = publisher;
    }

    @GET
    @Transactional
    @APIResponse(
            responseCode = "200",
            description = "The limit (null for none) and this month's spend.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Budget.class),
                            examples = @ExampleObject(name = "example", value = BUDGET_EXAMPLE)))
    @Operation(
            summary = "The monthly budget",
            description = "The account's monthly limit in USD and its spend this UTC month, in total and per key."
                    + " Administrators must name the account.")
    public Budget get(@Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        return view(budgets.spend(access.singleAccount(account), thisMonth(), Instant.now()));
    }

    @PUT
    @Transactional
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(
            responseCode = "200",
            description = "The budget as stored, with this month's spend.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Budget.class),
                            examples = @ExampleObject(name = "example", value = BUDGET_EXAMPLE)))
    @Operation(
            summary = "Set the monthly budget",
            description = "Sets the limit (a decimal string of US dollars, at most 8 decimals) or removes it with null."
                    + " The gateway applies it within seconds.")
    @RequestBody(
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = BudgetUpdate.class),
                            examples =
                                    @ExampleObject(
                                            name = "fifty dollars",
                                            value = "{\"monthly_limit_usd\":\"50.00\"}")))
    public Budget put(
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account,
            BudgetUpdate update) {
        if (update == null) {
            throw ApiException.badRequest(null, "invalid_body", "Send {\"monthly_limit_usd\": \"50.00\"} or null.");
        }
        String accountId = access.singleAccount(account);
        Optional<BigDecimal> limit =
                Optional.ofNullable(UsdAmounts.parse(update.monthlyLimitUsd(), "monthly_limit_usd"));
        Instant now = Instant.now();
        budgets.set(accountId, limit, now);
        publisher.changed(List.of(accountId));
        return view(budgets.spend(accountId, thisMonth(), now));
    }

    private static YearMonth thisMonth() {
        return YearMonth.now(ZoneOffset.UTC);
    }

    private static Budget view(AccountSpend spend) {
        BigDecimal limit = spend.budgetUsd();
        return new Budget(
                "billing.budget",
                spend.accountId(),
                spend.month().toString(),
                limit,
                spend.spentUsd(),
                limit == null ? null : limit.subtract(spend.spentUsd()).max(Money.ZERO),
                spend.keys());
    }

    /**
     * A budget change.
     *
     * @param monthlyLimitUsd US dollars per UTC month as a decimal string, or null to remove the limit
     */
    public record BudgetUpdate(
            @JsonProperty("monthly_limit_usd") String monthlyLimitUsd) {}

    /**
     * The budget and this month's spend. Money fields are decimal strings.
     *
     * @param object always {@code billing.budget}
     * @param account the account
     * @param month the UTC month, YYYY-MM
     * @param monthlyLimitUsd the limit, or null for none
     * @param spentUsd the month's spend so far, adjustments of closed months included
     * @param remainingUsd what is left before requests are refused, or null without a limit
     * @param keys the spend per API key
     */
    public record Budget(
            @JsonProperty("object") String object,
            @JsonProperty("account") String account,
            @JsonProperty("month") String month,

            @Schema(nullable = true) @JsonProperty("monthly_limit_usd")
            BigDecimal monthlyLimitUsd,

            @JsonProperty("spent_usd") BigDecimal spentUsd,

            @Schema(nullable = true) @JsonProperty("remaining_usd")
            BigDecimal remainingUsd,

            @JsonProperty("keys") List<AccountSpend.KeySpend> keys) {}
}
