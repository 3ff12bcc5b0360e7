package io.tokenhub.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the chart, the plain manifests and the files they mirror live in the repository. */
final class RepoPaths {

    /** The deploy-tests module; Surefire runs with it as the working directory. */
    static final Path MODULE = Path.of("").toAbsolutePath();

    static final Path ROOT = MODULE.getParent();
    static final Path CHART = ROOT.resolve("helm/tokenhub");
    static final Path PRODUCTION_VALUES = CHART.resolve("examples/values-production.yaml");
    static final Path CHART_CATALOG = CHART.resolve("files/catalog.yaml");
    static final Path BUILT_IN_CATALOG = ROOT.resolve("common/src/main/resources/tokenhub/catalog.yaml");
    static final Path K8S = ROOT.resolve("k8s");
    static final Path NODE_MODULES = MODULE.resolve("node_modules");
    static final Path VALIDATOR = MODULE.resolve("src/test/node/validate.mjs");
    static final Path BUILD = MODULE.resolve("target");

    static {
        if (!Files.isRegularFile(CHART.resolve("Chart.yaml"))) {
            throw new IllegalStateException("run from the deploy-tests module: no chart at " + CHART);
        }
    }

    private RepoPaths() {}
}
