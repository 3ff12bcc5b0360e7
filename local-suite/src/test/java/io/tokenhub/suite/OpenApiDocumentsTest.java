package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenAPI documents published under {@code docs/openapi/} are the ones the services serve at {@code /q/openapi}
 * on their management ports, which are for operators only, so the published copies are what readers get:
 * each service writes its document at build time ({@code quarkus.smallrye-openapi.store-schema-directory}), and the
 * reactor builds the services before this module, so a changed endpoint without a republished document fails here.
 */
class OpenApiDocumentsTest {

    @ParameterizedTest
    @ValueSource(strings = {"gateway-service", "routing-service", "billing-service", "health-monitor"})
    void publishedDocumentMatchesTheBuiltOne(String service) throws IOException {
        Path root = SharedSuite.repoRoot();
        Path built = root.resolve(service).resolve("target/openapi/openapi.yaml");
        Path published = root.resolve("docs/openapi").resolve(service + ".yaml");
        assertTrue(Files.isRegularFile(built), built + " is missing: build " + service + " first (mvn package)");
        assertTrue(Files.isRegularFile(published), published + " is missing");
        assertEquals(
                Files.readString(built),
                Files.readString(published),
                "docs/openapi/" + service + ".yaml differs from what " + service + " serves; publish it with: cp "
                        + service + "/target/openapi/openapi.yaml docs/openapi/" + service + ".yaml");
    }
}
