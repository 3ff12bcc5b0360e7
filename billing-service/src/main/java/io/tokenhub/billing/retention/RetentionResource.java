package io.tokenhub.billing.retention;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.Authenticated;
import io.tokenhub.billing.access.CallerAccess;
import io.tokenhub.service.error.ApiException;
import io.tokenhub.service.openapi.ApiErrorResponses;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
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
 * {@code /api/billing/retention}: how long an account's request metadata (its ledger lines) is kept. Members read
 * their account's; administrators set an account's own retention, which wins over the configured one. Lines of
 * closed months past it are purged; closed invoices are kept for their legal period whatever it says.
 */
@Path("/api/billing/retention")
@Tag(name = "Retention", description = "How long an account's request metadata is kept.")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {

    /** Longest retention an administrator may set: 100 years is "keep", anything longer is a typo. */
    static final int MAX_DAYS = 36_500;

    private static final String EXAMPLE = """
            {"object": "billing.retention", "account": "acme", "days": 2555, "source": "account",
             "invoice_keep_years": 7}""";

    private final CallerAccess access;
    private final RetentionPolicy policy;
    private final AccountRetentions stored;

    public RetentionResource(CallerAccess access, RetentionPolicy policy, AccountRetentions stored) {
        this.access = access;
        this.policy = policy;
        this.stored = stored;
    }

    @GET
    @APIResponse(
            responseCode = "200",
            description = "The account's retention and where it comes from.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Retention.class),
                            examples = @ExampleObject(name = "example", value = EXAMPLE)))
    @Operation(
            summary = "The account's retention",
            description = "Days its ledger lines are kept, and whether that is the account's own retention, a"
                    + " configured one or the default. Administrators must name the account.")
    public Retention get(
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        return view(access.singleAccount(account));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(
            responseCode = "200",
            description = "The retention in force now.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Retention.class),
                            examples = @ExampleObject(name = "example", value = EXAMPLE)))
    @Operation(
            summary = "Set an account's retention",
            description = "Administrators only: days from 1 to " + MAX_DAYS + ", or null to go back to the configured"
                    + " retention. The next purge applies it to the lines of closed months; every replica uses it"
                    + " within 30 s.")
    @RequestBody(
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RetentionUpdate.class),
                            examples = @ExampleObject(name = "seven years", value = "{\"days\":2555}")))
    public Retention put(
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account,
            RetentionUpdate update) {
        if (!access.isAdmin()) {
            throw ApiException.forbidden(
                    "admin_required", "Setting an account's retention needs an administrator token.");
        }
        if (update == null) {
            throw ApiException.badRequest(null, "invalid_body", "Send {\"days\": 2555} or {\"days\": null}.");
        }
        if (update.days() != null && (update.days() < 1 || update.days() > MAX_DAYS)) {
            throw ApiException.badRequest(
                    "days", "invalid_value", "'days' must be from 1 to " + MAX_DAYS + ", or null.");
        }
        String accountId = access.singleAccount(account);
        stored.set(accountId, Optional.ofNullable(update.days()), Instant.now());
        return view(accountId);
    }

    private Retention view(String accountId) {
        String source = stored.isStored(accountId)
                ? "account"
                : policy.overrides().containsKey(accountId) ? "configured" : "default";
        return new Retention(
                "billing.retention", accountId, policy.daysFor(accountId), source, policy.invoiceKeepYears());
    }

    /**
     * A retention change.
     *
     * @param days how many days the account's ledger lines are kept, or null for the configured retention
     */
    public record RetentionUpdate(@JsonProperty("days") Integer days) {}

    /**
     * An account's retention.
     *
     * @param object always {@code billing.retention}
     * @param account the account
     * @param days days its ledger lines are kept after the request ran
     * @param source {@code account} (set through this API), {@code configured} or {@code default}
     * @param invoiceKeepYears years closed invoices are kept, whatever the retention
     */
    public record Retention(
            @JsonProperty("object") String object,
            @JsonProperty("account") String account,
            @JsonProperty("days") int days,
            @JsonProperty("source") String source,
            @JsonProperty("invoice_keep_years") int invoiceKeepYears) {}
}
