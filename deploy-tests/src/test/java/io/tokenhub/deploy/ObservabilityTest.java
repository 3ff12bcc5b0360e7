package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The alerts and the Grafana dashboard the chart ships: rendered only when asked for, each alert complete, and every
 * TokenHub metric they query one the services really register (read from their sources, so a renamed metric fails
 * here instead of leaving an alert that can never fire).
 */
class ObservabilityTest {

    private static final Pattern METRIC = Pattern.compile("tokenhub_[a-z_]+");
    /** Names as the services register them, with dots or underscores; Prometheus shows both with underscores. */
    private static final Pattern REGISTERED = Pattern.compile("\"(tokenhub[._][a-z._]+)\"");
    /** What Prometheus appends to a registered name. */
    private static final Pattern SUFFIX = Pattern.compile("(_seconds)?(_total|_bucket|_count|_sum|_max)?$");

    private final Rendering rendering = new Rendering(
            "observability",
            Chart.template(
                    null, Map.of("metrics.prometheusRule.enabled", true, "metrics.grafanaDashboard.enabled", true)));

    @Test
    void nothingIsRenderedUnlessAskedFor() {
        Rendering defaults = Renderings.both().findFirst().orElseThrow();
        assertThat(defaults.ofKind("PrometheusRule")).isEmpty();
        assertThat(defaults.manifests()).noneMatch(m -> m.name().endsWith("-grafana-dashboard"));
    }

    @Test
    void everyAlertIsCompleteAndTheIssuesOnesAreThere() {
        List<JsonNode> rules = new ArrayList<>();
        rendering.ofKind("PrometheusRule").get(0).at("/spec/groups/0/rules").forEach(rules::add);
        for (JsonNode rule : rules) {
            assertThat(rule.path("expr").asText()).as(rule.toString()).isNotBlank();
            assertThat(rule.at("/labels/severity").asText()).isIn("warning", "critical");
            assertThat(rule.at("/annotations/summary").asText()).isNotBlank();
            assertThat(rule.path("expr").asText())
                    .as("scoped to the release's namespace")
                    .contains("namespace=\"" + Chart.NAMESPACE + "\"");
        }
        assertThat(rules.stream().map(r -> r.path("alert").asText()))
                .contains(
                        "TokenHubProviderDown",
                        "TokenHubErrorRateHigh",
                        "TokenHubBillingLag",
                        "TokenHubDeadLetters",
                        "TokenHubBudgetReached",
                        "TokenHubUsageShed");
    }

    @Test
    void theDashboardIsValidJsonWithAQueryInEveryPanel() throws IOException {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("tokenhub");
        assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(8);
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets")
                    .forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
        }
    }

    @Test
    void everyQueriedMetricIsOneTheServicesRegister() throws IOException {
        Set<String> registered = registeredMetrics();
        Set<String> queried = new HashSet<>();
        Matcher rules = METRIC.matcher(rendering.ofKind("PrometheusRule").get(0).toString());
        while (rules.find()) {
            queried.add(rules.group());
        }
        Matcher panels = METRIC.matcher(dashboard().toString());
        while (panels.find()) {
            queried.add(panels.group());
        }
        assertThat(queried).hasSizeGreaterThan(10);
        for (String metric : queried) {
            assertThat(registered).as(metric).contains(SUFFIX.matcher(metric).replaceFirst(""));
        }
    }

    private JsonNode dashboard() throws IOException {
        JsonNode configMap = rendering.get("ConfigMap", Chart.RELEASE + "-grafana-dashboard");
        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        return new ObjectMapper().readTree(configMap.at("/data/tokenhub.json").asText());
    }

    /** Every metric name a service's main sources register, as Prometheus writes it, without its suffixes. */
    private static Set<String> registeredMetrics() throws IOException {
        Set<String> names = new HashSet<>();
        for (String service : List.of("gateway-service", "routing-service", "billing-service", "health-monitor")) {
            try (Stream<Path> files = Files.walk(RepoPaths.ROOT.resolve(service).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    Matcher m = REGISTERED.matcher(read(f));
                    while (m.find()) {
                        names.add(SUFFIX.matcher(m.group(1).replace('.', '_')).replaceFirst(""));
                    }
                });
            }
        }
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
