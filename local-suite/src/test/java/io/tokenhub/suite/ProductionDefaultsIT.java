package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The services' built jars in the production profile, each given everything but one secret: none starts on a default
 * (no {@code postgres}/{@code postgres}), each stops at once and names what is missing. The dashboard, built after
 * this module, has the same test of its own (DashboardSecretsIT).
 */
class ProductionDefaultsIT {

    @TempDir
    Path logs;

    static Stream<Arguments> missingSecrets() {
        return Stream.of(
                Arguments.of("gateway-service", "QUARKUS_DATASOURCE_PASSWORD"),
                Arguments.of("gateway-service", "QUARKUS_DATASOURCE_USERNAME"),
                Arguments.of("gateway-service", "TOKENHUB_INTERNAL_SECRET"),
                Arguments.of("routing-service", "TOKENHUB_INTERNAL_SECRET"),
                Arguments.of("billing-service", "QUARKUS_DATASOURCE_PASSWORD"));
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("missingSecrets")
    void aServiceWithoutASecretRefusesToStart(String module, String missing) {
        SecretlessStart.Outcome outcome = SecretlessStart.without(SharedSuite.repoRoot(), module, missing, logs);
        assertTrue(outcome.exited(), module + " keeps running without " + missing);
        assertNotEquals(0, outcome.exitCode());
        String property = missing.toLowerCase(Locale.ROOT).replace('_', '.');
        assertTrue(outcome.output().contains(missing) || outcome.output().contains(property), outcome.output());
        assertFalse(outcome.output().contains("started in"), outcome.output());
    }
}
