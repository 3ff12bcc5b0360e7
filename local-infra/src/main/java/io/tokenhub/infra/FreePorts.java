package io.tokenhub.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Finds loopback ports nobody listens on, for tests that must not collide with a running local suite. */
public final class FreePorts {

    private FreePorts() {}

    /**
     * Below Linux's ephemeral range (32768-60999 by default). A port the kernel hands out for binding to 0 comes from
     * that range, and so does the source port of every outgoing connection: between this method and the moment a
     * service binds the port, a Kafka or HTTP client could take it, and the service would fail to start.
     */
    private static final int LOW = 20_000;

    private static final int HIGH = 32_000;
    private static final int ATTEMPTS = 200;

    /**
     * Every port this JVM handed out. A suite asks for a dozen before its services bind any of them, so a port still
     * looks free when it has already been given: routing once got the port picked for the gateway's management
     * interface, and the gateway failed to start.
     */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    /** A free port no earlier call returned. */
    public static int next() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!GIVEN.contains(port) && isFree(port) && GIVEN.add(port)) {
                return port;
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            GIVEN.add(s.getLocalPort());
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
