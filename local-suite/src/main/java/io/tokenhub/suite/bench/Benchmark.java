package io.tokenhub.suite.bench;

import io.tokenhub.simulator.Behaviour;
import io.tokenhub.suite.LocalSuite;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The latency TokenHub adds and the throughput and concurrency it sustains, against calling the OpenAI simulator
 * directly and against a peer gateway (Portkey) relaying to the same simulator, all in one run on one machine, so
 * every figure is a ratio measured together: starts the suite as the run command does, warms it up, then measures
 * every target the same way. Usage: {@code Benchmark <repo root> [seconds per phase] [fixed rate] [connections]};
 * with {@code BENCH_LEG=prompt-size} in the environment, only the prompt-size leg ({@link PromptSizeLeg}), with
 * {@code BENCH_LEG=scale} only the accounts-and-models leg ({@link ScaleLeg}), with {@code BENCH_LEG=sweep} only the
 * concurrency sweep, with {@code BENCH_LEG=far-provider} only the prompt sizes against a provider a network away
 * ({@link FarProviderLeg}).
 */
public final class Benchmark {

    private static final int WARM_UP_SECONDS = 45;
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Benchmark: answer at once.\"}]}";
    private static final String STREAM_BODY = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"Benchmark: stream at once.\"}]}";
    /** The realistic leg's answer: 200 word-sized chunks, the way the simulator splits a reply. */
    private static final String LONG_REPLY = "word ".repeat(199) + "end.";
    /** The concurrency sweep's upstream: a short LLM call. */
    private static final Duration SLOW_UPSTREAM = Duration.ofSeconds(2);

    private static final List<Integer> SWEEP = List.of(100, 1_000, 5_000);
    private static final long MEMORY_SAMPLE_MILLIS = 200;
    private static final String SIM_KEY = "sim-openai-key";
    /** {@code BENCH_LEG=prompt-size} runs the prompt-size leg alone: a minute or two instead of the whole run. */
    private static final String PROMPT_SIZE_LEG = "prompt-size";
    /** {@code BENCH_LEG=scale}: 1 and 10,000 accounts, one model and many, alone. */
    private static final String SCALE_LEG = "scale";
    /** {@code BENCH_LEG=sweep}: the concurrency sweep alone, warmed up, without the peer: about three minutes. */
    private static final String SWEEP_LEG = "sweep";
    /** {@code BENCH_LEG=far-provider}: the prompt sizes with a 10 ms round trip to the provider, two suites, alone. */
    private static final String FAR_PROVIDER_LEG = "far-provider";
    /**
     * The plan of the scale leg's accounts: the demo account's limits (LocalSuite's "local" plan), so they pay for the
     * same rate-limit buckets and are never throttled, and a row differs from another only in accounts and models.
     */
    private static final Map<String, String> SCALE_PLAN = Map.of(
            "TOKENHUB_RATE_LIMITS_PLANS_DEFAULT_KEY_REQUESTS_PER_MINUTE", "60000000",
            "TOKENHUB_RATE_LIMITS_PLANS_DEFAULT_KEY_TOKENS_PER_MINUTE", "6000000000",
            "TOKENHUB_RATE_LIMITS_PLANS_DEFAULT_ACCOUNT_REQUESTS_PER_MINUTE", "60000000",
            "TOKENHUB_RATE_LIMITS_PLANS_DEFAULT_ACCOUNT_TOKENS_PER_MINUTE", "6000000000");

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        Duration phase = Duration.ofSeconds(seconds);
        Path data = Files.createTempDirectory("tokenhub-bench");
        out.printf("Starting the suite and the peer gateway (data and logs in %s)...%n", data);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        if (SCALE_LEG.equals(System.getenv("BENCH_LEG"))) {
            alone(root, data, vertx, SCALE_PLAN, suite -> {
                out.println("Scale: 1 and 10,000 accounts, one model and many, " + ScaleLeg.SERVICES + " CPU...");
                List<ScaleLeg.Row> rows = ScaleLeg.measure(vertx, suite, direct(suite), out);
                out.printf("%nScale, non-streamed, 200 req/s for 20 s per row (milliseconds; CPU in µs):%n%n");
                ScaleLeg.print(out, rows);
            });
            return;
        }
        if (SWEEP_LEG.equals(System.getenv("BENCH_LEG"))) {
            alone(root, data, vertx, Map.of(), suite -> {
                Map<String, Long> idle = suite.residentKb();
                // A cold JIT would add seconds to the first bursts: the same streamed warm-up as the whole run's.
                out.printf("Warming up: %d streams/s for %d s...%n", rate, WARM_UP_SECONDS);
                try (LoadGenerator warm = new LoadGenerator(vertx, tokenHub(suite), STREAM_BODY, true, connections)) {
                    warm.fixedRate(rate, Duration.ofSeconds(WARM_UP_SECONDS));
                }
                List<SweepRow> rows =
                        sweep(vertx, suite, List.of(direct(suite), tokenHub(suite)), suite::residentKb, out);
                Map<String, Long> after = suite.residentKb();
                printSweep(out, rows, idle);
                printMemory(out, idle, after);
            });
            return;
        }
        if (FAR_PROVIDER_LEG.equals(System.getenv("BENCH_LEG"))) {
            try {
                FarProviderLeg.run(root, data, vertx, SIM_KEY, out);
            } finally {
                vertx.close();
                deleteQuietly(data);
            }
            return;
        }
        if (PROMPT_SIZE_LEG.equals(System.getenv("BENCH_LEG"))) {
            alone(root, data, vertx, Map.of(), suite -> {
                out.println("Prompt size, sequential requests per size, direct and through TokenHub in turns...");
                List<PromptSizeLeg.Row> rows = PromptSizeLeg.measure(vertx, direct(suite), tokenHub(suite));
                out.printf("%nPrompt size, sequential non-streamed requests (milliseconds):%n%n");
                PromptSizeLeg.print(out, rows);
            });
            return;
        }
        try (LocalSuite suite = LocalSuite.start(LocalSuite.freePorts(root, data), Map.of());
                PeerGateway peer = PeerGateway.start(
                        root, suite.simulators().baseUrl("openai") + "/v1", data.resolve("logs/peer.log"))) {
            Map<String, Long> idle = memory(suite, peer);
            List<LoadGenerator.Target> targets = List.of(direct(suite), tokenHub(suite), peer.target(SIM_KEY));

            // Steady state is what the targets are about: the JIT needs tens of seconds at the measured rate on two
            // busy cores, and an overload warm-up would leave billing and Kafka a backlog to work off.
            out.printf("Warming up (JIT, connection pools): %d requests/s for %d s...%n", rate, WARM_UP_SECONDS);
            try (LoadGenerator warm = new LoadGenerator(vertx, targets.get(1), BODY, false, connections);
                    LoadGenerator warmStream =
                            new LoadGenerator(vertx, targets.get(1), STREAM_BODY, true, connections);
                    LoadGenerator warmPeer = new LoadGenerator(vertx, targets.get(2), BODY, false, connections)) {
                warm.fixedRate(rate, Duration.ofSeconds(WARM_UP_SECONDS - 15));
                warmStream.fixedRate(rate, Duration.ofSeconds(10));
                warmPeer.fixedRate(rate, Duration.ofSeconds(5));
            }

            out.printf(
                    "Non-streamed: %d requests/s for %d s, then %d connections for %d s, per target...%n",
                    rate, seconds, connections, seconds);
            Map<String, LoadGenerator.Result> fixed = new LinkedHashMap<>();
            Map<String, LoadGenerator.Result> max = new LinkedHashMap<>();
            for (LoadGenerator.Target target : targets) {
                try (LoadGenerator load = new LoadGenerator(vertx, target, BODY, false, connections)) {
                    fixed.put(target.name(), load.fixedRate(rate, phase));
                    max.put(target.name(), load.maxThroughput(connections, phase));
                }
            }
            out.printf("Streamed, instant upstream: %d streams/s for %d s per target...%n", rate, seconds);
            // An open loop must never wait for a connection: a realistic stream lasts about 0.5 s, so a pool of
            // `connections` would cap the rate and turn the leg into a queue measurement.
            int streamConnections = Math.max(connections, 4 * rate);
            Map<String, LoadGenerator.Result> streamed = streamed(vertx, targets, rate, phase, streamConnections);
            out.printf(
                    "Streamed, realistic upstream (50 ms, then 200 chunks 2 ms apart): %d streams/s for %d s...%n",
                    rate, seconds);
            suite.simulators()
                    .behave(
                            "openai",
                            Behaviour.builder()
                                    .latencyMs(50)
                                    .chunkDelayMs(2)
                                    .reply(LONG_REPLY)
                                    .build());
            Map<String, LoadGenerator.Result> realistic;
            try {
                realistic = streamed(vertx, targets, rate, phase, streamConnections);
            } finally {
                suite.simulators().reset("openai");
            }

            List<SweepRow> sweep = sweep(vertx, suite, targets.subList(0, 2), () -> memory(suite, peer), out);
            out.println("Prompt size: 1 KB, 100 KB and 1 MB user messages, sequential, direct and through TokenHub...");
            List<PromptSizeLeg.Row> sizes = PromptSizeLeg.measure(vertx, targets.get(0), targets.get(1));
            Map<String, Long> after = memory(suite, peer);

            out.println();
            out.printf("Non-streamed, %d req/s for %d s (milliseconds):%n%n", rate, seconds);
            latencyTable(out, fixed, false);
            out.printf("%nMaximum throughput, %d connections for %d s:%n%n", connections, seconds);
            out.println("| target | requests/s | failed |");
            out.println("|---|---|---|");
            max.forEach(
                    (name, r) -> out.printf(Locale.ROOT, "| %s | %.0f | %d |%n", name, r.perSecond(), r.failures()));
            out.printf(
                    Locale.ROOT,
                    "%nTokenHub's throughput is %.2f times the peer's.%n",
                    max.get("TokenHub").perSecond() / max.get("Portkey").perSecond());
            out.printf("%nStreamed, instant upstream, %d streams/s for %d s (milliseconds):%n%n", rate, seconds);
            latencyTable(out, streamed, true);
            out.printf(
                    "%nStreamed, realistic upstream (50 ms + 200 chunks), %d streams/s for %d s (milliseconds):%n%n",
                    rate, seconds);
            latencyTable(out, realistic, true);
            printSweep(out, sweep, idle);
            out.printf("%nPrompt size, sequential non-streamed requests (milliseconds):%n%n");
            PromptSizeLeg.print(out, sizes);
            printMemory(out, idle, after);
        } finally {
            vertx.close();
            deleteQuietly(data);
        }
    }

    /** A leg that runs alone on a suite of its own. */
    private interface Leg {
        void run(LocalSuite suite) throws InterruptedException;
    }

    /** Starts the suite with {@code environment}, runs {@code leg}, then stops everything and removes the data. */
    private static void alone(Path root, Path data, Vertx vertx, Map<String, String> environment, Leg leg)
            throws InterruptedException {
        try (LocalSuite suite = LocalSuite.start(LocalSuite.freePorts(root, data), environment)) {
            leg.run(suite);
        } finally {
            vertx.close();
            deleteQuietly(data);
        }
    }

    private static LoadGenerator.Target direct(LocalSuite suite) {
        return new LoadGenerator.Target(
                "direct",
                suite.simulators().baseUrl("openai") + "/v1/chat/completions",
                Map.of("authorization", "Bearer " + SIM_KEY));
    }

    static LoadGenerator.Target tokenHub(LocalSuite suite) {
        return new LoadGenerator.Target(
                "TokenHub",
                suite.gatewayUrl() + "/v1/chat/completions",
                Map.of("authorization", "Bearer " + suite.demoKey()));
    }

    private static Map<String, LoadGenerator.Result> streamed(
            Vertx vertx, List<LoadGenerator.Target> targets, int rate, Duration phase, int connections)
            throws InterruptedException {
        Map<String, LoadGenerator.Result> results = new LinkedHashMap<>();
        for (LoadGenerator.Target target : targets) {
            try (LoadGenerator load = new LoadGenerator(vertx, target, STREAM_BODY, true, connections)) {
                results.put(target.name(), load.fixedRate(rate, phase));
            }
        }
        return results;
    }

    /** Every sweep size against each of {@code targets}, the upstream answering after {@link #SLOW_UPSTREAM}. */
    private static List<SweepRow> sweep(
            Vertx vertx,
            LocalSuite suite,
            List<LoadGenerator.Target> targets,
            Supplier<Map<String, Long>> memory,
            PrintStream out)
            throws InterruptedException {
        out.printf(
                "Concurrency sweep, upstream answering after %d s: %s concurrent streams...%n",
                SLOW_UPSTREAM.toSeconds(), SWEEP);
        suite.simulators()
                .behave(
                        "openai",
                        Behaviour.builder().latencyMs(SLOW_UPSTREAM.toMillis()).build());
        List<SweepRow> rows = new ArrayList<>();
        try {
            for (int clients : SWEEP) {
                for (LoadGenerator.Target target : targets) {
                    rows.add(burst(vertx, target, clients, memory));
                }
            }
        } finally {
            suite.simulators().reset("openai");
        }
        return rows;
    }

    private static void printSweep(PrintStream out, List<SweepRow> rows, Map<String, Long> idle) {
        out.printf(
                "%nConcurrency sweep, every stream sent at once, upstream answering after %d s (milliseconds; "
                        + "memory growth over idle per in-flight stream):%n%n",
                SLOW_UPSTREAM.toSeconds());
        out.println("| clients | target | first byte p50 | p50 | p99 | max | failed | streams/s | KB per stream |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (SweepRow row : rows) {
            LoadGenerator.Result r = row.result();
            out.printf(
                    Locale.ROOT,
                    "| %d | %s | %.1f | %.1f | %.1f | %.1f | %d | %.0f | %s |%n",
                    row.clients(),
                    row.target(),
                    r.firstByteMillis(50),
                    r.totalMillis(50),
                    r.totalMillis(99),
                    r.totalMillis(100),
                    r.failures(),
                    r.perSecond(),
                    row.perStream(idle));
        }
        out.printf("%nHighest resident memory of each process during the TokenHub bursts (MB):%n%n");
        out.println("| clients | " + String.join(" | ", idle.keySet()) + " |");
        out.println("|---|" + "---|".repeat(idle.size()));
        for (SweepRow row : rows) {
            if ("TokenHub".equals(row.target())) {
                StringBuilder line =
                        new StringBuilder("| ").append(row.clients()).append(" |");
                idle.keySet()
                        .forEach(name -> line.append(String.format(
                                Locale.ROOT, " %.0f |", row.peakKb().getOrDefault(name, -1L) / 1024.0)));
                out.println(line);
            }
        }
    }

    private static void printMemory(PrintStream out, Map<String, Long> idle, Map<String, Long> after) {
        out.println();
        out.println("| process | resident MB at idle | after the run |");
        out.println("|---|---|---|");
        idle.forEach((name, kb) -> out.printf(
                Locale.ROOT, "| %s | %.0f | %.0f |%n", name, kb / 1024.0, after.getOrDefault(name, -1L) / 1024.0));
    }

    /**
     * One burst of {@code clients} concurrent streams, with each process's highest resident memory while it lasts:
     * sampled every {@link #MEMORY_SAMPLE_MILLIS}, since the peak comes when the answers stream back, not before.
     */
    private static SweepRow burst(
            Vertx vertx, LoadGenerator.Target target, int clients, Supplier<Map<String, Long>> memory)
            throws InterruptedException {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        Map<String, Long> peak = new ConcurrentHashMap<>();
        try (LoadGenerator load = new LoadGenerator(vertx, target, STREAM_BODY, true, clients)) {
            sampler.scheduleAtFixedRate(
                    () -> memory.get().forEach((name, kb) -> peak.merge(name, kb, Math::max)),
                    0,
                    MEMORY_SAMPLE_MILLIS,
                    TimeUnit.MILLISECONDS);
            LoadGenerator.Result result = load.burst(clients, Duration.ofMinutes(3));
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            return new SweepRow(clients, target.name(), result, Map.copyOf(peak));
        } finally {
            sampler.shutdownNow();
        }
    }

    /** One line of the sweep: who was measured, how it went, and each process's peak memory during the burst. */
    private record SweepRow(int clients, String target, LoadGenerator.Result result, Map<String, Long> peakKb) {

        String perStream(Map<String, Long> idleKb) {
            if (!"TokenHub".equals(target) || peakKb.isEmpty()) {
                return "";
            }
            StringBuilder text = new StringBuilder();
            for (String service : List.of("gateway-service", "routing-service")) {
                long grown = peakKb.getOrDefault(service, 0L) - idleKb.getOrDefault(service, 0L);
                text.append(text.length() == 0 ? "" : ", ")
                        .append(service.replace("-service", ""))
                        .append(' ')
                        .append(String.format(Locale.ROOT, "%.1f", Math.max(0, grown) / (double) clients));
            }
            return text.toString();
        }
    }

    private static Map<String, Long> memory(LocalSuite suite, PeerGateway peer) {
        Map<String, Long> kb = new LinkedHashMap<>(suite.residentKb());
        kb.put("Portkey (peer)", peer.residentKb());
        return kb;
    }

    private static void latencyTable(PrintStream out, Map<String, LoadGenerator.Result> results, boolean stream) {
        LoadGenerator.Result direct = results.get("direct");
        if (stream) {
            out.println("| target | first chunk p50 | first chunk p99 | last chunk p50 | last chunk p99 | failed |");
            out.println("|---|---|---|---|---|---|");
            results.forEach((name, r) -> out.printf(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %.2f | %.2f | %d |%n",
                    name,
                    r.firstByteMillis(50),
                    r.firstByteMillis(99),
                    r.totalMillis(50),
                    r.totalMillis(99),
                    r.failures()));
            results.forEach((name, r) -> {
                if (r != direct) {
                    out.printf(
                            Locale.ROOT,
                            "| added by %s | %.2f | %.2f | %.2f | %.2f | |%n",
                            name,
                            r.firstByteMillis(50) - direct.firstByteMillis(50),
                            r.firstByteMillis(99) - direct.firstByteMillis(99),
                            r.totalMillis(50) - direct.totalMillis(50),
                            r.totalMillis(99) - direct.totalMillis(99));
                }
            });
            return;
        }
        out.println("| target | p50 | p90 | p99 | max | failed |");
        out.println("|---|---|---|---|---|---|");
        results.forEach((name, r) -> out.printf(
                Locale.ROOT,
                "| %s | %.2f | %.2f | %.2f | %.2f | %d |%n",
                name,
                r.totalMillis(50),
                r.totalMillis(90),
                r.totalMillis(99),
                r.totalMillis(100),
                r.failures()));
        results.forEach((name, r) -> {
            if (r != direct) {
                out.printf(
                        Locale.ROOT,
                        "| added by %s | %.2f | %.2f | %.2f | | |%n",
                        name,
                        r.totalMillis(50) - direct.totalMillis(50),
                        r.totalMillis(90) - direct.totalMillis(90),
                        r.totalMillis(99) - direct.totalMillis(99));
            }
        });
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp folder left behind is harmless.
        }
    }
}
