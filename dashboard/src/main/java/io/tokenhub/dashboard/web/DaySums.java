package io.tokenhub.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Totals over some days of a usage answer's {@code by_day} breakdown, added as exact decimals.
 *
 * @param requestCount requests in the days
 * @param providerCostUsd provider cost
 * @param routingFeeUsd routing fees
 * @param totalUsd provider cost plus routing fees
 */
public record DaySums(long requestCount, BigDecimal providerCostUsd, BigDecimal routingFeeUsd, BigDecimal totalUsd) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The sums of the days from {@code first} to {@code last}, both included. */
    static DaySums of(JsonNode byDay, LocalDate first, LocalDate last) {
        long requests = 0;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal fee = BigDecimal.ZERO;
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode day : between(byDay, first, last)) {
            requests += day.path("request_count").asLong();
            cost = cost.add(new BigDecimal(day.path("provider_cost_usd").asText("0")));
            fee = fee.add(new BigDecimal(day.path("routing_fee_usd").asText("0")));
            total = total.add(new BigDecimal(day.path("total_usd").asText("0")));
        }
        return new DaySums(requests, cost, fee, total);
    }

    /** The entries of the days from {@code first} to {@code last}, both included. */
    static ArrayNode between(JsonNode byDay, LocalDate first, LocalDate last) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode day : byDay) {
            LocalDate date = LocalDate.parse(day.path("day").asText());
            if (!date.isBefore(first) && !date.isAfter(last)) {
                out.add(day);
            }
        }
        return out;
    }
}
