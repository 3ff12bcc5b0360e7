package io.tokenhub.suite;

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
        Map<String, Integer> simulatorPorts) {}
