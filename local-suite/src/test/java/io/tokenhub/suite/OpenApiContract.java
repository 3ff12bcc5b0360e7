package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One service's published OpenAPI document (docs/openapi/), used as the oracle for what the running service answers:
 * every response must be one the document lists for its operation and status, with the documented content type,
 * headers and body. The document is read as published and made stricter, never looser, before validation:
 *
 * <ul>
 *   <li>OpenAPI 3.1's {@code type: [string, "null"]} becomes 3.0's {@code nullable} and {@code const} a one-value
 *       {@code enum}, because the validator checks types only in 3.0 documents (a 3.1 document lets
 *       {@code "has_more": "x"} pass);
 *   <li>an object schema that lists no {@code required} fields (the ones generated from Java records) gets all its
 *       properties required and no others allowed, so a field renamed on the wire or missing from it fails.
 * </ul>
 */
final class OpenApiContract {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final String service;
    private final OpenApiInteractionValidator validator;
    private final Map<String, Pattern> operations = new LinkedHashMap<>();
    private final Set<String> exercised = new TreeSet<>();

    private OpenApiContract(String service, ObjectNode document) throws IOException {
        this.service = service;
        document.put("openapi", "3.0.3");
        strict(document.path("components").path("schemas"));
        toOpenApi30(document);
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(YAML.writeValueAsString(document))
                .build();
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue()
                        .fieldNames()
                        .forEachRemaining(method -> operations.put(
                                method.toUpperCase(Locale.ROOT) + " " + path.getKey(),
                                Pattern.compile(path.getKey().replaceAll("\\{[^}]+}", "[^/]+")))));
    }

    /** The document published for {@code service}, e.g. {@code billing-service}. */
    static OpenApiContract of(String service) throws IOException {
        Path file = SharedSuite.repoRoot().resolve("docs/openapi/" + service + ".yaml");
        return new OpenApiContract(service, (ObjectNode) YAML.readTree(file.toFile()));
    }

    /**
     * Fails unless {@code response} to {@code method} on its URL is what the document says that operation answers
     * with that status; returns the response for the caller's own checks.
     */
    HttpResponse<String> check(String method, HttpResponse<String> response) {
        check(
                method,
                response.request().uri().getPath(),
                response.statusCode(),
                response.headers().map(),
                response.body());
        return response;
    }

    /** As {@link #check(String, HttpResponse)} for an answer given by its parts. */
    void check(String method, String path, int status, String contentType, String body) {
        check(method, path, status, Map.of("Content-Type", List.of(contentType)), body);
    }

    private void check(String method, String path, int status, Map<String, List<String>> headers, String body) {
        String operation = operations.keySet().stream()
                .filter(op -> op.startsWith(method + " ")
                        && operations.get(op).matcher(path).matches())
                .findFirst()
                .orElseGet(() -> fail(service + " documents no " + method + " " + path));
        exercised.add(operation);
        SimpleResponse.Builder wire = SimpleResponse.Builder.status(status);
        headers.forEach(wire::withHeader);
        if (body != null && !body.isEmpty()) {
            wire.withBody(body);
        }
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(method), wire.build());
        List<String> errors = report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(ValidationReport.Message::getMessage)
                .toList();
        assertTrue(
                errors.isEmpty(),
                service + ": " + method + " " + path + " answered " + status
                        + ", which its OpenAPI document does not describe:\n  " + String.join("\n  ", errors)
                        + "\nbody: " + body);
    }

    /** The document's operations no request has exercised yet. */
    Set<String> unexercised() {
        Set<String> left = new TreeSet<>(operations.keySet());
        left.removeAll(exercised);
        return left;
    }

    private static void strict(JsonNode schemas) {
        schemas.forEach(schema -> {
            if (schema instanceof ObjectNode object
                    && object.has("properties")
                    && !object.has("required")
                    && !object.has("additionalProperties")) {
                ArrayNode required = object.putArray("required");
                object.path("properties").fieldNames().forEachRemaining(required::add);
                object.put("additionalProperties", false);
            }
        });
    }

    private static void toOpenApi30(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode type = object.get("type");
            if (type != null && type.isArray()) {
                String single = null;
                boolean nullable = false;
                for (JsonNode t : type) {
                    if (t.asText().equals("null")) {
                        nullable = true;
                    } else {
                        single = t.asText();
                    }
                }
                if (single == null) {
                    // Only null: 3.0 has no null type, so a nullable type that allows no other value.
                    object.put("type", "string");
                    object.putArray("enum").addNull();
                } else {
                    object.put("type", single);
                }
                if (nullable) {
                    object.put("nullable", true);
                }
            }
            JsonNode constant = object.remove("const");
            if (constant != null) {
                object.putArray("enum").add(constant);
            }
            JsonNode examples = object.get("examples");
            if (type != null && examples != null && examples.isArray()) {
                // 3.1 schemas carry a list of examples; 3.0 schemas one.
                object.set("example", examples.get(0));
                object.remove("examples");
            }
            object.elements().forEachRemaining(OpenApiContract::toOpenApi30);
        } else if (node instanceof ArrayNode array) {
            array.forEach(OpenApiContract::toOpenApi30);
        }
    }
}
