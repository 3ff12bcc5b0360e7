package io.tokenhub.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A server-sent event stream assembled in full, then sent with the behaviour's faults applied: a delay between events,
 * the provider's error event after the first content event, or a dropped connection at that point. Without a delay
 * the whole stream goes out in one write, which keeps the simulator cheap under load.
 */
public final class SseStream {

    private final List<String> frames = new ArrayList<>();
    private int faultAt = -1;

    /** Adds one complete SSE frame (its lines and the blank line that ends it). */
    public SseStream add(String frame) {
        frames.add(frame);
        return this;
    }

    /** Adds a frame that carries model output; a mid-stream fault strikes right after the first of these. */
    public SseStream content(String frame) {
        frames.add(frame);
        if (faultAt < 0) {
            faultAt = frames.size();
        }
        return this;
    }

    /** {@code data: <json>} with the LF framing most providers use. */
    public static String data(String json) {
        return "data: " + json + "\n\n";
    }

    /** {@code event: <name>} plus {@code data: <json>}, Anthropic's framing. */
    public static String event(String name, String json) {
        return "event: " + name + "\ndata: " + json + "\n\n";
    }

    /**
     * Sends the stream on {@code request}, whose response head (status, content type, provider headers) is already
     * set.
     *
     * @param errorFrame the provider's in-stream error event, used when the behaviour fails mid-stream
     */
    public void send(HttpServerRequest request, Behaviour behaviour, String errorFrame) {
        int cut = faultAt < 0 ? Math.min(1, frames.size()) : faultAt;
        List<String> out = frames;
        if (behaviour.failMidStream()) {
            out = new ArrayList<>(frames.subList(0, cut));
            out.add(errorFrame);
        } else if (behaviour.dropMidStream()) {
            out = frames.subList(0, cut);
        }
        HttpServerResponse response = request.response().setChunked(true);
        boolean drop = behaviour.dropMidStream() && !behaviour.failMidStream();
        if (behaviour.chunkDelayMs() <= 0) {
            String all = String.join("", out);
            if (drop) {
                response.write(all).onComplete(done -> request.connection().close());
            } else {
                response.end(all);
            }
            return;
        }
        sendOneByOne(
                request,
                out,
                0,
                behaviour.chunkDelayMs(),
                drop,
                Vertx.currentContext().owner());
    }

    private static void sendOneByOne(
            HttpServerRequest request, List<String> frames, int index, long delayMs, boolean drop, Vertx vertx) {
        HttpServerResponse response = request.response();
        if (response.closed() || response.ended()) {
            return;
        }
        if (index == frames.size()) {
            if (drop) {
                request.connection().close();
            } else {
                response.end();
            }
            return;
        }
        response.write(frames.get(index));
        vertx.setTimer(delayMs, t -> sendOneByOne(request, frames, index + 1, delayMs, drop, vertx));
    }
}
