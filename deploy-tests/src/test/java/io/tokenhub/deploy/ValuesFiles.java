package io.tokenhub.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/** The values a rendering used, merged the way Helm merges -f over values.yaml (maps merge, the rest replaces). */
final class ValuesFiles {

    private ValuesFiles() {}

    static JsonNode defaults() {
        return read(RepoPaths.CHART.resolve("values.yaml").toFile());
    }

    static JsonNode production() {
        return merge((ObjectNode) defaults(), read(RepoPaths.PRODUCTION_VALUES.toFile()));
    }

    /** The effective values of one of the two renderings. */
    static JsonNode of(Rendering rendering) {
        return switch (rendering.name()) {
            case "default" -> defaults();
            case "production" -> production();
            default -> throw new IllegalArgumentException("no values file for " + rendering.name());
        };
    }

    private static JsonNode merge(ObjectNode base, JsonNode override) {
        Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode current = base.get(f.getKey());
            if (current instanceof ObjectNode currentObject && f.getValue().isObject()) {
                merge(currentObject, f.getValue());
            } else {
                base.set(f.getKey(), f.getValue());
            }
        }
        return base;
    }

    private static JsonNode read(java.io.File file) {
        try {
            return Rendering.YAML.readTree(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
