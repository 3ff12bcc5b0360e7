package io.tokenhub.suite.bench;

import io.tokenhub.infra.FreePorts;
import io.tokenhub.simulator.SimulatorServer;
import io.tokenhub.suite.LocalSuite;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A provider a network away (issue 18 item 5): the OpenAI simulator behind a {@link DelayRelay} holding each byte
 * {@link #ONE_WAY} in each direction, a 10 ms round trip. The prompt-size leg runs twice, one suite each, with
 * routing-service sending bodies larger than the provider's HTTP/2 stream window over HTTP/1.1 (the default) and
 * with every call on HTTP/2 ({@code large-bodies-over-http1=false}): over HTTP/2 a body may run only one window ahead
 * of the simulator's window updates, and here each of those costs a round trip. "Direct" goes through the relay too.
 */
final class FarProviderLeg {

    static final Duration ONE_WAY = Duration.ofMillis(5);

    private static final String SWITCH = "TOKENHUB_PROVIDERS_OPENAI_LARGE_BODIES_OVER_HTTP1";

    private FarProviderLeg() {}

    static void run(Path root, Path data, Vertx vertx, String simKey, PrintStream out) throws Exception {
        try (SimulatorServer simulator = SimulatorServer.start(Map.of("openai", FreePorts.next()));
                DelayRelay relay = DelayRelay.start(vertx, simulator.port("openai"), ONE_WAY)) {
            String baseUrl = "http://127.0.0.1:" + relay.port() + "/v1";
            LoadGenerator.Target direct = new LoadGenerator.Target(
                    "direct", baseUrl + "/chat/completions", Map.of("authorization", "Bearer " + simKey));
            for (boolean overHttp1 : List.of(true, false)) {
                String setting = SWITCH + "=" + overHttp1;
                out.printf("Provider %d ms away each way, %s...%n", ONE_WAY.toMillis(), setting);
                Map<String, String> environment = Map.of(
                        "TOKENHUB_PROVIDERS_OPENAI_BASE_URL",
                        baseUrl,
                        "TOKENHUB_PROVIDERS_OPENAI_API_KEY",
                        simKey,
                        SWITCH,
                        Boolean.toString(overHttp1));
                Path suiteData = data.resolve(overHttp1 ? "http1" : "http2");
                try (LocalSuite suite = LocalSuite.start(LocalSuite.freePorts(root, suiteData), environment)) {
                    List<PromptSizeLeg.Row> rows = PromptSizeLeg.measure(vertx, direct, Benchmark.tokenHub(suite));
                    out.printf(
                            "%nProvider %d ms away each way, %s, sequential non-streamed requests (milliseconds):%n%n",
                            ONE_WAY.toMillis(), setting);
                    PromptSizeLeg.print(out, rows);
                    out.println();
                }
            }
        }
    }
}
