package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code helm lint --strict}: a warning fails just like an error. Helm's lint takes no values file, so the
 * production values are linted in a copy of the chart whose values.yaml holds them merged over the defaults.
 */
class HelmLintTest {

    @Test
    void chartWithDefaultValuesPassesStrictLint() {
        assertPasses(new Helm(RepoPaths.CHART).lint().strict().call());
    }

    @Test
    void chartWithProductionValuesPassesStrictLint() throws IOException {
        JsonNode production = ValuesFiles.production();
        assertThat(production).isNotEqualTo(ValuesFiles.defaults());

        assertPasses(lintCopyWith("production", production));
    }

    @Test
    void strictLintFailsOnValuesTheSchemaRejects() throws IOException {
        ObjectNode misspelt = (ObjectNode) ValuesFiles.defaults();
        ((ObjectNode) misspelt.get("gateway")).put("replicaz", 3);

        LintResult result = lintCopyWith("misspelt", misspelt);

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("replicaz");
    }

    private static LintResult lintCopyWith(String name, JsonNode values) throws IOException {
        Path copy = RepoPaths.BUILD.resolve("lint-" + name + "/tokenhub");
        deleteTree(copy);
        copyTree(RepoPaths.CHART, copy);
        Files.writeString(copy.resolve("values.yaml"), Rendering.YAML.writeValueAsString(values));
        return new Helm(copy).lint().strict().call();
    }

    private static void assertPasses(LintResult result) {
        List<String> messages = result.getMessages();
        assertThat(messages).as("lint messages").noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
        assertThat(result.isFailed()).as("lint failed: %s", messages).isFalse();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
