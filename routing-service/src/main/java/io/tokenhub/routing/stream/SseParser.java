package io.tokenhub.routing.stream;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Splits a server-sent event stream (https://html.spec.whatwg.org/multipage/server-sent-events.html) into events as
 * bytes arrive in arbitrary pieces. Lines are cut at '\n' bytes, which never occur inside a UTF-8 multi-byte
 * character, so text split across network reads decodes correctly.
 */
public final class SseParser {

    /** Receives each complete event. */
    @FunctionalInterface
    public interface Listener {
        void onEvent(String event, String data);
    }

    private final Listener listener;
    private Buffer pending = Buffer.buffer();
    private String event;
    private StringBuilder data;

    public SseParser(Listener listener) {
        this.listener = listener;
    }

    public void feed(Buffer chunk) {
        pending.appendBuffer(chunk);
        int start = 0;
        int length = pending.length();
        for (int i = 0; i < length; i++) {
            if (pending.getByte(i) == '\n') {
                int end = i > start && pending.getByte(i - 1) == '\r' ? i - 1 : i;
                line(pending.getString(start, end, StandardCharsets.UTF_8.name()));
                start = i + 1;
            }
        }
        pending = start == length ? Buffer.buffer() : pending.getBuffer(start, length);
    }

    /** Dispatches a last event the provider did not terminate with a blank line. */
    public void finish() {
        if (pending.length() > 0) {
            line(pending.toString(StandardCharsets.UTF_8));
            pending = Buffer.buffer();
        }
        line("");
    }

    private void line(String line) {
        if (line.isEmpty()) {
            if (data != null) {
                listener.onEvent(event, data.toString());
            }
            event = null;
            data = null;
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0
                ? ""
                : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1);
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "event" -> event = value;
            default -> {
                // id and retry steer browser reconnection, which a one-shot relay has no use for.
            }
        }
    }
}
