package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalog ConfigMap is the built-in catalog, mounted where TOKENHUB_CATALOG_PATH points in the two services that
 * read it. Helm can only read files inside the chart, so the chart keeps a copy; this test keeps it identical.
 */
class CatalogTest {

    private static final List<Component> READERS = List.of(Component.ROUTING, Component.BILLING);

    @Test
    void chartCopyIsByteForByteTheBuiltInCatalog() throws IOException {
        assertThat(Files.readAllBytes(RepoPaths.CHART_CATALOG))
                .as("helm/tokenhub/files/catalog.yaml differs from common's catalog.yaml: copy it over (README.md)")
                .isEqualTo(Files.readAllBytes(RepoPaths.BUILT_IN_CATALOG));
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void configMapHoldsTheBuiltInCatalogAndIsMountedWhereTheServicesLook(Rendering rendering) throws Exception {
        String catalog = Files.readString(RepoPaths.BUILT_IN_CATALOG, StandardCharsets.UTF_8);
        ObjectNode configMap = rendering.get("ConfigMap", Chart.RELEASE + "-catalog");

        assertThat(configMap.at("/data/catalog.yaml").asText()).isEqualTo(catalog);
        assertMountedFor(rendering, configMap.at("/metadata/name").asText(), "catalog.yaml");
        for (Component c : READERS) {
            assertThat(rendering
                            .deployment(c.moduleName)
                            .at("/spec/template/metadata/annotations/checksum~1catalog")
                            .asText())
                    .as("%s rolls when the catalog changes", c.moduleName)
                    .isEqualTo(sha256(catalog));
        }
    }

    @Test
    void anOperatorCatalogReplacesTheBuiltInOneAndRollsThePods() throws Exception {
        Path own = RepoPaths.BUILD.resolve("operator-catalog.yaml");
        Files.createDirectories(own.getParent());
        String content = Files.readString(RepoPaths.BUILT_IN_CATALOG).replace("\"2.50\"", "\"2.40\"");
        assertThat(content).isNotEqualTo(Files.readString(RepoPaths.BUILT_IN_CATALOG));
        Files.writeString(own, content);

        Rendering rendering =
                new Rendering("operator-catalog", Chart.template(null, Map.of(), Map.of("catalog.content", own)));

        assertThat(rendering
                        .get("ConfigMap", Chart.RELEASE + "-catalog")
                        .at("/data/catalog.yaml")
                        .asText())
                .isEqualTo(content);
        assertThat(rendering
                        .deployment(Component.ROUTING.moduleName)
                        .at("/spec/template/metadata/annotations/checksum~1catalog")
                        .asText())
                .isEqualTo(sha256(content));
    }

    @Test
    void anExistingConfigMapIsMountedInsteadOfTheChartsOwn() {
        Rendering rendering = new Rendering(
                "existing-catalog",
                Chart.template(
                        null, Map.of("catalog.existingConfigMap", "acme-catalog", "catalog.key", "models.yaml")));

        assertThat(rendering.ofKind("ConfigMap")).isEmpty();
        assertMountedFor(rendering, "acme-catalog", "models.yaml");
    }

    private static void assertMountedFor(Rendering rendering, String configMap, String key) {
        for (Component c : READERS) {
            ObjectNode deployment = rendering.deployment(c.moduleName);
            JsonNode pod = deployment.at("/spec/template/spec");
            JsonNode container = Rendering.container(deployment);
            String path = Rendering.env(container, "TOKENHUB_CATALOG_PATH")
                    .path("value")
                    .asText();
            JsonNode mount = mountContaining(container, path);
            JsonNode volume = Rendering.volume(pod, mount.path("name").asText());

            assertThat(mount.path("readOnly").asBoolean()).isTrue();
            assertThat(volume.at("/configMap/name").asText()).as(c.moduleName).isEqualTo(configMap);
            String fileInVolume =
                    path.substring(mount.path("mountPath").asText().length() + 1);
            assertThat(volume.at("/configMap/items")).anySatisfy(item -> {
                assertThat(item.path("key").asText()).isEqualTo(key);
                assertThat(item.path("path").asText()).isEqualTo(fileInVolume);
            });
        }
    }

    private static JsonNode mountContaining(JsonNode container, String file) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (file.startsWith(m.path("mountPath").asText() + "/")) {
                return m;
            }
        }
        throw new AssertionError(
                file + " is on no mounted volume of " + container.path("name").asText());
    }

    private static String sha256(String text) throws NoSuchAlgorithmException {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
