package io.tokenhub.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Kubernetes label selector semantics, so tests can tell which pods a selector really picks. */
final class Selectors {

    private Selectors() {}

    /** A LabelSelector (matchLabels and matchExpressions); an empty one selects everything, as in Kubernetes. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        if (!matchesMap(selector.path("matchLabels"), labels)) {
            return false;
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            Set<String> values = new HashSet<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean has = labels.has(key);
            String value = labels.path(key).asText();
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> has && values.contains(value);
                case "NotIn" -> !has || !values.contains(value);
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> throw new AssertionError("unknown selector operator in " + expression);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A plain equality selector such as a Service's spec.selector. */
    static boolean matchesMap(JsonNode required, JsonNode labels) {
        Iterator<Map.Entry<String, JsonNode>> fields = required.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!labels.path(f.getKey()).isTextual()
                    || !labels.path(f.getKey()).asText().equals(f.getValue().asText())) {
                return false;
            }
        }
        return true;
    }
}
