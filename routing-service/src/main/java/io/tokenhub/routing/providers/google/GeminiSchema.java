package io.tokenhub.routing.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A client's JSON Schema (tool parameters, response_format) as Gemini's {@code Schema}, the OpenAPI 3.0 subset
 * documented at https://ai.google.dev/api/caching#Schema, which rejects keywords outside it ("Unknown name
 * additionalProperties"). Kept: the keywords Gemini knows. Translated: a type list with "null" becomes
 * {@code nullable} (so does a null enum member), several types become {@code anyOf}, {@code oneOf} becomes
 * {@code anyOf}, {@code const} becomes a one-value {@code enum}, {@code $ref}s into {@code $defs}/{@code definitions} are inlined. Dropped: every other
 * keyword ({@code additionalProperties}, {@code $schema}, {@code allOf}, ...) and empty {@code properties}, which
 * Gemini refuses for objects.
 */
final class GeminiSchema {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final Set<String> KEPT = Set.of(
            "format",
            "title",
            "description",
            "nullable",
            "maxItems",
            "minItems",
            "required",
            "minProperties",
            "maxProperties",
            "minLength",
            "maxLength",
            "pattern",
            "example",
            "propertyOrdering",
            "default",
            "minimum",
            "maximum");

    /** Inlining deeper than this means a recursive schema, which Gemini's Schema cannot express. */
    private static final int MAX_DEPTH = 32;

    private GeminiSchema() {}

    /** The converted schema; {@code param} names where it came from in the request, for a 400. */
    static ObjectNode of(ObjectNode schema, String param) {
        JsonNode defs = schema.has("$defs") ? schema.get("$defs") : schema.path("definitions");
        return convert(schema, defs, 0, param);
    }

    /** Whether a converted object schema declares no properties: Gemini then wants no parameters at all. */
    static boolean isEmptyObject(ObjectNode schema) {
        return "object".equalsIgnoreCase(schema.path("type").asText())
                && !schema.has("properties")
                && !schema.has("anyOf");
    }

    private static ObjectNode convert(JsonNode schema, JsonNode defs, int depth, String param) {
        if (depth > MAX_DEPTH) {
            throw invalid("The schema nests too deeply or refers to itself, which google cannot take.", param);
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            String name = ref.startsWith("#/$defs/")
                    ? ref.substring("#/$defs/".length())
                    : ref.startsWith("#/definitions/") ? ref.substring("#/definitions/".length()) : null;
            JsonNode target = name == null ? null : defs.get(name);
            if (target == null || !target.isObject()) {
                throw invalid(
                        "The schema refers to '" + ref + "', which google cannot resolve; only references "
                                + "into $defs or definitions are inlined.",
                        param);
            }
            ObjectNode resolved = convert(target, defs, depth + 1, param);
            if (schema.has("description")) {
                resolved.set("description", schema.get("description"));
            }
            return resolved;
        }
        ObjectNode out = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "type" -> type(value, out);
                case "properties" -> {
                    ObjectNode properties = NODES.objectNode();
                    value.fields()
                            .forEachRemaining(
                                    p -> properties.set(p.getKey(), convert(p.getValue(), defs, depth + 1, param)));
                    if (!properties.isEmpty()) {
                        out.set("properties", properties);
                    }
                }
                case "items" -> {
                    if (value.isObject()) {
                        out.set("items", convert(value, defs, depth + 1, param));
                    }
                }
                case "anyOf", "oneOf" -> {
                    ArrayNode any = NODES.arrayNode();
                    value.forEach(v -> any.add(convert(v, defs, depth + 1, param)));
                    out.set("anyOf", any);
                }
                case "const" -> {
                    out.putArray("enum").add(value);
                    if (value.isTextual() && !schema.has("type")) {
                        out.put("type", "string");
                    }
                }
                case "enum" -> {
                    // Gemini's enums are strings; a null member is what nullable says.
                    ArrayNode values = out.putArray("enum");
                    value.forEach(v -> {
                        if (v.isNull()) {
                            out.put("nullable", true);
                        } else {
                            values.add(v);
                        }
                    });
                }
                default -> {
                    if (KEPT.contains(key)) {
                        out.set(key, value);
                    }
                }
            }
        }
        return out;
    }

    private static void type(JsonNode type, ObjectNode out) {
        if (!type.isArray()) {
            out.set("type", type);
            return;
        }
        ArrayNode types = NODES.arrayNode();
        for (JsonNode t : type) {
            if ("null".equals(t.asText())) {
                out.put("nullable", true);
            } else {
                types.add(t);
            }
        }
        if (types.size() == 1) {
            out.set("type", types.get(0));
        } else if (types.size() > 1) {
            ArrayNode any = out.putArray("anyOf");
            types.forEach(t -> any.addObject().set("type", t));
        }
    }

    private static InvalidRequestException invalid(String message, String param) {
        return new InvalidRequestException(OpenAiError.invalidRequest(message, param));
    }
}
