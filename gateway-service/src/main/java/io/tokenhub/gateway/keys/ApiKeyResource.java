package io.tokenhub.gateway.keys;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.security.Authenticated;
import io.tokenhub.service.auth.Caller;
import io.tokenhub.service.error.ApiException;
import io.tokenhub.service.json.StrictJson;
import io.tokenhub.service.json.UsdAmounts;
import io.tokenhub.service.openapi.ApiErrorResponses;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * API key management for dashboards. The account comes from the caller's token; an admin may name another with
 * {@code ?account=}. A key's secret appears once, in the answer to its creation.
 */
@Path("/api/keys")
@Tag(name = "API keys", description = "The TokenHub API keys that call /v1, made and revoked by dashboards.")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    /** An answer to GET, for the OpenAPI document. */
    private static final String KEYS_EXAMPLE = """
            {"object": "list", "data": [{"id": "msr2gr8unkpe", "object": "api_key", "name": "ci", "prefix": "thk_msr2gr8u", "account_id": "acme",
             "created_at": "2026-11-02T09:14:00Z", "last_used_at": "2026-12-01T17:03:12Z", "expires_at": null, "revoked_at": null, "monthly_budget_usd": null}]}""";

    /** An answer to a budget change, for the OpenAPI document. */
    private static final String BUDGET_EXAMPLE = """
            {"id": "msr2gr8unkpe", "object": "api_key", "name": "ci", "prefix": "thk_msr2gr8u", "account_id": "acme",
             "created_at": "2026-11-02T09:14:00Z", "last_used_at": "2026-12-01T17:03:12Z", "expires_at": null, "revoked_at": null,
             "monthly_budget_usd": "10.00000000"}""";

    /** An answer to POST, for the OpenAPI document. */
    private static final String CREATED_EXAMPLE = """
            {"key": "thk_msr2gr8unkpe_5Vq0J7mJc2bXyR1tQe9WwA", "api_key": {"id": "msr2gr8unkpe", "object": "api_key", "name": "ci", "prefix": "thk_msr2gr8u", "account_id": "acme",
             "created_at": "2026-11-02T09:14:00Z", "last_used_at": "2026-12-01T17:03:12Z", "expires_at": null, "revoked_at": null, "monthly_budget_usd": null}}""";

    private final ApiKeyService keys;
    private final Caller caller;

    public ApiKeyResource(ApiKeyService keys, Caller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @CustomDeserialization(StrictJson.class)
    @Operation(
            summary = "Create an API key",
            description = "Makes a key in the account. The answer holds its secret (thk_...) this once: TokenHub keeps"
                    + " only a hash. A missing or blank name becomes \"default\"; expires_at must be in the future.")
    @RequestBody(
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CreateKeyRequest.class),
                            examples =
                                    @ExampleObject(
                                            name = "expiring",
                                            value = "{\"name\":\"ci\",\"expires_at\":\"2027-01-01T00:00:00Z\"}")))
    @APIResponse(
            responseCode = "201",
            description = "The key, with its secret shown this once.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CreatedKey.class),
                            examples = @ExampleObject(name = "example", value = CREATED_EXAMPLE)))
    @APIResponse(responseCode = "400", ref = "Error")
    public Response create(
            CreateKeyRequest request,
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        String accountId = caller.account(account);
        String name =
                request == null || request.name() == null || request.name().isBlank()
                        ? "default"
                        : request.name().strip();
        if (name.length() > 200) {
            throw ApiException.badRequest("name", "invalid_value", "'name' must be at most 200 characters.");
        }
        Instant expiresAt = request == null ? null : request.expiresAt();
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw ApiException.badRequest("expires_at", "invalid_value", "'expires_at' must be in the future.");
        }
        BigDecimal budget = request == null ? null : UsdAmounts.parse(request.monthlyBudgetUsd(), "monthly_budget_usd");
        ApiKeyService.Created created = keys.create(accountId, name, expiresAt, budget);
        return Response.status(Response.Status.CREATED)
                .entity(CreatedKey.of(created))
                .build();
    }

    @GET
    @APIResponse(
            responseCode = "200",
            description = "The account's keys, never a secret.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = KeyList.class),
                            examples = @ExampleObject(name = "example", value = KEYS_EXAMPLE)))
    @Operation(
            summary = "List API keys",
            description = "Every key of the account, revoked and expired ones included, without secrets.")
    public KeyList list(
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        return new KeyList(
                "list",
                keys.list(caller.account(account)).stream().map(KeyView::of).toList());
    }

    @PUT
    @Path("/{id}/budget")
    @Consumes(MediaType.APPLICATION_JSON)
    @CustomDeserialization(StrictJson.class)
    @Operation(
            summary = "Set a key's monthly budget",
            description = "A decimal string of US dollars, or null to remove it. Once the key's spend this UTC month"
                    + " reaches it, its requests are refused with 429 insufficient_quota; from 80 % they carry"
                    + " X-TokenHub-Budget-Warning. An id that is not the account's is a 404.")
    @RequestBody(
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = KeyBudget.class),
                            examples =
                                    @ExampleObject(name = "ten dollars", value = "{\"monthly_budget_usd\":\"10.00\"}")))
    @APIResponse(
            responseCode = "200",
            description = "The key as listed, with its budget.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = KeyView.class),
                            examples = @ExampleObject(name = "example", value = BUDGET_EXAMPLE)))
    @APIResponse(responseCode = "400", ref = "Error")
    @APIResponse(responseCode = "404", ref = "Error")
    public KeyView budget(
            @Parameter(description = "The key's id, as listed.") @PathParam("id") String id,
            KeyBudget budget,
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        if (budget == null) {
            throw ApiException.badRequest(null, "invalid_body", "Send {\"monthly_budget_usd\": \"10.00\"} or null.");
        }
        BigDecimal amount = UsdAmounts.parse(budget.monthlyBudgetUsd(), "monthly_budget_usd");
        return keys.setBudget(caller.account(account), id, amount)
                .map(KeyView::of)
                .orElseThrow(() -> ApiException.notFound("No API key '" + id + "' in this account."));
    }

    @DELETE
    @Path("/{id}")
    @Operation(
            summary = "Revoke an API key",
            description = "The key is refused from now on. An id that is not the account's is a 404.")
    @APIResponse(responseCode = "204", description = "Revoked.")
    @APIResponse(responseCode = "404", ref = "Error")
    public Response revoke(
            @Parameter(description = "The key's id, as listed.") @PathParam("id") String id,
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        if (!keys.revoke(caller.account(account), id)) {
            throw ApiException.notFound("No API key '" + id + "' in this account.");
        }
        return Response.noContent().build();
    }

    /**
     * What a dashboard sends to make a key.
     *
     * @param name a label for people
     * @param expiresAt optional end of validity
     * @param monthlyBudgetUsd optional monthly spend limit, US dollars as a decimal string
     */
    public record CreateKeyRequest(
            @JsonProperty("name") String name,

            @Schema(nullable = true) @JsonProperty("expires_at")
            Instant expiresAt,

            @Schema(nullable = true) @JsonProperty("monthly_budget_usd")
            String monthlyBudgetUsd) {}

    /**
     * A key's budget change.
     *
     * @param monthlyBudgetUsd US dollars per UTC month as a decimal string, or null to remove the budget
     */
    public record KeyBudget(
            @Schema(nullable = true) @JsonProperty("monthly_budget_usd")
            String monthlyBudgetUsd) {}

    /** A key as lists show it: never the secret. */
    public record KeyView(
            @JsonProperty("id") String id,
            @JsonProperty("object") String object,
            @JsonProperty("name") String name,
            @JsonProperty("prefix") String prefix,
            @JsonProperty("account_id") String accountId,
            @JsonProperty("created_at") Instant createdAt,

            @Schema(nullable = true) @JsonProperty("last_used_at")
            Instant lastUsedAt,

            @Schema(nullable = true) @JsonProperty("expires_at")
            Instant expiresAt,

            @Schema(nullable = true) @JsonProperty("revoked_at")
            Instant revokedAt,

            @Schema(nullable = true, description = "Monthly spend limit in USD, a decimal string")
            @JsonProperty("monthly_budget_usd")
            String monthlyBudgetUsd) {

        static KeyView of(ApiKey k) {
            return new KeyView(
                    k.id(),
                    "api_key",
                    k.name(),
                    ApiKeyFormat.displayPrefix(k.id()),
                    k.accountId(),
                    k.createdAt(),
                    k.lastUsedAt(),
                    k.expiresAt(),
                    k.revokedAt(),
                    k.monthlyBudgetUsd() == null ? null : k.monthlyBudgetUsd().toPlainString());
        }
    }

    /** The answer to a creation: the key's view plus its secret, this once. */
    public record CreatedKey(
            @JsonProperty("key") String key,
            @JsonProperty("api_key") KeyView apiKey) {

        static CreatedKey of(ApiKeyService.Created created) {
            return new CreatedKey(created.secret(), KeyView.of(created.key()));
        }
    }

    /** OpenAI-style list wrapper. */
    public record KeyList(
            @JsonProperty("object") String object,
            @JsonProperty("data") List<KeyView> data) {}
}
