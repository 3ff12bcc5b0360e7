package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code helm template} printed, split into its objects. */
final class Rendering {

    static final YAMLMapper YAML = new YAMLMapper();

    private static final Pattern DOCUMENT = Pattern.compile("(?m)^---\\n# Source: (\\S+)\\n");

    private final String name;
    private final String text;
    private final List<Manifest> manifests;

    Rendering(String name, String text) {
        this.name = name;
        this.text = text;
        this.manifests = split(text);
    }

    /** A short label for messages and file names: "default" or "production". */
    String name() {
        return name;
    }

    /** Helm's output exactly as printed. */
    String text() {
        return text;
    }

    /** Writes Helm's output to target/rendered/&lt;name&gt;.yaml for tools that read files. */
    Path writeToBuildDir() {
        try {
            Path file = RepoPaths.BUILD.resolve("rendered").resolve(name + ".yaml");
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Manifest> manifests() {
        return manifests;
    }

    List<ObjectNode> ofKind(String kind) {
        return manifests.stream()
                .filter(m -> m.kind().equals(kind))
                .map(Manifest::object)
                .toList();
    }

    ObjectNode get(String kind, String objectName) {
        List<ObjectNode> found = ofKind(kind).stream()
                .filter(o -> o.path("metadata").path("name").asText().equals(objectName))
                .toList();
        assertThat(found)
                .as("%s/%s in the %s rendering", kind, objectName, name)
                .hasSize(1);
        return found.get(0);
    }

    /** The Deployment of a service, by its component name such as {@code routing-service}. */
    ObjectNode deployment(String component) {
        return get("Deployment", Chart.RELEASE + "-" + component);
    }

    /** The one container of a service's pods. */
    static JsonNode container(ObjectNode deployment) {
        JsonNode containers = deployment.at("/spec/template/spec/containers");
        assertThat(containers.size())
                .as("containers of %s", deployment.at("/metadata/name").asText())
                .isEqualTo(1);
        return containers.get(0);
    }

    /** A container's environment variable by name, or a missing node. */
    static JsonNode env(JsonNode container, String variable) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(variable)) {
                return e;
            }
        }
        return MissingNode.getInstance();
    }

    /** Names of the Deployments whose pods a LabelSelector (matchLabels, matchExpressions) picks. */
    List<String> deploymentsSelectedBy(JsonNode selector) {
        return ofKind("Deployment").stream()
                .filter(d -> Selectors.matches(selector, d.at("/spec/template/metadata/labels")))
                .map(d -> d.at("/metadata/name").asText())
                .toList();
    }

    /** Names of the Deployments whose pods an equality selector (a Service's spec.selector) picks. */
    List<String> deploymentsSelectedByMap(JsonNode selector) {
        assertThat(selector.size()).as("selector %s is not empty", selector).isPositive();
        return ofKind("Deployment").stream()
                .filter(d -> Selectors.matchesMap(selector, d.at("/spec/template/metadata/labels")))
                .map(d -> d.at("/metadata/name").asText())
                .toList();
    }

    /** A pod's volume by name. */
    static JsonNode volume(JsonNode podSpec, String volumeName) {
        for (JsonNode v : podSpec.path("volumes")) {
            if (v.path("name").asText().equals(volumeName)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + volumeName);
    }

    private static List<Manifest> split(String text) {
        List<Manifest> result = new ArrayList<>();
        Matcher m = DOCUMENT.matcher(text);
        List<int[]> starts = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start(), m.end()});
            sources.add(m.group(1));
        }
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
            String body = text.substring(starts.get(i)[1], end);
            try {
                JsonNode node = YAML.readTree(body);
                if (node == null || node.isMissingNode() || node.isNull()) {
                    throw new AssertionError("empty document from " + sources.get(i));
                }
                result.add(new Manifest(sources.get(i), (ObjectNode) node));
            } catch (IOException e) {
                throw new UncheckedIOException("unparsable document from " + sources.get(i), e);
            }
        }
        return List.copyOf(result);
    }
}
