package io.tokenhub.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import redis.embedded.RedisServer;

/**
 * A real Redis server (the 6.2 binaries shipped in {@code com.github.codemonstur:embedded-redis}) on loopback, for
 * the gateway's shared rate-limit counters in tests and, on request, in the local run. Nothing is persisted.
 */
public final class LocalRedis implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    private LocalRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a server on {@code port} (0 picks a free one) and waits until it accepts connections. */
    public static LocalRedis start(int port) {
        int actual = port == 0 ? FreePorts.next() : port;
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .port(actual)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("maxmemory 64mb")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            LocalRedis redis = new LocalRedis(server, actual);
            Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "redis-stop"));
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Redis", e);
        }
    }

    /** The URL clients connect with, e.g. redis://127.0.0.1:6379. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            if (server.isActive()) {
                server.stop();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
