package io.tokenhub.service.call;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One HTTP client, with its own connection pool, per Vert.x event loop, each taken from its own loop. A Vert.x client
 * opens a connection on the event loop of the call that needed it, but hands any free connection to any later call
 * (last used first), so a call arriving on one loop often runs its I/O on another: every write, the response head
 * and each chunk then cross between threads, a wake-up each (strace of routing-service on a 1 MB prompt showed six
 * crossings before the body left). With a client per loop a call's connection lives on the loop the call came in
 * on, as Envoy's per-worker connection pools do, so a request is read, forwarded and answered by one thread.
 */
public final class LoopClients {

    private final EventExecutor[] loops;
    private final HttpClient[] clients;

    /**
     * {@code perLoop} clients from {@code client}, one for each of Vert.x's event loops; with {@code perLoop} false
     * a single client shared by every loop, for a pool whose bound must hold across the whole service.
     */
    public LoopClients(Vertx vertx, boolean perLoop, Supplier<HttpClient> client) {
        List<EventExecutor> all = new ArrayList<>();
        if (perLoop) {
            vertx.nettyEventLoopGroup().forEach(all::add);
        }
        this.loops = all.toArray(EventExecutor[]::new);
        this.clients = new HttpClient[Math.max(1, loops.length)];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = client.get();
        }
    }

    /**
     * The calling event loop's client. Off the event loops (a worker thread, a test's own thread) the first one,
     * whose connections then live on whichever loop the caller's context names.
     */
    public HttpClient current() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                return clients[i];
            }
        }
        return clients[0];
    }

    /** How many clients, and so pools, there are. */
    public int size() {
        return clients.length;
    }

    public void close() {
        for (HttpClient client : clients) {
            client.close();
        }
    }
}
