package io.tokenhub.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a small JSON value that satisfies a schema, so structured-output requests get parseable, schema-shaped
 * answers. Reads JSON Schema (OpenAI, Anthropic, Mistral, Gemini {@code responseJsonSchema}) and Gemini's OpenAPI
 * subset ({@code responseSchema}, upper-case type names); local {@code $ref}s into {@code $defs}/{@code definitions}
 * resolve.
 */
public final class JsonSample {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 8;

    private JsonSample() {}

    /** A value for {@code schema}; an object with a {@code reply} string when there is no schema. */
    public static JsonNode of(JsonNode schema, String reply) {
        if (schema == null || schema.isNull() || schema.isEmpty()) {
            return NODES.objectNode().put("reply", reply);
        }
        return sample(schema, schema, 0);
    }

    private static JsonNode sample(JsonNode schema, JsonNode root, int depth) {
        if (depth > MAX_DEPTH || !schema.isObject()) {
            return NODES.nullNode();
        }
        if (schema.has("$ref")) {
            return sample(resolve(schema.get("$ref").asText(), root), root, depth + 1);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.path("enum").isArray() && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(0);
        }
        for (String union : new String[] {"anyOf", "oneOf", "allOf"}) {
            if (schema.path(union).isArray() && !schema.get(union).isEmpty()) {
                return sample(schema.get(union).get(0), root, depth + 1);
            }
        }
        return switch (type(schema)) {
            case "object" -> object(schema, root, depth);
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                array.add(sample(schema.path("items"), root, depth + 1));
                yield array;
            }
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(1.5);
            case "boolean" -> NODES.booleanNode(true);
            case "null" -> NODES.nullNode();
            default -> NODES.textNode("sample");
        };
    }

    private static ObjectNode object(JsonNode schema, JsonNode root, int depth) {
        ObjectNode object = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> properties =
                schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            object.set(property.getKey(), sample(property.getValue(), root, depth + 1));
        }
        return object;
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isArray()) {
            // ["string", "null"]: the first non-null type is the useful one.
            for (JsonNode t : type) {
                if (!"null".equalsIgnoreCase(t.asText())) {
                    return t.asText().toLowerCase(Locale.ROOT);
                }
            }
            return "null";
        }
        if (type != null && type.isTextual()) {
            return type.asText().toLowerCase(Locale.ROOT);
        }
        return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
    }

    private static JsonNode resolve(String ref, JsonNode root) {
        if (!ref.startsWith("#/")) {
            return NODES.objectNode();
        }
        JsonNode node = root;
        for (String segment : ref.substring(2).split("/")) {
            node = node.path(segment.replace("~1", "/").replace("~0", "~"));
        }
        return node.isMissingNode() ? NODES.objectNode() : node;
    }
}
