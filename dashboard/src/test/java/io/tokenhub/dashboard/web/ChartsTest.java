package io.tokenhub.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChartsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keysAreLabelledByTheirNamesWhereTheyHaveOne() throws Exception {
        JsonNode byKey = JSON.readTree("[{\"key_id\":null,\"key_name\":null,\"total_usd\":\"0.1\"},"
                + "{\"key_id\":\"k1\",\"key_name\":\"ci key\",\"total_usd\":\"0.2\"},"
                + "{\"key_id\":\"k2\",\"key_name\":null,\"total_usd\":\"0.3\"}]");
        JsonNode chart = JSON.readTree(Charts.of("bar", byKey, List.of("key_name", "key_id"), List.of("total_usd")));
        assertEquals(JSON.readTree("[\"(none)\",\"ci key\",\"k2\"]"), chart.path("labels"));
        assertEquals(
                JSON.readTree("[\"0.1\",\"0.2\",\"0.3\"]"),
                chart.path("series").path(0).path("values"));
    }

    @Test
    void otherBreakdownsKeepTheirLabel() throws Exception {
        JsonNode byModel = JSON.readTree("[{\"model\":\"gpt-4o\",\"total_usd\":\"1\"}]");
        JsonNode chart = JSON.readTree(Charts.of("bar", byModel, List.of("model"), List.of("total_usd")));
        assertEquals(JSON.readTree("[\"gpt-4o\"]"), chart.path("labels"));
    }
}
