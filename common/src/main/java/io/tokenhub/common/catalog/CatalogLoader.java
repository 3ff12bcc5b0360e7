package io.tokenhub.common.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the catalog YAML. Operators replace the built-in file by pointing {@code tokenhub.catalog.path} at their own
 * (a mounted ConfigMap in Kubernetes); a file that does not parse or validate stops the service from starting rather
 * than letting it sell models at unknown prices.
 */
public final class CatalogLoader {

    /** Classpath location of the catalog shipped with TokenHub. */
    public static final String BUILT_IN = "/tokenhub/catalog.yaml";

    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private CatalogLoader() {}

    /** Loads {@code path} when present, otherwise the built-in catalog. */
    public static Catalog load(Optional<Path> path) {
        if (path.isPresent()) {
            try (InputStream in = Files.newInputStream(path.get())) {
                return parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read catalog " + path.get(), e);
            }
        }
        try (InputStream in = CatalogLoader.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("built-in catalog missing from the classpath: " + BUILT_IN);
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in catalog", e);
        }
    }

    static Catalog parse(InputStream in) throws IOException {
        CatalogFile file = YAML.readValue(in, CatalogFile.class);
        if (file.models() == null || file.models().isEmpty()) {
            throw new IllegalArgumentException("catalog lists no models");
        }
        return new Catalog(file.models(), file.groups() == null ? List.of() : file.groups());
    }

    private record CatalogFile(
            @JsonProperty("models") List<CatalogModel> models,
            @JsonProperty("groups") List<EquivalenceGroup> groups) {}
}
