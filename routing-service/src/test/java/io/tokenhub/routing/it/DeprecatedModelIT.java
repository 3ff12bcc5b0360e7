package io.tokenhub.routing.it;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A model past its deprecation day and before its retirement is still answered, and says until when. No model of the
 * built-in catalog is in that window today, so an operator catalog ({@code catalogs/deprecated.yaml}) puts gpt-4o
 * there, as an operator replacing the catalog would.
 */
@QuarkusTest
@TestProfile(DeprecatedModelIT.DeprecatedCatalog.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SimulatorTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DevOidcTestResource.class, restrictToAnnotatedClass = false)
class DeprecatedModelIT {

    /** Routing-service with the test catalog in place of the built-in one. */
    public static class DeprecatedCatalog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokenhub.catalog.path", "src/test/resources/catalogs/deprecated.yaml");
        }
    }

    private static final String MESSAGE = ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Test
    void aDeprecatedModelIsAnsweredWithItsRetirementDay() {
        RoutingIt.internal("dp-" + UUID.randomUUID())
                .body("{\"model\":\"gpt-4o\"" + MESSAGE)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.DEPRECATION, equalTo("2099-01-01"));
        RoutingIt.internal("dp-" + UUID.randomUUID())
                .body("{\"model\":\"gpt-4o\",\"stream\":true" + MESSAGE)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.DEPRECATION, equalTo("2099-01-01"));
        RoutingIt.internal("dp-" + UUID.randomUUID())
                .body("{\"model\":\"gpt-4.1\"" + MESSAGE)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.DEPRECATION, nullValue());
        RoutingIt.internal("dp-" + UUID.randomUUID())
                .get("/v1/models/gpt-4o")
                .then()
                .statusCode(200)
                .header(TokenHubHeaders.DEPRECATION, equalTo("2099-01-01"));
    }
}
