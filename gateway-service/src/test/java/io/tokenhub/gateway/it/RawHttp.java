package io.tokenhub.gateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A client that writes raw bytes on a socket, for what well-behaved HTTP clients refuse to do: send a body slower than
 * promised, stop in the middle of a request, or send bytes that are not a valid request at all.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RawHttp(URL base) throws IOException {
        this.socket = new Socket(base.getHost(), base.getPort());
        this.socket.setSoTimeout(15_000);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** What the server sends up to and including {@code marker}; fails if the connection closes or stays silent. */
    public String readUntil(String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.UTF_8).endsWith(marker)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before " + marker.strip() + ": " + seen.toString(StandardCharsets.UTF_8));
            }
            seen.write(b);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    /** Everything the server sends until it closes the connection (or the read times out). */
    public String readUntilClosed() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            all.write("\n<read timed out: connection still open>".getBytes(StandardCharsets.UTF_8));
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
