package io.tokenhub.billing.ledger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.Authenticated;
import io.tokenhub.billing.access.AccountScope;
import io.tokenhub.billing.access.CallerAccess;
import io.tokenhub.billing.api.TimeWindow;
import io.tokenhub.service.error.ApiException;
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

/** The per-request ledger: pages newest first, one request by id, and a CSV export. */
@Path("/api/billing")
@Authenticated
public class LedgerResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    private static final int EXPORT_CHUNK = 1000;

    private final CallerAccess access;

    public LedgerResource(CallerAccess access) {
        this.access = access;
    }

    @GET
    @Path("/requests")
    @Produces(MediaType.APPLICATION_JSON)
    public LedgerPage requests(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor,
            @QueryParam("client_request_id") String clientRequestId,
            @QueryParam("account") String account) {
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
    public LedgerLineView request(@PathParam("requestId") String requestId, @QueryParam("account") String account) {
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
    public Response export(
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("account") String account) {
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
    public record LedgerPage(String object, List<LedgerLineView> data, boolean hasMore, String nextCursor) {}
}
