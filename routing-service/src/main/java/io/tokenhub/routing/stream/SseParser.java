package io.tokenhub.routing.stream;

import io.vertx.core.buffer.Buffer;

/**
 * Splits a server-sent event stream (https://html.spec.whatwg.org/multipage/server-sent-events.html) into events as
 * bytes arrive in arbitrary pieces. Lines are cut at '\n' bytes, which never occur inside a UTF-8 multi-byte
 * character, so text split across network reads decodes correctly; values are decoded as UTF-8, which the
 * specification makes the only encoding of an event stream.
 */
public final class SseParser {

    /** Receives each complete event. */
    @FunctionalInterface
    public interface Listener {
        void onEvent(String event, String data);
    }

    private static final Buffer EMPTY = Buffer.buffer(0);
    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};

    private final Listener listener;
    /** The start of a line whose end has not arrived yet. */
    private Buffer pending = EMPTY;

    private String event;
    /** The event's data when it has one line, as nearly every provider's events do. */
    private String data;
    /** The event's data from its second line on. */
    private StringBuilder lines;

    public SseParser(Listener listener) {
        this.listener = listener;
    }

    /**
     * Takes the next bytes. Only a line cut by the read is copied, to be completed by the next: a stream's bytes are
     * otherwise decoded once, from the read buffer straight into each field's value.
     */
    public void feed(Buffer chunk) {
        Buffer bytes = pending.length() == 0 ? chunk : pending.appendBuffer(chunk);
        int start = 0;
        int length = bytes.length();
        for (int i = 0; i < length; i++) {
            if (bytes.getByte(i) == '\n') {
                line(bytes, start, i > start && bytes.getByte(i - 1) == '\r' ? i - 1 : i);
                start = i + 1;
            }
        }
        pending = start == length ? EMPTY : bytes.getBuffer(start, length);
    }

    /** Dispatches a last event the provider did not terminate with a blank line. */
    public void finish() {
        if (pending.length() > 0) {
            Buffer last = pending;
            pending = EMPTY;
            line(last, 0, last.length());
        }
        dispatch();
    }

    private void line(Buffer bytes, int start, int end) {
        if (start == end) {
            dispatch();
            return;
        }
        if (bytes.getByte(start) == ':') {
            return;
        }
        int colon = start;
        while (colon < end && bytes.getByte(colon) != ':') {
            colon++;
        }
        int valueStart =
                colon == end ? end : colon + 1 < end && bytes.getByte(colon + 1) == ' ' ? colon + 2 : colon + 1;
        if (is(bytes, start, colon, DATA)) {
            String value = bytes.getString(valueStart, end);
            if (data == null) {
                data = value;
            } else {
                if (lines == null) {
                    lines = new StringBuilder(data);
                }
                lines.append('\n').append(value);
            }
        } else if (is(bytes, start, colon, EVENT)) {
            event = bytes.getString(valueStart, end);
        }
        // id and retry steer browser reconnection, which a one-shot relay has no use for.
    }

    private void dispatch() {
        if (data != null) {
            listener.onEvent(event, lines == null ? data : lines.toString());
        }
        event = null;
        data = null;
        lines = null;
    }

    private static boolean is(Buffer bytes, int start, int end, byte[] name) {
        if (end - start != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (bytes.getByte(start + i) != name[i]) {
                return false;
            }
        }
        return true;
    }
}
