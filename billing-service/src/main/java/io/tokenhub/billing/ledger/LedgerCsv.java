package io.tokenhub.billing.ledger;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV of ledger lines, the columns finance tools import. */
final class LedgerCsv {

    static final String HEADER = String.join(
            ",",
            "request_id",
            "client_request_id",
            "account_id",
            "key_id",
            "key_name",
            "occurred_at",
            "requested_model",
            "model",
            "provider",
            "provider_model",
            "api",
            "status",
            "http_status",
            "streamed",
            "fallback_attempts",
            "input_tokens",
            "cached_tokens",
            "cache_write_5m_tokens",
            "cache_write_1h_tokens",
            "output_tokens",
            "usage_source",
            "latency_ms",
            "time_to_first_token_ms",
            "answered",
            "price_effective_from",
            "price_tier_above_prompt_tokens",
            "input_usd_per_1m",
            "cached_input_usd_per_1m",
            "output_usd_per_1m",
            "cache_write_5m_usd_per_1m",
            "cache_write_1h_usd_per_1m",
            "provider_cost_usd",
            "routing_fee_usd",
            "total_usd",
            "invoice_period",
            "adjustment_for");

    private LedgerCsv() {}

    static void writeRow(Writer out, LedgerLine l) throws IOException {
        List<String> cells = new ArrayList<>(37);
        cells.add(text(l.requestId));
        cells.add(text(l.clientRequestId));
        cells.add(text(l.accountId));
        cells.add(text(l.keyId));
        cells.add(text(l.keyName));
        cells.add(l.occurredAt.toString());
        cells.add(text(l.requestedModel));
        cells.add(text(l.model));
        cells.add(text(l.provider));
        cells.add(text(l.providerModel));
        cells.add(l.api);
        cells.add(l.status.name());
        cells.add(Integer.toString(l.httpStatus));
        cells.add(Boolean.toString(l.streamed));
        cells.add(Integer.toString(l.fallbackAttempts));
        cells.add(Long.toString(l.inputTokens));
        cells.add(Long.toString(l.cachedTokens));
        cells.add(Long.toString(l.cacheWrite5mTokens));
        cells.add(Long.toString(l.cacheWrite1hTokens));
        cells.add(Long.toString(l.outputTokens));
        cells.add(l.usageSource);
        cells.add(Long.toString(l.latencyMs));
        cells.add(l.timeToFirstTokenMs == null ? "" : l.timeToFirstTokenMs.toString());
        cells.add(Boolean.toString(l.answered));
        cells.add(l.priceEffectiveFrom == null ? "" : l.priceEffectiveFrom.toString());
        cells.add(l.priceTierAbovePromptTokens == null ? "" : l.priceTierAbovePromptTokens.toString());
        cells.add(decimal(l.inputUsdPer1m));
        cells.add(decimal(l.cachedInputUsdPer1m));
        cells.add(decimal(l.outputUsdPer1m));
        cells.add(decimal(l.cacheWrite5mUsdPer1m));
        cells.add(decimal(l.cacheWrite1hUsdPer1m));
        cells.add(decimal(l.providerCostUsd));
        cells.add(decimal(l.routingFeeUsd));
        cells.add(decimal(l.totalUsd));
        cells.add(YearMonth.from(l.invoiceMonth).toString());
        cells.add(l.adjustmentFor == null ? "" : YearMonth.from(l.adjustmentFor).toString());
        out.write(String.join(",", cells));
        out.write("\r\n");
    }

    /**
     * Quotes a client-influenced text cell. A leading {@code = + - @} is prefixed with an apostrophe so a spreadsheet
     * never runs a request id or model name as a formula (OWASP "CSV injection").
     */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }

    private static String decimal(BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }
}
