package io.tokenhub.suite;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Command 1 of the README: starts the suite on the contract's ports, prints how to call it, and runs until Ctrl-C,
 * which stops everything it started. Writes to the console it was started from; the services log to files.
 */
public final class LocalSuiteMain {

    /** How long the printed dashboard tokens last; a restart prints new ones. */
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(12);

    private LocalSuiteMain() {}

    public static void main(String[] args) throws InterruptedException {
        PrintStream console = System.out;
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path data = root.resolve(".tokenhub");
        console.println(
                "Starting TokenHub: Kafka, PostgreSQL, provider simulators, four services and the dashboard; logs in "
                        + data.resolve("logs"));
        LocalSuite suite = LocalSuite.start(LocalSuite.contractPorts(root, data), System.getenv());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            console.println("\nStopping TokenHub...");
                            suite.close();
                            stopped.countDown();
                        },
                        "tokenhub-stop"));
        Instant expires = Instant.now().plus(TOKEN_LIFETIME).truncatedTo(ChronoUnit.SECONDS);
        Banner.Tokens tokens = new Banner.Tokens(
                suite.dashboardToken(suite.demoAccount(), Set.of("tokenhub-member"), TOKEN_LIFETIME),
                // An administrator belongs to no account; the APIs take the one meant from ?account=.
                suite.dashboardToken(null, Set.of("tokenhub-member", "tokenhub-admin"), TOKEN_LIFETIME),
                expires);
        Banner.print(suite, tokens, console);
        stopped.await();
    }
}
