package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every operation of every published document shows what it answers: each JSON success response and each JSON
 * request body has an example, and each response example is itself an answer the document allows (the same strict
 * check {@link OpenApiContractIT} applies to the running services), so an example cannot drift from its schema.
 */
class OpenApiExamplesTest {

    static final List<String> SERVICES = LocalSuite.SERVICES;

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @FieldSource("SERVICES")
    void everyOperationHasExamplesItsDocumentAccepts(String service) throws Exception {
        OpenApiContract contract = OpenApiContract.of(service);
        JsonNode document = new YAMLMapper()
                .readTree(SharedSuite.repoRoot()
                        .resolve("docs/openapi/" + service + ".yaml")
                        .toFile());
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                String where = method + " " + path.getKey();
                JsonNode body = operation.getValue().path("requestBody").path("content");
                boolean takesJson = false;
                boolean bodyExample = false;
                for (Map.Entry<String, JsonNode> media : body.properties()) {
                    // A body taken under two JSON media types (PATCH: merge-patch and plain JSON) needs one example.
                    takesJson |= media.getKey().contains("json");
                    bodyExample |= media.getKey().contains("json")
                            && !media.getValue().path("examples").isEmpty();
                }
                if (takesJson && !bodyExample) {
                    missing.add(where + " request body");
                }
                for (Map.Entry<String, JsonNode> response :
                        operation.getValue().path("responses").properties()) {
                    JsonNode json = response.getValue().path("content").path("application/json");
                    if (!response.getKey().startsWith("2") || json.isMissingNode()) {
                        continue;
                    }
                    if (json.path("examples").isEmpty()) {
                        missing.add(where + " " + response.getKey());
                    }
                    for (JsonNode example : json.path("examples")) {
                        contract.check(
                                method,
                                path.getKey().replaceAll("\\{[^}]+}", "x"),
                                Integer.parseInt(response.getKey()),
                                "application/json",
                                JSON.writeValueAsString(example.path("value")));
                        checked++;
                    }
                }
            }
        }
        assertTrue(missing.isEmpty(), service + ": no example for " + missing);
        assertFalse(checked == 0, service + ": no example was checked");
    }
}
