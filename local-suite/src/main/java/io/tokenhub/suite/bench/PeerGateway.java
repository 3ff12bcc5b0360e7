package io.tokenhub.suite.bench;

import io.tokenhub.infra.ChildProcesses;
import io.tokenhub.infra.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The peer the benchmark measures TokenHub against: Portkey's open-source AI gateway (npm {@code @portkey-ai/gateway},
 * pinned in {@code bench/peer}), a Node process relaying OpenAI-format requests to the same OpenAI simulator, with no
 * authentication, rate limits or billing of its own.
 */
final class PeerGateway implements AutoCloseable {

    private final Process process;
    private final int port;
    private final String upstream;

    private PeerGateway(Process process, int port, String upstream) {
        this.process = process;
        this.port = port;
        this.upstream = upstream;
    }

    /** Starts the peer from {@code bench/peer/node_modules} (bench/run installs it), relaying to {@code upstream}. */
    static PeerGateway start(Path repoRoot, String upstream, Path log) {
        Path server = repoRoot.resolve("bench/peer/node_modules/@portkey-ai/gateway/build/start-server.js");
        if (!Files.isRegularFile(server)) {
            throw new IllegalStateException(server + " is missing: run `npm ci --prefix bench/peer` (bench/run does)");
        }
        int port = FreePorts.next();
        try {
            Process process = new ProcessBuilder(List.of("node", server.toString(), "--port=" + port, "--headless"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            PeerGateway peer = new PeerGateway(process, port, upstream);
            if (ChildProcesses.awaitOk(
                            process,
                            URI.create("http://127.0.0.1:" + port + "/"),
                            Duration.ofSeconds(60),
                            Duration.ofMillis(200))
                    != ChildProcesses.Readiness.READY) {
                peer.close();
                throw new IllegalStateException("the peer gateway did not start; see " + log);
            }
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Chat completions through the peer, with the headers that make Portkey relay to the simulator as OpenAI. */
    LoadGenerator.Target target(String apiKey) {
        return new LoadGenerator.Target(
                "Portkey",
                "http://127.0.0.1:" + port + "/v1/chat/completions",
                Map.of(
                        "authorization",
                        "Bearer " + apiKey,
                        "x-portkey-provider",
                        "openai",
                        "x-portkey-custom-host",
                        upstream));
    }

    long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
