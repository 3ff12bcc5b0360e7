package io.tokenhub.billing.it;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.tokenhub.infra.testing.DevOidcTestResource;
import java.time.Duration;

/** Dashboard API calls the integration tests share, with real signed tokens. */
final class ApiCalls {

    static final String ADMIN = "tokenhub-admin";

    private ApiCalls() {}

    static String token(String account, String... roles) {
        return DevOidcTestResource.tokenFor(account, roles);
    }

    static String admin() {
        return token(null, ADMIN);
    }

    /** GET {@code path} with query pairs; must answer 200. */
    static JsonPath getJson(String token, String path, Object... queryPairs) {
        var request = given().auth().oauth2(token);
        for (int i = 0; i < queryPairs.length; i += 2) {
            request = request.queryParam((String) queryPairs[i], queryPairs[i + 1]);
        }
        return request.get(path).then().statusCode(200).extract().jsonPath();
    }

    /** The raw body of a 200 answer, for comparing two reads byte for byte. */
    static String body(String token, String path) {
        return given().auth()
                .oauth2(token)
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** Waits up to 60 s for {@code requestId} of {@code account} to be billed; returns its ledger line. */
    static JsonPath awaitLine(String account, String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var response = given().auth().oauth2(token(account)).get("/api/billing/requests/" + requestId);
            if (response.statusCode() == 200) {
                return response.jsonPath();
            }
            sleep(200);
        }
        throw new AssertionError(requestId + " of " + account + " was not billed within 60 s");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
