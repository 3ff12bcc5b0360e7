package io.tokenhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhub.infra.ChildProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs src/test/node/validate.mjs (kubernetes-models) on rendered YAML files. */
final class NodeValidator {

    /**
     * Exit code and one line per object.
     *
     * @param exitCode 0 when every object validated
     * @param lines "valid ..." or "invalid ...: reason", one per object
     */
    record Result(int exitCode, List<String> lines) {

        List<String> valid() {
            return lines.stream().filter(l -> l.startsWith("valid ")).toList();
        }

        List<String> invalid() {
            return lines.stream().filter(l -> l.startsWith("invalid ")).toList();
        }
    }

    private NodeValidator() {}

    static Result validate(Path... files) throws IOException, InterruptedException {
        assertThat(RepoPaths.NODE_MODULES.resolve("kubernetes-models/package.json"))
                .as("kubernetes-models is not installed: run `npm ci --prefix deploy-tests` before Maven")
                .exists();
        List<String> command = new ArrayList<>(List.of("node", RepoPaths.VALIDATOR.toString()));
        for (Path f : files) {
            command.add(f.toString());
        }
        Process process = new ProcessBuilder(command)
                .directory(RepoPaths.MODULE.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ChildProcesses.awaitExit(process, Duration.ofMinutes(2)))
                .as("node finished")
                .isTrue();
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return new Result(process.exitValue(), lines);
    }
}
