package io.tokenhub.suite;

import java.nio.file.Path;
import java.util.Map;

/** What the suite-wide ITs share: the repository they run from and the suite started as command 1 starts it. */
final class SuiteTests {

    private SuiteTests() {
    }

    /** The repository root: Maven runs the ITs from the local-suite module unless told otherwise. */
    static Path repoRoot() {
        return Path.of(System.getProperty("tokenhub.repo.root", "..")).toAbsolutePath().normalize();
    }

    /** The whole suite on free ports with its data in {@code data}, {@code environment} added to every service's. */
    static LocalSuite start(Path data, Map<String, String> environment) {
        return LocalSuite.start(LocalSuite.freePorts(repoRoot(), data), environment);
    }
}
