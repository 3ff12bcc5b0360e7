package io.tokenhub.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One rendered Kubernetes object and the chart template it came from.
 *
 * @param source template path as Helm prints it, e.g. {@code tokenhub/templates/gateway-service.yaml}
 * @param object the object as parsed from the rendered YAML
 */
record Manifest(String source, ObjectNode object) {

    String kind() {
        return object.path("kind").asText();
    }

    String name() {
        return object.path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
        return kind() + "/" + name();
    }
}
