package io.tokenhub.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.infra.ChildProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the providers' official SDKs (conformance/simulators/*.test.mjs, {@code node --test}) against the five
 * simulators started here on free ports: the proof that each simulator speaks its provider's real wire format. Fails,
 * never skips, when Node or {@code conformance/node_modules} is missing: run {@code npm ci --prefix conformance}
 * first.
 */
class ProviderSdkConformanceTest {

    private static final System.Logger LOG = System.getLogger(ProviderSdkConformanceTest.class.getName());
    private static final Path CONFORMANCE =
            Path.of("..", "conformance").toAbsolutePath().normalize();
    private static final long TIMEOUT_MINUTES = 5;

    @Test
    void officialSdksAcceptTheSimulators() throws IOException, InterruptedException {
        assertTrue(
                Files.isDirectory(CONFORMANCE.resolve("node_modules")),
                CONFORMANCE.resolve("node_modules")
                        + " is missing: run `npm ci --prefix conformance` in the repository root before Maven");
        try (SimulatorServer simulators = SimulatorServer.startOnFreePorts()) {
            // File paths, not the folder: Node 21 and later no longer take a directory after --test.
            List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
            try (Stream<Path> files = Files.list(CONFORMANCE.resolve("simulators"))) {
                files.filter(f -> f.toString().endsWith(".test.mjs"))
                        .sorted()
                        .forEach(f -> command.add(CONFORMANCE.relativize(f).toString()));
            }
            assertTrue(command.size() > 3, "no *.test.mjs in " + CONFORMANCE.resolve("simulators"));
            ProcessBuilder node =
                    new ProcessBuilder(command).directory(CONFORMANCE.toFile()).redirectErrorStream(true);
            for (String provider : SimulatorServer.DEFAULT_PORTS.keySet()) {
                node.environment()
                        .put(
                                "TOKENHUB_SIM_" + provider.toUpperCase(Locale.ROOT) + "_PORT",
                                Integer.toString(simulators.port(provider)));
            }
            Process process = node.start();
            Thread pump = new Thread(() -> copyToLog(process), "node-output");
            pump.start();
            boolean finished = ChildProcesses.awaitExit(process, Duration.ofMinutes(TIMEOUT_MINUTES));
            pump.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue(finished, "node --test did not finish within " + TIMEOUT_MINUTES + " minutes");
            assertEquals(0, process.exitValue(), "the SDK conformance tests failed; see the node output above");
        }
    }

    private static void copyToLog(Process process) {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                LOG.log(System.Logger.Level.INFO, "[node] " + line);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "lost node's output", e);
        }
    }
}
