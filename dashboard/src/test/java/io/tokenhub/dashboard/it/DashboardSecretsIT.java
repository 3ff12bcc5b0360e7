package io.tokenhub.dashboard.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.suite.SecretlessStart;
import io.tokenhub.suite.SharedSuite;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built dashboard in the production profile without one of its secrets: a known cookie key would let anyone forge
 * sessions, and no database password means none at all, so it must stop at start and name what is missing.
 */
class DashboardSecretsIT {

    @TempDir
    Path logs;

    @ParameterizedTest(name = "without {0}")
    @ValueSource(
            strings = {
                "QUARKUS_DATASOURCE_PASSWORD",
                "TOKENHUB_DASHBOARD_STATE_SECRET",
                "TOKENHUB_DASHBOARD_SESSION_SECRET"
            })
    void theDashboardWithoutASecretRefusesToStart(String missing) {
        SecretlessStart.Outcome outcome = SecretlessStart.without(SharedSuite.repoRoot(), "dashboard", missing, logs);
        assertTrue(outcome.exited(), "the dashboard keeps running without " + missing);
        assertNotEquals(0, outcome.exitCode());
        String property = missing.toLowerCase(Locale.ROOT).replace('_', '.');
        assertTrue(outcome.output().contains(missing) || outcome.output().contains(property), outcome.output());
        assertFalse(outcome.output().contains("started in"), outcome.output());
    }
}
