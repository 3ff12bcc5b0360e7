package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The same bad input sent to every {@code /api} endpoint of every service must get the same kind of answer: the one
 * error body ({@code {"error":{"message","type","param","code"}}}) with the field at fault as {@code param}, and no
 * framework wording. The expected codes and statuses are written here, from docs/api.md, not read from the services.
 */
final class ApiErrorShapes {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Wording of Quarkus, RESTEasy, Jackson or Vert.x that must never reach a client. */
    private static final List<String> FRAMEWORK_WORDS = List.of(
            "@Consumes",
            "RESTEASY",
            "jackson",
            "java.",
            "Exception",
            "Cannot deserialize",
            "Unrecognized token",
            "HTTP 4",
            "Bad Request.");

    /**
     * An endpoint: its method, URL and, for writes, a valid body and one of its fields with a valid and a wrong-typed
     * value (JSON text).
     */
    record Endpoint(String method, String url, String validBody, String field, String validValue, String wrongValue) {

        static Endpoint read(String method, String url) {
            return new Endpoint(method, url, null, null, null, null);
        }

        boolean takesBody() {
            return validBody != null;
        }
    }

    private final HttpClient http;
    private final String token;

    ApiErrorShapes(HttpClient http, String token) {
        this.http = http;
        this.token = token;
    }

    /** Every refusal every endpoint can give a client that sends the wrong thing. */
    void check(Endpoint endpoint) throws Exception {
        String where = endpoint.method() + " " + endpoint.url();
        HttpResponse<String> noToken = send(endpoint, null, "application/json", "application/json", body(endpoint));
        JsonNode error =
                assertError(where + " without a token", noToken, 401, "invalid_request_error", "invalid_token");
        assertEquals(
                "Bearer", noToken.headers().firstValue("WWW-Authenticate").orElse(null), where + ": WWW-Authenticate");
        assertTrue(error.path("param").isNull(), where);
        assertError(
                where + " with a bad token",
                send(endpoint, "not-a-token", "application/json", "application/json", body(endpoint)),
                401,
                "invalid_request_error",
                "invalid_token");
        assertError(
                where + " asking for HTML",
                send(endpoint, token, "text/html", "application/json", body(endpoint)),
                406,
                "invalid_request_error",
                "not_acceptable");
        if (!endpoint.takesBody()) {
            return;
        }
        assertError(
                where + " with text/plain",
                send(endpoint, token, "application/json", "text/plain", endpoint.validBody()),
                415,
                "invalid_request_error",
                "unsupported_media_type");
        assertError(
                where + " with broken JSON",
                send(endpoint, token, "application/json", "application/json", "{\"" + endpoint.field() + "\":"),
                400,
                "invalid_request_error",
                "invalid_body");
        JsonNode unknown = assertError(
                where + " with a misspelt field",
                send(endpoint, token, "application/json", "application/json", "{\"nmae\":\"typo\"}"),
                400,
                "invalid_request_error",
                "unknown_field");
        assertEquals("nmae", unknown.path("param").asText(), where + ": the unknown field is the param");
        JsonNode wrongType = assertError(
                where + " with a wrong type",
                send(
                        endpoint,
                        token,
                        "application/json",
                        "application/json",
                        "{\"" + endpoint.field() + "\":" + endpoint.wrongValue() + "}"),
                400,
                "invalid_request_error",
                "invalid_body");
        assertEquals(endpoint.field(), wrongType.path("param").asText(), where + ": the wrong field is the param");
        String twice = "{\"" + endpoint.field() + "\":" + endpoint.validValue() + ",\"" + endpoint.field() + "\":"
                + endpoint.validValue() + "}";
        JsonNode duplicate = assertError(
                where + " with a field given twice",
                send(endpoint, token, "application/json", "application/json", twice),
                400,
                "invalid_request_error",
                "duplicate_field");
        assertEquals(endpoint.field(), duplicate.path("param").asText(), where + ": the repeated field is the param");
    }

    /** A path no service has under {@code /api}, and a method an endpoint does not take. */
    void checkUnknownPathAndMethod(String base, String path, String wrongMethod) throws Exception {
        HttpResponse<String> missing = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/no-such-thing"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(base + "/api/no-such-thing", missing, 404, "invalid_request_error", "not_found");
        HttpResponse<String> notAllowed = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + token)
                        .method(wrongMethod, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(wrongMethod + " " + base + path, notAllowed, 405, "invalid_request_error", "method_not_allowed");
        String allow = notAllowed.headers().firstValue("Allow").orElse("");
        assertFalse(allow.isBlank(), wrongMethod + " " + base + path + ": a 405 says what is allowed");
        assertFalse(allow.contains(wrongMethod), wrongMethod + " " + base + path + ": Allow " + allow);
    }

    private static String body(Endpoint endpoint) {
        return endpoint.takesBody() ? endpoint.validBody() : null;
    }

    private HttpResponse<String> send(Endpoint endpoint, String bearer, String accept, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.url()))
                .header("Accept", accept)
                .method(
                        endpoint.method(),
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode assertError(
            String what, HttpResponse<String> response, int status, String type, String code) throws Exception {
        assertEquals(status, response.statusCode(), what + ": " + response.body());
        assertTrue(
                response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                what + ": JSON, not " + response.headers().firstValue("Content-Type"));
        JsonNode body = JSON.readTree(response.body());
        JsonNode error = body.path("error");
        assertEquals(Set.of("error"), fieldNames(body), what + ": only 'error' at the top: " + response.body());
        assertEquals(Set.of("message", "type", "param", "code"), fieldNames(error), what + ": " + response.body());
        assertEquals(type, error.path("type").asText(), what + ": type");
        assertEquals(code, error.path("code").asText(), what + ": code");
        String message = error.path("message").asText();
        assertNotNull(message);
        assertFalse(message.isBlank(), what + ": a message");
        for (String word : FRAMEWORK_WORDS) {
            assertFalse(message.contains(word), what + ": framework wording '" + word + "' in " + message);
        }
        return error;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
