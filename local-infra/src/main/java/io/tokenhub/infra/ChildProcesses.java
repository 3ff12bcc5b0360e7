package io.tokenhub.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Starting, awaiting and stopping the processes the local run and the tests start (service JVMs, Keycloak, node):
 * every launcher goes through here, so each waits with a bound and stops politely first, so they flush and deregister.
 */
public final class ChildProcesses {

    private ChildProcesses() {}

    /** How waiting for a child's HTTP endpoint ended. */
    public enum Readiness {
        READY,
        EXITED,
        TIMED_OUT
    }

    /** Starts {@code builder}'s command with its output and errors appended to {@code log}. */
    public static Process startLogged(ProcessBuilder builder, Path log) {
        try {
            return builder.redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + builder.command().get(0), e);
        }
    }

    /**
     * Waits up to {@code timeout} for {@code process} to exit; true when it did. A process that outlives the timeout
     * is killed with its descendants, so a hung child never outlives the test that started it.
     */
    public static boolean awaitExit(Process process, Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        kill(process);
        return false;
    }

    /** SIGKILL to the process and its descendants, then up to 30 seconds for it to be gone; false if it is not. */
    public static boolean kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        return process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Polls {@code url} until it answers 200, the process exits, or {@code timeout} passes. */
    public static Readiness awaitOk(Process process, URI url, Duration timeout, Duration pause) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest probe =
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                return Readiness.EXITED;
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Readiness.READY;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + url, e);
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + url, e);
            }
        }
        return Readiness.TIMED_OUT;
    }

    /** SIGTERM, up to 20 seconds to exit, then SIGKILL. */
    public static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
