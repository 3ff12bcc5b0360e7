package io.tokenhub.suite;

import io.tokenhub.common.events.Topics;
import io.tokenhub.infra.DevOidcIssuer;
import io.tokenhub.infra.DevTokens;
import io.tokenhub.infra.FreePorts;
import io.tokenhub.infra.KafkaBroker;
import io.tokenhub.infra.LocalPostgres;
import io.tokenhub.simulator.SimulatorServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The whole TokenHub suite on one machine with embedded defaults: a real Kafka broker (KRaft), a real PostgreSQL
 * (embedded unless {@code QUARKUS_DATASOURCE_JDBC_URL} names one), the provider simulators (for every provider whose
 * {@code TOKENHUB_PROVIDERS_<P>_BASE_URL} is not set), the four services, each in its own JVM, and, when the options
 * give it a port, the dashboard with a dev OIDC issuer to sign in at. Used by the run
 * command, the end-to-end tests and the benchmark alike, so all three exercise the same wiring.
 */
public final class LocalSuite implements AutoCloseable {

    private static final String DEMO_ACCOUNT = "demo";

    /** The services in start order: each one's dependencies come before it. */
    static final List<String> SERVICES =
            List.of("health-monitor", "billing-service", "routing-service", "gateway-service");

    /** The web dashboard, started after the services it calls when the options give it a port. */
    static final String DASHBOARD = "dashboard";

    /**
     * Management ports (health, metrics, OpenAPI) beside the contract's API ports, as each service's
     * application.properties sets them; a service on any other port gets a free management port too.
     */
    private static final Map<Integer, Integer> CONTRACT_MANAGEMENT_PORTS =
            Map.of(8080, 9080, 8081, 9081, 8082, 9082, 8083, 9083, 8084, 9084);

    /** Who may sign in to the local dashboard (password {@link DevOidcIssuer#PASSWORD}). */
    public static final List<DevOidcIssuer.User> DASHBOARD_USERS = List.of(
            new DevOidcIssuer.User("member", DEMO_ACCOUNT, Set.of("tokenhub-member")),
            new DevOidcIssuer.User("admin", DEMO_ACCOUNT, Set.of("tokenhub-member", "tokenhub-admin")),
            new DevOidcIssuer.User("other", "other", Set.of("tokenhub-member")));

    private final SuiteOptions options;
    private final Map<String, String> environment;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private KafkaBroker kafka;
    private SimulatorServer simulators;
    private DevTokens tokens;
    private DevOidcIssuer issuer;
    private String demoKey;
    private Map<String, String> serviceEnvironment = Map.of();

    private LocalSuite(SuiteOptions options, Map<String, String> environment) {
        this.options = options;
        this.environment = environment;
    }

    /** Starts everything and waits until every service is ready; on failure stops what it started. */
    public static LocalSuite start(SuiteOptions options, Map<String, String> environment) {
        LocalSuite suite = new LocalSuite(options, environment);
        try {
            suite.startAll();
            return suite;
        } catch (RuntimeException e) {
            suite.close();
            throw e;
        }
    }

    private void startAll() {
        Path logs = dir(options.dataDir().resolve("logs"));
        String jdbcUrl = environment.get("QUARKUS_DATASOURCE_JDBC_URL");
        boolean embeddedPostgres = jdbcUrl == null || jdbcUrl.isBlank();
        // PostgreSQL starts beside Kafka rather than after it: each takes seconds, mostly waiting on its own process.
        // On a thread of its own: the common pool is a single thread on two cores, and may be busy.
        CompletableFuture<LocalPostgres> postgresStart = embeddedPostgres
                ? CompletableFuture.supplyAsync(
                        () -> LocalPostgres.start(options.dataDir().resolve("postgres"), options.postgresPort()),
                        task -> new Thread(task, "postgres-start").start())
                : null;
        LocalPostgres postgres = null;
        try {
            kafka = KafkaBroker.start(
                    dir(options.dataDir().resolve("kafka")), options.kafkaPort(), logs.resolve("kafka.log"));
            started.add(kafka);
        } finally {
            // Whether or not Kafka came up, a PostgreSQL that did is this suite's to stop.
            if (postgresStart != null) {
                postgres = joined(postgresStart);
                started.add(postgres);
            }
        }
        kafka.createTopics(List.of(
                new NewTopic(Topics.USAGE, 6, (short) 1),
                new NewTopic(Topics.USAGE_DEAD_LETTER, 1, (short) 1),
                new NewTopic(Topics.PROVIDER_OUTCOMES, 3, (short) 1)
                        .configs(Map.of(
                                "retention.ms",
                                Long.toString(Duration.ofHours(6).toMillis()))),
                new NewTopic(Topics.PROVIDER_AVAILABILITY, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(Topics.SPEND, 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))));

        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        if (postgres != null) {
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
            env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        } else {
            env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
            env.put("QUARKUS_DATASOURCE_USERNAME", environment.getOrDefault("QUARKUS_DATASOURCE_USERNAME", ""));
            env.put("QUARKUS_DATASOURCE_PASSWORD", environment.getOrDefault("QUARKUS_DATASOURCE_PASSWORD", ""));
        }

        Map<String, Integer> simulated = new LinkedHashMap<>();
        options.simulatorPorts().forEach((provider, port) -> {
            if (configured(baseUrlVariable(provider)) == null) {
                simulated.put(provider, port);
            }
        });
        simulators = SimulatorServer.start(simulated);
        started.add(simulators);
        for (String provider : options.simulatorPorts().keySet()) {
            String upper = provider.toUpperCase(Locale.ROOT);
            String baseUrl = configured(baseUrlVariable(provider));
            if (baseUrl == null && simulated.containsKey(provider)) {
                baseUrl = simulatedBaseUrl(provider);
            }
            if (baseUrl != null) {
                env.put(baseUrlVariable(provider), baseUrl);
                String key = configured("TOKENHUB_PROVIDERS_" + upper + "_API_KEY");
                env.put("TOKENHUB_PROVIDERS_" + upper + "_API_KEY", key != null ? key : "sim-" + provider + "-key");
            }
        }

        tokens = DevTokens.generate();
        env.put("QUARKUS_OIDC_PUBLIC_KEY", tokens.publicKey());
        env.put("QUARKUS_OIDC_TOKEN_ISSUER", DevTokens.ISSUER);
        env.put("TOKENHUB_INTERNAL_SECRET", randomSecret());
        env.put("TOKENHUB_GATEWAY_ROUTING_URL", "http://127.0.0.1:" + options.routingPort());
        env.put("TOKENHUB_DEMO_ENABLED", "true");
        env.put("TOKENHUB_DEMO_ACCOUNT", DEMO_ACCOUNT);
        Path demoKeyFile = options.dataDir().resolve("demo-key");
        env.put("TOKENHUB_DEMO_KEY_FILE", demoKeyFile.toString());
        environment.forEach((k, v) -> {
            // QUARKUS_OTEL_*: traces on for the run, as docs/operations.md tells an operator (EdgeIT does).
            if ((k.startsWith("TOKENHUB_") || k.startsWith("QUARKUS_OTEL_")) && !env.containsKey(k)) {
                env.put(k, v);
            }
        });
        // The demo account is on a plan whose limits the benchmark cannot reach, so it measures the limiter's cost
        // without being throttled; TOKENHUB_RATE_LIMITS_ACCOUNTS_DEMO=default (or a Redis in
        // TOKENHUB_RATE_LIMITS_REDIS_URL) tries the real thing.
        // routing-service's usage spool outlives its process, as a volume would in Kubernetes, so a killed routing
        // sends on start what it had answered and not yet published.
        env.putIfAbsent(
                "TOKENHUB_USAGE_SPOOL_DIR",
                options.dataDir().resolve("usage-spool").toAbsolutePath().toString());
        env.putIfAbsent("TOKENHUB_RATE_LIMITS_ACCOUNTS_DEMO", "local");
        env.putIfAbsent("TOKENHUB_RATE_LIMITS_PLANS_LOCAL_KEY_REQUESTS_PER_MINUTE", "60000000");
        env.putIfAbsent("TOKENHUB_RATE_LIMITS_PLANS_LOCAL_KEY_TOKENS_PER_MINUTE", "6000000000");
        env.putIfAbsent("TOKENHUB_RATE_LIMITS_PLANS_LOCAL_ACCOUNT_REQUESTS_PER_MINUTE", "60000000");
        env.putIfAbsent("TOKENHUB_RATE_LIMITS_PLANS_LOCAL_ACCOUNT_TOKENS_PER_MINUTE", "6000000000");
        this.serviceEnvironment = Map.copyOf(env);

        Map<String, Integer> ports = Map.of(
                "gateway-service",
                options.gatewayPort(),
                "routing-service",
                options.routingPort(),
                "billing-service",
                options.billingPort(),
                "health-monitor",
                options.healthPort());
        for (String module : SERVICES) {
            int port = ports.get(module);
            ServiceProcess service =
                    ServiceProcess.start(options.repoRoot(), module, port, managementPort(port), env, logs);
            services.put(module, service);
            started.add(service);
        }
        if (options.dashboardPort() > 0) {
            issuer = DevOidcIssuer.start(tokens, DASHBOARD_USERS, options.issuerPort());
            started.add(issuer);
            ServiceProcess dashboard = ServiceProcess.start(
                    options.repoRoot(),
                    DASHBOARD,
                    options.dashboardPort(),
                    managementPort(options.dashboardPort()),
                    dashboardEnvironment(env),
                    logs);
            services.put(DASHBOARD, dashboard);
            started.add(dashboard);
        }
        for (ServiceProcess service : services.values()) {
            service.awaitReady(Duration.ofSeconds(180));
        }
        try {
            demoKey = Files.readString(demoKeyFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway did not write the demo key to " + demoKeyFile, e);
        }
    }

    /**
     * The dashboard signs users in at the dev issuer (not with the services' public key) and calls the services on
     * the ports this suite gave them.
     */
    private Map<String, String> dashboardEnvironment(Map<String, String> env) {
        Map<String, String> out = new HashMap<>(env);
        out.remove("QUARKUS_OIDC_PUBLIC_KEY");
        out.remove("QUARKUS_OIDC_TOKEN_ISSUER");
        out.put("QUARKUS_OIDC_AUTH_SERVER_URL", issuer.url());
        out.put("QUARKUS_OIDC_CLIENT_ID", DevOidcIssuer.CLIENT_ID);
        out.put("TOKENHUB_DASHBOARD_GATEWAY_URL", "http://127.0.0.1:" + options.gatewayPort());
        out.put("TOKENHUB_DASHBOARD_ROUTING_URL", "http://127.0.0.1:" + options.routingPort());
        out.put("TOKENHUB_DASHBOARD_BILLING_URL", "http://127.0.0.1:" + options.billingPort());
        out.put("TOKENHUB_DASHBOARD_HEALTH_URL", "http://127.0.0.1:" + options.healthPort());
        // Fresh at every start, like the internal secret: the dashboard has no default for them.
        out.put("TOKENHUB_DASHBOARD_STATE_SECRET", randomSecret());
        out.put("TOKENHUB_DASHBOARD_SESSION_SECRET", randomSecret());
        return out;
    }

    /** Whether the options gave the dashboard a port, so it runs. */
    public boolean hasDashboard() {
        return services.containsKey(DASHBOARD);
    }

    /** The dashboard's URL; only when the options started it. */
    public String dashboardUrl() {
        return services.get(DASHBOARD).baseUrl();
    }

    /** Stops a service the way a crash would, to see how the others and the dashboard cope. */
    public void kill(String module) {
        services.get(module).kill();
    }

    /**
     * Starts a stopped or killed service again on its port with the environment it had (so routing-service finds
     * its usage spool), and waits until it is ready.
     */
    public void restart(String module) {
        ServiceProcess old = services.get(module);
        old.kill();
        ServiceProcess service = ServiceProcess.start(
                options.repoRoot(), module, old.port(), old.managementPort(), serviceEnvironment, logDir());
        started.set(started.indexOf(old), service);
        services.put(module, service);
        service.awaitReady(Duration.ofSeconds(180));
    }

    public String gatewayUrl() {
        return services.get("gateway-service").baseUrl();
    }

    public String serviceUrl(String module) {
        return services.get(module).baseUrl();
    }

    /** Where {@code module} serves health, metrics and its OpenAPI document: its management interface. */
    public String managementUrl(String module) {
        return services.get(module).managementUrl();
    }

    private static int managementPort(int port) {
        Integer contract = CONTRACT_MANAGEMENT_PORTS.get(port);
        return contract != null ? contract : FreePorts.next();
    }

    public String demoKey() {
        return demoKey;
    }

    public String demoAccount() {
        return DEMO_ACCOUNT;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public SimulatorServer simulators() {
        return simulators;
    }

    /** A dashboard token for {@code account} with {@code roles}, verified by the services like any OIDC token. */
    public String dashboardToken(String account, Set<String> roles, Duration ttl) {
        return tokens.mint("local-user", account, roles, ttl);
    }

    /**
     * The rate-limit plan the demo account is on, read from the environment the services were given, for the banner:
     * its name and, for a plan set there, each limit by its configuration suffix ({@code key-requests-per-minute}).
     */
    public DemoPlan demoPlan() {
        String name = serviceEnvironment.getOrDefault("TOKENHUB_RATE_LIMITS_ACCOUNTS_DEMO", "default");
        String prefix = "TOKENHUB_RATE_LIMITS_PLANS_" + name.toUpperCase(Locale.ROOT) + "_";
        Map<String, Long> limits = new TreeMap<>();
        serviceEnvironment.forEach((variable, value) -> {
            if (variable.startsWith(prefix)) {
                limits.put(
                        variable.substring(prefix.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '-'),
                        Long.parseLong(value));
            }
        });
        return new DemoPlan(name, limits);
    }

    /** A plan's name and the limits set for it in the services' environment; empty when it comes from the defaults. */
    public record DemoPlan(String name, Map<String, Long> limits) {}

    /** Resident memory per service, in kilobytes. */
    public Map<String, Long> residentKb() {
        Map<String, Long> out = new LinkedHashMap<>();
        services.forEach((name, service) -> out.put(name, service.residentKb()));
        return out;
    }

    public Map<String, Long> pids() {
        Map<String, Long> out = new LinkedHashMap<>();
        services.forEach((name, service) -> out.put(name, service.pid()));
        return out;
    }

    public Path logDir() {
        return options.dataDir().resolve("logs");
    }

    /** Where Kafka, PostgreSQL, the logs and the demo key live. */
    public Path dataDir() {
        return options.dataDir();
    }

    /** The PostgreSQL the services use. */
    public Database database() {
        return new Database(
                serviceEnvironment.get("QUARKUS_DATASOURCE_JDBC_URL"),
                serviceEnvironment.get("QUARKUS_DATASOURCE_USERNAME"),
                serviceEnvironment.get("QUARKUS_DATASOURCE_PASSWORD"));
    }

    /**
     * Where the services keep their data.
     *
     * @param jdbcUrl the JDBC URL
     * @param username the user
     * @param password the password
     */
    public record Database(String jdbcUrl, String username, String password) {}

    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                // Keep stopping the rest; a half-stopped suite is worse than a noisy one.
            }
        }
        started.clear();
    }

    /** What {@code start} gave, or the exception it threw as it threw it. */
    private static <T> T joined(CompletableFuture<T> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The simulator's base URL in the form the provider's SDK uses; null when this build has no simulator for it. */
    private String simulatedBaseUrl(String provider) {
        try {
            return simulators.sdkBaseUrl(provider);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String configured(String variable) {
        String value = environment.get(variable);
        return value == null || value.isBlank() ? null : value;
    }

    private static String baseUrlVariable(String provider) {
        return "TOKENHUB_PROVIDERS_" + provider.toUpperCase(Locale.ROOT) + "_BASE_URL";
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Path dir(Path path) {
        try {
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Options for a run on the contract's ports, with data under {@code dataDir}. */
    public static SuiteOptions contractPorts(Path repoRoot, Path dataDir) {
        return new SuiteOptions(
                repoRoot,
                dataDir,
                8080,
                8081,
                8082,
                8083,
                FreePorts.isFree(9092) ? 9092 : 0,
                FreePorts.isFree(5432) ? 5432 : 0,
                SimulatorServer.DEFAULT_PORTS,
                8084,
                FreePorts.isFree(8090) ? 8090 : 0);
    }

    /** Options with every port picked free, for tests that may run beside a local suite. */
    public static SuiteOptions freePorts(Path repoRoot, Path dataDir) {
        Map<String, Integer> sims = new LinkedHashMap<>();
        SimulatorServer.DEFAULT_PORTS.keySet().forEach(p -> sims.put(p, 0));
        return new SuiteOptions(
                repoRoot,
                dataDir,
                FreePorts.next(),
                FreePorts.next(),
                FreePorts.next(),
                FreePorts.next(),
                0,
                0,
                sims,
                0,
                0);
    }
}
