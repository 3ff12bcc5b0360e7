package io.tokenhub.suite.bench;

import io.tokenhub.suite.LocalSuite;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/**
 * The latency TokenHub adds and the throughput it sustains, against calling the OpenAI simulator directly, in one run
 * on one machine: starts the suite as the run command does, warms it up, then measures both targets the same way.
 * Usage: {@code Benchmark <repo root> [seconds per phase] [fixed rate] [connections]}.
 */
public final class Benchmark {

    private static final int WARM_UP_SECONDS = 45;
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Benchmark: answer at once.\"}]}";

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        Path data = Files.createTempDirectory("tokenhub-bench");
        out.printf("Starting the suite (data and logs in %s)...%n", data);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try (LocalSuite suite = LocalSuite.start(LocalSuite.freePorts(root, data), Map.of())) {
            String direct = suite.simulators().baseUrl("openai") + "/v1/chat/completions";
            String gateway = suite.gatewayUrl() + "/v1/chat/completions";
            try (LoadGenerator viaDirect = new LoadGenerator(vertx, direct, "sim-openai-key", BODY, connections);
                    LoadGenerator viaSuite = new LoadGenerator(vertx, gateway, suite.demoKey(), BODY, connections)) {
                // Steady state is what the targets are about: the JIT needs tens of seconds at the measured rate on
                // two busy cores, and an overload warm-up would leave billing and Kafka a backlog to work off during
                // the fixed-rate phase.
                out.printf("Warming up (JIT, connection pools): %d requests/s for %d s...%n", rate, WARM_UP_SECONDS);
                viaSuite.fixedRate(rate, Duration.ofSeconds(WARM_UP_SECONDS));
                viaDirect.maxThroughput(connections, Duration.ofSeconds(5));

                out.printf("Fixed rate: %d requests/s for %d s each, direct then through the suite...%n", rate,
                        seconds);
                LoadGenerator.Result directFixed = viaDirect.fixedRate(rate, Duration.ofSeconds(seconds));
                LoadGenerator.Result suiteFixed = viaSuite.fixedRate(rate, Duration.ofSeconds(seconds));
                out.printf("Maximum throughput: %d connections for %d s each...%n", connections, seconds);
                LoadGenerator.Result directMax = viaDirect.maxThroughput(connections, Duration.ofSeconds(seconds));
                LoadGenerator.Result suiteMax = viaSuite.maxThroughput(connections, Duration.ofSeconds(seconds));
                Map<String, Long> rss = suite.residentKb();

                out.println();
                out.printf("| %d req/s, %d s | p50 ms | p90 ms | p99 ms | max ms | failed |%n", rate, seconds);
                out.println("|---|---|---|---|---|---|");
                row(out, "simulator direct", directFixed);
                row(out, "through gateway + routing", suiteFixed);
                out.printf(Locale.ROOT, "| added by TokenHub | %.2f | %.2f | %.2f | | |%n",
                        suiteFixed.percentileMillis(50) - directFixed.percentileMillis(50),
                        suiteFixed.percentileMillis(90) - directFixed.percentileMillis(90),
                        suiteFixed.percentileMillis(99) - directFixed.percentileMillis(99));
                out.println();
                out.printf("| max throughput, %d connections | requests/s | failed |%n", connections);
                out.println("|---|---|---|");
                out.printf(Locale.ROOT, "| simulator direct | %.0f | %d |%n", directMax.perSecond(),
                        directMax.failures());
                out.printf(Locale.ROOT, "| through gateway + routing | %.0f | %d |%n", suiteMax.perSecond(),
                        suiteMax.failures());
                out.println();
                out.println("| service | resident MB after the run |");
                out.println("|---|---|");
                rss.forEach((service, kb) -> out.printf(Locale.ROOT, "| %s | %.0f |%n", service, kb / 1024.0));
            }
        } finally {
            vertx.close();
            deleteQuietly(data);
        }
    }

    private static void row(PrintStream out, String name, LoadGenerator.Result r) {
        out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %d |%n", name, r.percentileMillis(50),
                r.percentileMillis(90), r.percentileMillis(99), r.percentileMillis(100), r.failures());
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp folder left behind is harmless.
        }
    }
}
