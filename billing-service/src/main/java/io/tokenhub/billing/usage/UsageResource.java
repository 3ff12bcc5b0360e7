package io.tokenhub.billing.usage;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.security.Authenticated;
import io.tokenhub.billing.access.AccountScope;
import io.tokenhub.billing.access.CallerAccess;
import io.tokenhub.billing.api.TimeWindow;
import io.tokenhub.common.events.Api;
import io.tokenhub.service.openapi.ApiErrorResponses;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Usage and cost over a time window, with breakdowns by model, provider, key, UTC day and API. */
@Path("/api/billing/usage")
@Tag(name = "Usage", description = "Requests, tokens and cost over a time window, broken down.")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    /** A summary, for the OpenAPI document. */
    private static final String USAGE_EXAMPLE = """
            {"object": "billing.usage", "account": "acme", "from": "2026-12-01T00:00:00Z", "to": null, "currency": "USD",
             "request_count": 2, "answered_request_count": 2, "input_tokens": 1200, "cached_tokens": 0,
             "cache_write_5m_tokens": 0, "cache_write_1h_tokens": 0,
             "output_tokens": 300, "provider_cost_usd": "0.00600000", "routing_fee_usd": "0.00020000", "total_usd": "0.00620000",
             "by_model": [{"model": "gpt-4o", "request_count": 2, "answered_request_count": 2, "input_tokens": 1200, "cached_tokens": 0,
             "cache_write_5m_tokens": 0, "cache_write_1h_tokens": 0,
             "output_tokens": 300, "provider_cost_usd": "0.00600000", "routing_fee_usd": "0.00020000", "total_usd": "0.00620000"}],
             "by_provider": [{"provider": "openai", "request_count": 2, "answered_request_count": 2, "input_tokens": 1200, "cached_tokens": 0,
             "cache_write_5m_tokens": 0, "cache_write_1h_tokens": 0,
             "output_tokens": 300, "provider_cost_usd": "0.00600000", "routing_fee_usd": "0.00020000", "total_usd": "0.00620000"}],
             "by_key": [{"key_id": "msr2gr8unkpe", "key_name": "ci", "request_count": 2, "answered_request_count": 2, "input_tokens": 1200, "cached_tokens": 0,
             "cache_write_5m_tokens": 0, "cache_write_1h_tokens": 0,
             "output_tokens": 300, "provider_cost_usd": "0.00600000", "routing_fee_usd": "0.00020000", "total_usd": "0.00620000"}],
             "by_day": [{"day": "2026-12-01", "request_count": 2, "answered_request_count": 2, "input_tokens": 1200, "cached_tokens": 0,
             "cache_write_5m_tokens": 0, "cache_write_1h_tokens": 0,
             "output_tokens": 300, "provider_cost_usd": "0.00600000", "routing_fee_usd": "0.00020000", "total_usd": "0.00620000"}],
             "by_api": [{"api": "chat.completions", "request_count": 2, "answered_request_count": 2, "input_tokens": 1200, "cached_tokens": 0,
             "cache_write_5m_tokens": 0, "cache_write_1h_tokens": 0,
             "output_tokens": 300, "provider_cost_usd": "0.00600000", "routing_fee_usd": "0.00020000", "total_usd": "0.00620000"}]}""";

    private final CallerAccess access;
    private final EntityManager em;

    public UsageResource(CallerAccess access, EntityManager em) {
        this.access = access;
        this.em = em;
    }

    @GET
    @APIResponse(
            responseCode = "200",
            description = "Totals and breakdowns; each breakdown sums to the totals.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = UsageSummary.class),
                            examples = @ExampleObject(name = "example", value = USAGE_EXAMPLE)))
    @Operation(
            summary = "Usage and cost",
            description = "Totals over the window and the same totals by model, provider, API key, UTC day and public"
                    + " API (chat.completions, responses, messages, embeddings); each"
                    + " breakdown sums to the total. An administrator who names no account sees every account.")
    public UsageSummary usage(
            @Parameter(description = TimeWindow.FROM_PARAM) @QueryParam("from") String from,
            @Parameter(description = TimeWindow.TO_PARAM) @QueryParam("to") String to,
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        AccountScope scope = access.scope(account);
        TimeWindow window = TimeWindow.of(from, to);
        List<UsageGroup> groups = UsageGroup.query(em, scope, window);
        Map<String, String> keyNames = keyNames(groups);
        UsageAmounts total = groups.stream().map(UsageGroup::amounts).reduce(UsageAmounts.ZERO, UsageAmounts::plus);
        return new UsageSummary(
                "billing.usage",
                scope.account().orElse(null),
                window.from(),
                window.to(),
                "USD",
                total,
                fold(groups, UsageGroup::model).entrySet().stream()
                        .map(e -> new ModelUsage(e.getKey(), e.getValue()))
                        .toList(),
                fold(groups, UsageGroup::provider).entrySet().stream()
                        .map(e -> new ProviderUsage(e.getKey(), e.getValue()))
                        .toList(),
                fold(groups, UsageGroup::keyId).entrySet().stream()
                        .map(e -> new KeyUsage(e.getKey(), keyNames.get(e.getKey()), e.getValue()))
                        .toList(),
                fold(groups, UsageGroup::day).entrySet().stream()
                        .map(e -> new DayUsage(e.getKey(), e.getValue()))
                        .toList(),
                fold(groups, UsageGroup::api).entrySet().stream()
                        .map(e -> new ApiUsage(Api.fromWireName(e.getKey()), e.getValue()))
                        .toList());
    }

    /** Each key's name, from the groups that carry one. */
    private static Map<String, String> keyNames(List<UsageGroup> groups) {
        Map<String, String> names = new HashMap<>();
        for (UsageGroup g : groups) {
            if (g.keyId() != null && g.keyName() != null) {
                names.merge(g.keyId(), g.keyName(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
        return names;
    }

    /** Sums groups per key, sorted by key; lines without a model, provider or key come first, under null. */
    private static <K extends Comparable<? super K>> Map<K, UsageAmounts> fold(
            List<UsageGroup> groups, Function<UsageGroup, K> key) {
        Map<K, UsageAmounts> sums = new TreeMap<>(Comparator.nullsFirst(Comparator.<K>naturalOrder()));
        for (UsageGroup g : groups) {
            sums.merge(key.apply(g), g.amounts(), UsageAmounts::plus);
        }
        return sums;
    }

    /**
     * The answer. Money fields are decimal strings; {@code total} equals the sum of each breakdown's lines.
     *
     * @param account the account shown; null when an administrator views every account
     * @param from window start as given (inclusive), null when unbounded
     * @param to window end as given (exclusive), null when unbounded
     */
    public record UsageSummary(
            String object,
            @Schema(nullable = true) String account,
            @Schema(nullable = true) Instant from,
            @Schema(nullable = true) Instant to,
            String currency,
            @JsonUnwrapped UsageAmounts total,
            List<ModelUsage> byModel,
            List<ProviderUsage> byProvider,
            List<KeyUsage> byKey,
            List<DayUsage> byDay,
            List<ApiUsage> byApi) {}

    public record ModelUsage(
            @Schema(nullable = true) String model,
            @JsonUnwrapped UsageAmounts amounts) {}

    public record ProviderUsage(
            @Schema(nullable = true) String provider,
            @JsonUnwrapped UsageAmounts amounts) {}

    /**
     * One key's usage.
     *
     * @param keyName the name its owner gave it; null for requests made before names were recorded
     */
    public record KeyUsage(
            @Schema(nullable = true) String keyId,
            @Schema(nullable = true) String keyName,
            @JsonUnwrapped UsageAmounts amounts) {}

    public record DayUsage(LocalDate day, @JsonUnwrapped UsageAmounts amounts) {}

    public record ApiUsage(Api api, @JsonUnwrapped UsageAmounts amounts) {}
}
