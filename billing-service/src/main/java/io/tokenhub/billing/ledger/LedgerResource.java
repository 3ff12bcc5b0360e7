package io.tokenhub.billing.ledger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.Authenticated;
import io.tokenhub.billing.access.AccountScope;
import io.tokenhub.billing.access.CallerAccess;
import io.tokenhub.billing.api.TimeWindow;
import io.tokenhub.service.error.ApiException;
import io.tokenhub.service.openapi.ApiErrorResponses;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The per-request ledger: pages newest first, one request by id, and a CSV export. */
@Path("/api/billing")
@Tag(name = "Ledger", description = "One line per answered request, as billed.")
@Authenticated
public class LedgerResource {

    /** A page of the ledger, for the OpenAPI document. */
    private static final String PAGE_EXAMPLE = """
            {"object": "list", "data": [{"object": "billing.request", "request_id": "req_01KBX7Q2M8D3W6ZP4T9N1F5GHC", "client_request_id": "order-4711",
             "account_id": "acme", "key_id": "msr2gr8unkpe", "key_name": "ci", "requested_model": "gpt-4o", "model": "gpt-4o",
             "provider": "openai", "provider_model": "gpt-4o-2024-08-06", "api": "chat.completions", "input_tokens": 600,
             "cached_tokens": 0, "cache_write_5m_tokens": 0, "cache_write_1h_tokens": 0, "output_tokens": 150, "usage_source": "reported", "status": "SUCCEEDED", "http_status": 200, "streamed": false, "fallback_attempts": 0,
             "latency_ms": 812, "time_to_first_token_ms": null, "occurred_at": "2026-12-01T17:03:12Z",
             "billed_at": "2026-12-01T17:03:12.2Z", "answered": true, "price_effective_from": "2024-08-06T00:00:00Z",
             "price_tier_above_prompt_tokens": null, "input_usd_per_1m": "2.50", "cached_input_usd_per_1m": "1.25",
             "output_usd_per_1m": "10.00", "cache_write_5m_usd_per_1m": "2.50", "cache_write_1h_usd_per_1m": "2.50", "provider_cost_usd": "0.00300000", "routing_fee_usd": "0.00010000",
             "total_usd": "0.00310000", "invoice_period": "2026-12", "adjustment": false, "adjustment_for": null}], "has_more": true,
             "next_cursor": "MjAyNi0xMi0wMVQxNzowMzoxMlo6NDIx"}""";

    /** One ledger line, for the OpenAPI document. */
    private static final String LINE_EXAMPLE = """
            {"object": "billing.request", "request_id": "req_01KBX7Q2M8D3W6ZP4T9N1F5GHC", "client_request_id": "order-4711",
             "account_id": "acme", "key_id": "msr2gr8unkpe", "key_name": "ci", "requested_model": "gpt-4o", "model": "gpt-4o",
             "provider": "openai", "provider_model": "gpt-4o-2024-08-06", "api": "chat.completions", "input_tokens": 600,
             "cached_tokens": 0, "cache_write_5m_tokens": 0, "cache_write_1h_tokens": 0, "output_tokens": 150, "usage_source": "reported", "status": "SUCCEEDED", "http_status": 200, "streamed": false, "fallback_attempts": 0,
             "latency_ms": 812, "time_to_first_token_ms": null, "occurred_at": "2026-12-01T17:03:12Z",
             "billed_at": "2026-12-01T17:03:12.2Z", "answered": true, "price_effective_from": "2024-08-06T00:00:00Z",
             "price_tier_above_prompt_tokens": null, "input_usd_per_1m": "2.50", "cached_input_usd_per_1m": "1.25",
             "output_usd_per_1m": "10.00", "cache_write_5m_usd_per_1m": "2.50", "cache_write_1h_usd_per_1m": "2.50", "provider_cost_usd": "0.00300000", "routing_fee_usd": "0.00010000",
             "total_usd": "0.00310000", "invoice_period": "2026-12", "adjustment": false, "adjustment_for": null}""";

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    private static final int EXPORT_CHUNK = 1000;

    private final CallerAccess access;

    public LedgerResource(CallerAccess access) {
        this.access = access;
    }

    @GET
    @Path("/requests")
    @APIResponse(
            responseCode = "200",
            description = "One page, newest first.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = LedgerPage.class),
                            examples = @ExampleObject(name = "example", value = PAGE_EXAMPLE)))
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Billed requests, newest first",
            description = "One page of ledger lines; follow next_cursor while has_more is true. An administrator who"
                    + " names no account sees every account.")
    public LedgerPage requests(
            @Parameter(description = TimeWindow.FROM_PARAM) @QueryParam("from") String from,
            @Parameter(description = TimeWindow.TO_PARAM) @QueryParam("to") String to,
            @Parameter(description = "Lines per page, 1 to 1000; 50 when absent.") @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page.") @QueryParam("cursor") String cursor,
            @Parameter(description = "Only the requests that sent this X-Inferoute-Request-Id.")
                    @QueryParam("client_request_id")
                    String clientRequestId,
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        AccountScope scope = access.scope(account);
        TimeWindow window = TimeWindow.of(from, to);
        int pageSize = limit(limit);
        List<LedgerLine> lines = LedgerQueries.newestFirst(
                scope, window, blankToNull(clientRequestId), LedgerCursor.decode(cursor), pageSize + 1);
        boolean more = lines.size() > pageSize;
        List<LedgerLine> page = more ? lines.subList(0, pageSize) : lines;
        String next = more ? LedgerCursor.of(page.get(page.size() - 1)).encode() : null;
        return new LedgerPage("list", page.stream().map(LedgerLineView::of).toList(), more, next);
    }

    @GET
    @Path("/requests/{requestId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "One billed request",
            description = "By the X-Inferoute-Request-Id TokenHub answered with. Another account's id is a 404, as"
                    + " an unknown one is.")
    @APIResponse(
            responseCode = "200",
            description = "The ledger line, with the rates applied.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = LedgerLineView.class),
                            examples = @ExampleObject(name = "example", value = LINE_EXAMPLE)))
    @APIResponse(
            responseCode = "409",
            description = "An administrator named no account and several accounts have that id (code"
                    + " ambiguous_request_id).",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = ApiErrorResponses.ERROR_SCHEMA)))
    public LedgerLineView request(
            @Parameter(description = "TokenHub's request id.") @PathParam("requestId") String requestId,
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        List<LedgerLine> found = LedgerQueries.byRequestId(access.scope(account), requestId);
        if (found.isEmpty()) {
            // The same answer whether the id is unknown or another account's: existence is not disclosed.
            throw ApiException.notFound("No billed request with id '" + requestId + "'.");
        }
        if (found.size() > 1) {
            throw ApiException.conflict(
                    "account",
                    "ambiguous_request_id",
                    "Several accounts sent request id '" + requestId + "'; name one with ?account=.");
        }
        return LedgerLineView.of(found.get(0));
    }

    @GET
    @Path("/requests.csv")
    @Produces("text/csv")
    @Operation(
            summary = "Billed requests as CSV",
            description = "Every ledger line in the window, oldest first, one row per request, streamed; the same"
                    + " columns as the JSON lines.")
    @APIResponse(
            responseCode = "200",
            description = "RFC 4180 CSV with a header row.",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)))
    public Response export(
            @Parameter(description = TimeWindow.FROM_PARAM) @QueryParam("from") String from,
            @Parameter(description = TimeWindow.TO_PARAM) @QueryParam("to") String to,
            @Parameter(description = ApiErrorResponses.ACCOUNT_PARAM) @QueryParam("account") String account) {
        AccountScope scope = access.scope(account);
        TimeWindow window = TimeWindow.of(from, to);
        StreamingOutput body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.write(LedgerCsv.HEADER);
            writer.write("\r\n");
            LedgerCursor after = null;
            while (true) {
                LedgerCursor position = after;
                // One short read transaction per chunk: a large export never pins a connection or a snapshot.
                List<LedgerLine> chunk = QuarkusTransaction.requiringNew()
                        .call(() -> LedgerQueries.oldestFirst(scope, window, position, EXPORT_CHUNK));
                for (LedgerLine line : chunk) {
                    LedgerCsv.writeRow(writer, line);
                }
                if (chunk.size() < EXPORT_CHUNK) {
                    break;
                }
                after = LedgerCursor.of(chunk.get(chunk.size() - 1));
            }
            writer.flush();
        };
        return Response.ok(body, "text/csv; charset=utf-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"tokenhub-ledger.csv\"")
                .build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(
                "limit", "invalid_limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT + ".");
    }

    /**
     * A page of the ledger, OpenAI list style.
     *
     * @param hasMore whether older lines remain
     * @param nextCursor pass as {@code cursor} for the next page; null on the last page
     */
    public record LedgerPage(
            String object,
            List<LedgerLineView> data,
            boolean hasMore,
            @Schema(nullable = true) String nextCursor) {}
}
