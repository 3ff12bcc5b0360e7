package io.tokenhub.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Ledger lines as the table's rows and as RFC 4180 CSV of the same rows, columns in the table's order. */
final class LedgerCsv {

    private LedgerCsv() {}

    /** The lines as the table shows them: one cell per column, empty where a line has no value. */
    static List<List<String>> rows(List<String> columns, JsonNode lines) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode line : lines) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                JsonNode value = line.path(column);
                cells.add(value.isMissingNode() || value.isNull() ? "" : value.asText());
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The same rows as CSV under a header of the columns. */
    static String of(List<String> columns, JsonNode lines) {
        StringBuilder out = new StringBuilder(String.join(",", columns)).append("\r\n");
        for (List<String> row : rows(columns, lines)) {
            out.append(String.join(",", row.stream().map(LedgerCsv::field).toList()))
                    .append("\r\n");
        }
        return out.toString();
    }

    private static String field(String value) {
        // A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")
                ? '"' + safe.replace("\"", "\"\"") + '"'
                : safe;
    }
}
