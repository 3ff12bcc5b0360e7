package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rendered object is a valid Kubernetes object: schema (kubernetes-models) and known fields (fabric8). */
class SchemaValidationTest {

    /** Custom resources fabric8 has no typed model of; the schema check above still covers them. */
    private static final Set<String> CUSTOM_RESOURCES = Set.of("ServiceMonitor", "PrometheusRule");

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void everyRenderedObjectMatchesTheKubernetesSchemas(Rendering rendering) throws Exception {
        NodeValidator.Result result = NodeValidator.validate(rendering.writeToBuildDir());

        assertThat(result.invalid()).as("objects failing their schema").isEmpty();
        assertThat(result.exitCode())
                .as("validator exit code; output: %s", result.lines())
                .isZero();
        assertThat(result.valid())
                .as("one validated object per rendered object")
                .hasSize(rendering.manifests().size());
    }

    @Test
    void validatorRejectsWrongTypesMissingFieldsAndUnknownKinds() throws Exception {
        Path broken = RepoPaths.BUILD.resolve("rendered/broken.yaml");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: broken
                spec:
                  replicas: "two"
                  selector:
                    matchLabels: {app: broken}
                  template:
                    metadata:
                      labels: {app: broken}
                    spec:
                      containers:
                        - image: tokenhub/gateway-service:1.0.0
                ---
                apiVersion: example.com/v1
                kind: Widget
                metadata:
                  name: unknown
                """);

        NodeValidator.Result result = NodeValidator.validate(broken);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.invalid()).hasSize(2);
        assertThat(result.invalid().get(0))
                .contains("/spec/replicas must be integer")
                .contains("containers/0 must have required property name");
        assertThat(result.invalid().get(1)).contains("no schema for apiVersion example.com/v1");
    }

    @ParameterizedTest(name = "{0} values")
    @MethodSource("io.tokenhub.deploy.Renderings#both")
    void noRenderedObjectHasAFieldKubernetesDoesNotKnow(Rendering rendering) throws Exception {
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Manifest m : rendering.manifests()) {
            if (CUSTOM_RESOURCES.contains(m.kind())) {
                continue;
            }
            unknown.addAll(StrictFields.unknownFields(Rendering.YAML.writeValueAsString(m.object())));
            checked++;
        }

        assertThat(unknown).isEmpty();
        assertThat(checked).isGreaterThanOrEqualTo(rendering.manifests().size() - CUSTOM_RESOURCES.size());
    }

    @Test
    void unknownFieldCheckCatchesAMisspeltField() {
        List<String> unknown = StrictFields.unknownFields("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: typo
                spec:
                  selector:
                    matchLabels: {app: typo}
                  template:
                    metadata:
                      labels: {app: typo}
                    spec:
                      containers:
                        - name: app
                          image: tokenhub/gateway-service:1.0.0
                          readinesProbe:
                            httpGet: {path: /q/health/ready, port: 8080}
                """);

        assertThat(unknown).singleElement().asString().contains("readinesProbe");
    }
}
