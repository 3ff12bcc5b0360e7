package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.common.wire.ProviderWire;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every provider in the {@link Provider} enum has every piece docs/adding-a-provider.md lists, so a provider added
 * halfway fails here naming the piece it lacks. The pieces the compiler already enforces (the exhaustive switches in
 * routing's adapter registries and health-monitor's ProvidersConfig) are not repeated.
 */
class ProviderCompletenessTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The fixtures TranslationFixtureTest needs of every provider to prove its four translation seams. */
    private static final List<String> FIXTURES = List.of(
            "request.json",
            "native-request.json",
            "native-paths.json",
            "native-response.json",
            "openai-response.json",
            "usage.json",
            "stream-request.json",
            "stream-native.sse",
            "stream-openai.sse",
            "stream-usage.json",
            "stream-error-native.sse",
            "stream-error-openai.sse");

    /** The files beside {@code <P>Simulator} in every simulator package (provider-simulator's README, "Layout"). */
    private static final List<String> SIMULATOR_FILES = List.of("Requests", "Answers", "Streams", "Failures");

    @ParameterizedTest
    @EnumSource(Provider.class)
    void hasWireFacts(Provider provider) {
        assertNotNull(ProviderWire.of(provider), provider + ": no entry in common's ProviderWire");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void hasARoutingAdapterAndErrorTranslation(Provider provider) throws IOException {
        Path dir = ROOT.resolve("routing-service/src/main/java/io/tokenhub/routing/providers")
                .resolve(provider.wireName());
        assertTrue(Files.isDirectory(dir), provider + ": no package " + ROOT.relativize(dir));
        assertTrue(
                file(dir, n -> n.endsWith("Adapter.java") && !n.endsWith("EmbeddingsAdapter.java"))
                        .isPresent(),
                provider + ": no chat adapter (<Provider>Adapter.java) in " + ROOT.relativize(dir));
        assertTrue(
                file(dir, n -> n.endsWith("Errors.java")).isPresent(),
                provider + ": no error translation (<Provider>Errors.java) in " + ROOT.relativize(dir));
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void hasTranslationFixtures(Provider provider) {
        Path dir = ROOT.resolve("routing-service/src/test/resources/fixtures").resolve(provider.wireName());
        for (String fixture : FIXTURES) {
            assertTrue(
                    Files.isRegularFile(dir.resolve(fixture)),
                    provider + ": missing translation fixture " + ROOT.relativize(dir.resolve(fixture)));
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void hasASimulator(Provider provider) throws IOException {
        Path dir = ROOT.resolve("provider-simulator/src/main/java/io/tokenhub/simulator")
                .resolve(provider.wireName());
        assertTrue(Files.isDirectory(dir), provider + ": no simulator package " + ROOT.relativize(dir));
        Path simulator = file(dir, n -> n.endsWith("Simulator.java"))
                .orElseThrow(() ->
                        new AssertionError(provider + ": no <Provider>Simulator.java in " + ROOT.relativize(dir)));
        String prefix = simulator.getFileName().toString().replace("Simulator.java", "");
        for (String role : SIMULATOR_FILES) {
            Path needed = dir.resolve(prefix + role + ".java");
            assertTrue(Files.isRegularFile(needed), provider + ": missing simulator file " + ROOT.relativize(needed));
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void isProbedAndRoutedAtItsProductionBaseUrl(Provider provider) throws IOException {
        String key = "tokenhub.providers." + provider.wireName() + ".base-url";
        String url = ProviderWire.of(provider).productionBaseUrl();
        for (String service : List.of("routing-service", "health-monitor")) {
            String properties = Files.readString(ROOT.resolve(service + "/src/main/resources/application.properties"));
            assertTrue(
                    properties.lines().anyMatch(l -> l.startsWith(key + "=") && l.contains(url)),
                    provider + ": " + service + "'s application.properties has no " + key + " with " + url);
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void hasHelmValues(Provider provider) throws IOException {
        JsonNode values =
                YAML.readTree(ROOT.resolve("helm/tokenhub/values.yaml").toFile());
        JsonNode entry = values.path("providers").path(provider.wireName());
        assertFalse(
                entry.isMissingNode(),
                provider + ": helm/tokenhub/values.yaml has no providers." + provider.wireName());
        assertEquals(
                ProviderWire.of(provider).productionBaseUrl(),
                entry.path("baseUrl").asText(),
                provider + ": the chart's baseUrl differs from the provider's production base URL");
        assertFalse(entry.path("apiKeySecretKey").asText().isBlank(), provider + ": the chart names no secret key");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void isSoldAndDocumented(Provider provider) throws IOException {
        assertTrue(
                CatalogLoader.load(Optional.empty()).models().stream().anyMatch(m -> m.provider() == provider),
                provider + ": the built-in catalog sells no model of it");
        String api = Files.readString(ROOT.resolve("docs/api.md"));
        assertTrue(
                api.contains(ProviderWire.of(provider).productionBaseUrl()),
                provider + ": docs/api.md does not give its production base URL");
    }

    private static Optional<Path> file(Path dir, Predicate<String> name) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> name.test(f.getFileName().toString())).findFirst();
        }
    }
}
