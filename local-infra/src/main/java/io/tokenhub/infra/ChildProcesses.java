package io.tokenhub.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** Stopping the JVMs the local run and the tests start: politely first, so they flush and deregister. */
public final class ChildProcesses {

    private ChildProcesses() {}

    /** How waiting for a child's HTTP endpoint ended. */
    public enum Readiness {
        READY,
        EXITED,
        TIMED_OUT
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
