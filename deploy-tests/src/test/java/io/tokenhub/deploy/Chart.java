package io.tokenhub.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.Map;

/** Renders helm/tokenhub with real Helm (helm-java embeds the Helm library), once per values file and JVM. */
final class Chart {

    /** Release name and namespace of every rendering; k8s/ holds the default rendering under these. */
    static final String RELEASE = "tokenhub";

    static final String NAMESPACE = "tokenhub";
    /**
     * The Kubernetes version the schemas of kubernetes-models 5.1.0 describe. Helm as a library otherwise assumes
     * v1.20, below the chart's kubeVersion; the templates do not depend on it.
     */
    static final String KUBE_VERSION = "1.34.0";

    private static Rendering defaults;
    private static Rendering production;

    private Chart() {}

    static synchronized Rendering defaults() {
        if (defaults == null) {
            defaults = new Rendering("default", template(null, Map.of()));
        }
        return defaults;
    }

    static synchronized Rendering production() {
        if (production == null) {
            production = new Rendering("production", template(RepoPaths.PRODUCTION_VALUES, Map.of()));
        }
        return production;
    }

    /** Renders with an optional values file and --set overrides; Helm's error surfaces as an exception. */
    static String template(Path valuesFile, Map<String, Object> sets) {
        return template(valuesFile, sets, Map.of());
    }

    /** As above, plus --set-file overrides (a value read from a file). */
    static String template(Path valuesFile, Map<String, Object> sets, Map<String, Path> setFiles) {
        TemplateCommand command = new Helm(RepoPaths.CHART)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        for (Map.Entry<String, Path> setFile : setFiles.entrySet()) {
            command = command.setFile(setFile.getKey(), setFile.getValue());
        }
        return command.call();
    }
}
