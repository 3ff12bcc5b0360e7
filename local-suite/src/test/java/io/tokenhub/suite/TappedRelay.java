package io.tokenhub.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of a provider simulator that sees each connection routing-service opens: how many
 * bytes the provider sent on it, when they last flowed, and whether routing-service hung up. That is how a test sees,
 * from outside, that a provider call was cancelled.
 */
final class TappedRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();

    TappedRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tapped-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<Link> links() {
        return List.copyOf(links);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, upstream);
                links.add(link);
                pump(client.getInputStream(), upstream.getOutputStream(), link, false);
                pump(upstream.getInputStream(), client.getOutputStream(), link, true);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(InputStream in, OutputStream out, Link link, boolean fromProvider) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[8192];
                    try {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, n);
                            out.flush();
                            if (fromProvider) {
                                link.fromProvider.addAndGet(n);
                                link.lastFromProvider.set(System.nanoTime());
                            } else {
                                link.sawRequest(new String(buffer, 0, Math.min(n, 200), StandardCharsets.ISO_8859_1));
                            }
                        }
                    } catch (IOException e) {
                        // One side went away; the link is closed below either way.
                    }
                    if (!fromProvider) {
                        link.routingHungUpAt.compareAndSet(0, System.nanoTime());
                    }
                    link.close();
                },
                "tapped-relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        links.forEach(Link::close);
    }

    /** One connection from routing-service to the provider. */
    static final class Link {

        final AtomicLong fromProvider = new AtomicLong();
        final AtomicLong lastFromProvider = new AtomicLong();
        /** When routing-service closed or reset its side; 0 while open. */
        final AtomicLong routingHungUpAt = new AtomicLong();
        /** The request line of the latest request routing-service sent on this connection, and when. */
        volatile String lastRequestLine = "";

        volatile long lastRequestAt;
        private final Socket client;
        private final Socket upstream;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        private void sawRequest(String start) {
            int space = start.indexOf(' ');
            if (space > 2 && start.substring(0, space).chars().allMatch(Character::isUpperCase)) {
                int end = start.indexOf('\r');
                lastRequestLine = end > 0 ? start.substring(0, end) : start;
                lastRequestAt = System.nanoTime();
            }
        }

        void close() {
            try {
                client.close();
                upstream.close();
            } catch (IOException e) {
                // Already closed.
            }
        }
    }
}
