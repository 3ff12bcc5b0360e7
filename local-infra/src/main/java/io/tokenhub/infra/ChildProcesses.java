package io.tokenhub.infra;

import java.util.concurrent.TimeUnit;

/** Stopping the JVMs the local run and the tests start: politely first, so they flush and deregister. */
public final class ChildProcesses {

    private ChildProcesses() {
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
