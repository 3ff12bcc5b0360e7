package io.tokenhub.dashboard.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A chart as the page's script draws it with ECharts: labels along one axis and named series of values. Built from a
 * usage breakdown, written as JSON into a {@code data-chart} attribute (escaped by Qute like any other output).
 */
final class Charts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Charts() {}

    /**
     * One chart of {@code breakdown} (a list from billing's usage answer): a bar per entry, labelled by the first of
     * {@code labelFields} it has a value for (a key by its name, else its id), with a series per {@code valueFields}
     * entry.
     */
    static String of(String kind, JsonNode breakdown, List<String> labelFields, List<String> valueFields) {
        ObjectNode chart = JSON.createObjectNode().put("kind", kind);
        ArrayNode labels = chart.putArray("labels");
        ArrayNode series = chart.putArray("series");
        for (String field : valueFields) {
            ObjectNode s = series.addObject().put("name", field);
            ArrayNode values = s.putArray("values");
            for (JsonNode entry : breakdown) {
                // Money stays a decimal string; the chart library reads it as a number for drawing only.
                values.add(entry.path(field).asText("0"));
            }
        }
        for (JsonNode entry : breakdown) {
            labels.add(label(entry, labelFields));
        }
        return chart.toString();
    }

    private static String label(JsonNode entry, List<String> labelFields) {
        for (String field : labelFields) {
            JsonNode value = entry.path(field);
            if (!value.isNull() && !value.isMissingNode()) {
                return value.asText();
            }
        }
        return "(none)";
    }
}
