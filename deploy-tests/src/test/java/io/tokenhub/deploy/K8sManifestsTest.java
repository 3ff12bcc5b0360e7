package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * k8s/ holds the chart rendered with its default values, one file per template, for installing without Helm. It
 * must stay exactly that. To regenerate it after changing the chart:
 * {@code mvn -B -q -pl deploy-tests verify -Dtokenhub.k8s.write=true}.
 */
class K8sManifestsTest {

    static final String HEADER = """
            # Generated from helm/tokenhub with its default values (release "tokenhub", namespace "tokenhub").
            # Do not edit: change the chart, then regenerate with
            #   mvn -B -q -pl deploy-tests verify -Dtokenhub.k8s.write=true
            """;

    private static final Pattern DOCUMENT = Pattern.compile("(?m)^---\\n# Source: tokenhub/templates/(\\S+)\\n");

    @Test
    void plainManifestsAreExactlyTheDefaultRendering() throws IOException {
        Map<String, String> expected = expectedFiles(Chart.defaults().text());
        if (Boolean.getBoolean("tokenhub.k8s.write")) {
            write(expected);
        }

        assertThat(yamlFilesIn(RepoPaths.K8S))
                .as("files in k8s/")
                .containsExactlyElementsOf(new TreeSet<>(expected.keySet()));
        for (Map.Entry<String, String> file : expected.entrySet()) {
            String actual = Files.readString(RepoPaths.K8S.resolve(file.getKey()), StandardCharsets.UTF_8);
            if (!actual.equals(file.getValue())) {
                fail(
                        "k8s/%s is stale (%s): regenerate it as k8s/README.md says",
                        file.getKey(), firstDifference(actual, file.getValue()));
            }
        }
    }

    @Test
    void splittingKeepsEveryDocumentOfTheRendering() {
        String rendered = Chart.defaults().text();
        StringBuilder joined = new StringBuilder();
        expectedFiles(rendered).values().forEach(f -> joined.append(f.substring(HEADER.length())));

        assertThat(joined.length()).isEqualTo(rendered.length());
        assertThat(Chart.defaults().manifests())
                .hasSize(new Rendering("joined", joined.toString()).manifests().size());
    }

    /** Helm's output grouped by template, documents in Helm's order, each file under the header. */
    static Map<String, String> expectedFiles(String rendered) {
        Map<String, StringBuilder> byTemplate = new LinkedHashMap<>();
        Matcher m = DOCUMENT.matcher(rendered);
        int start = -1;
        String template = null;
        while (m.find()) {
            if (template != null) {
                byTemplate
                        .computeIfAbsent(template, t -> new StringBuilder(HEADER))
                        .append(rendered, start, m.start());
            }
            template = m.group(1);
            start = m.start();
        }
        assertThat(template).as("rendered documents").isNotNull();
        byTemplate.computeIfAbsent(template, t -> new StringBuilder(HEADER)).append(rendered, start, rendered.length());
        Map<String, String> files = new LinkedHashMap<>();
        byTemplate.forEach((t, text) -> {
            assertThat(t).as("templates are flat files").doesNotContain("/");
            files.put(t, text.toString());
        });
        return files;
    }

    private static String firstDifference(String actual, String expected) {
        List<String> a = actual.lines().toList();
        List<String> e = expected.lines().toList();
        for (int i = 0; i < Math.max(a.size(), e.size()); i++) {
            String found = i < a.size() ? a.get(i) : "<end of file>";
            String wanted = i < e.size() ? e.get(i) : "<end of file>";
            if (!found.equals(wanted)) {
                return "line " + (i + 1) + " is \"" + found + "\", the chart renders \"" + wanted + "\"";
            }
        }
        return "they differ in line endings";
    }

    private static void write(Map<String, String> files) throws IOException {
        for (String stale : yamlFilesIn(RepoPaths.K8S)) {
            if (!files.containsKey(stale)) {
                Files.delete(RepoPaths.K8S.resolve(stale));
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(RepoPaths.K8S.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
    }

    private static TreeSet<String> yamlFilesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
