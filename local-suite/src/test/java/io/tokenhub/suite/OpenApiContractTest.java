package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The contract test's oracle checked on its own: every published document loads, and a made-up answer that departs
 * from a document (a wrong type, a renamed field, an undocumented status) is caught, so {@link OpenApiContractIT}
 * cannot pass by validating nothing.
 */
class OpenApiContractTest {

    static final List<String> SERVICES = LocalSuite.SERVICES;

    private static final String ERROR =
            "{\"error\":{\"message\":\"m\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"x\"}}";

    @ParameterizedTest
    @FieldSource("SERVICES")
    void everyPublishedDocumentLoads(String service) {
        assertDoesNotThrow(() -> OpenApiContract.of(service));
    }

    @Test
    void anAnswerAsDocumentedPasses() throws IOException {
        OpenApiContract billing = OpenApiContract.of("billing-service");
        billing.check("GET", "/api/billing/requests", 400, "application/json", ERROR);
        billing.check(
                "GET",
                "/api/billing/requests",
                200,
                "application/json",
                "{\"object\":\"list\",\"data\":[],\"has_more\":false,\"next_cursor\":null}");
    }

    @Test
    void aWrongTypeARenamedFieldOrAnUndocumentedStatusFails() throws IOException {
        OpenApiContract billing = OpenApiContract.of("billing-service");
        assertRejected(billing, 200, "{\"object\":\"list\",\"data\":[],\"has_more\":\"no\",\"next_cursor\":null}");
        assertRejected(billing, 200, "{\"object\":\"list\",\"data\":[],\"hasMore\":false,\"next_cursor\":null}");
        assertRejected(billing, 418, ERROR);
        assertRejected(
                billing, 400, "{\"error\":{\"message\":\"m\",\"type\":\"invalid_request_error\",\"code\":\"x\"}}");
    }

    private static void assertRejected(OpenApiContract billing, int status, String body) {
        assertThrows(
                AssertionError.class,
                () -> billing.check("GET", "/api/billing/requests", status, "application/json", body),
                status + " " + body);
    }
}
