package io.tokenhub.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The largest entries of a usage breakdown by total spend, compared as exact decimals. */
final class Top {

    private static final int LIMIT = 5;

    private Top() {}

    static List<JsonNode> byTotal(JsonNode breakdown) {
        List<JsonNode> entries = new ArrayList<>();
        breakdown.forEach(entries::add);
        entries.sort(Comparator.comparing(
                        (JsonNode e) -> new BigDecimal(e.path("total_usd").asText("0")))
                .reversed());
        return entries.subList(0, Math.min(LIMIT, entries.size()));
    }
}
