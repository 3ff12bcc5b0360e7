package io.tokenhub.suite;

import io.tokenhub.infra.FreePorts;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where and on which ports the local suite runs.
 *
 * @param repoRoot the checkout, where each service's built fast-jar is found
 * @param dataDir Kafka and PostgreSQL data, logs, the demo key; kept between runs
 * @param gatewayPort public API port
 * @param routingPort routing-service port
 * @param billingPort billing-service port
 * @param healthPort health-monitor port
 * @param kafkaPort Kafka broker port
 * @param postgresPort embedded PostgreSQL port, unused when an external one is configured
 * @param simulatorPorts simulator port per provider
 * @param dashboardPort the dashboard's port; the dashboard and its dev OIDC issuer start only when it is positive,
 *     so suite tests that do not need it never wait for a module built after theirs
 * @param issuerPort the dev OIDC issuer's port, 0 for any free one
 */
public record SuiteOptions(
        Path repoRoot,
        Path dataDir,
        int gatewayPort,
        int routingPort,
        int billingPort,
        int healthPort,
        int kafkaPort,
        int postgresPort,
        Map<String, Integer> simulatorPorts,
        int dashboardPort,
        int issuerPort) {

    /** The same options with the dashboard started on a free port. */
    public SuiteOptions withDashboard() {
        return new SuiteOptions(
                repoRoot,
                dataDir,
                gatewayPort,
                routingPort,
                billingPort,
                healthPort,
                kafkaPort,
                postgresPort,
                simulatorPorts,
                FreePorts.next(),
                0);
    }
}
