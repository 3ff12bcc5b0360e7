package io.tokenhub.gateway.proxy;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body as the chunks that arrived, joined once when whole: never sized from Content-Length, since a client
 * could declare the limit on many connections and send nothing, and never grown by doubling, which copies a large
 * body again at each step. Vert.x hands each chunk over as a copy of its own, so keeping them is safe.
 */
final class BodyChunks {

    private final List<Buffer> chunks = new ArrayList<>();
    private int length;

    /** The bytes received so far. */
    int length() {
        return length;
    }

    void add(Buffer chunk) {
        chunks.add(chunk);
        length += chunk.length();
    }

    /** The whole body in one array. */
    byte[] join() {
        byte[] bytes = new byte[length];
        int at = 0;
        for (Buffer chunk : chunks) {
            chunk.getBytes(bytes, at);
            at += chunk.length();
        }
        return bytes;
    }
}
