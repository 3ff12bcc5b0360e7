package io.tokenhub.gateway.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Request ids. The gateway makes one for every request: billing deduplicates on it, so it must never be
 * client-chosen (one fixed client header would otherwise merge many answered requests into one bill). A client's own
 * {@code X-Inferoute-Request-Id} is kept only as a correlation id, when it is a sane token (1 to 128 characters of
 * letters, digits and {@code . _ : -}): echoed back and stored on the ledger line. Made ids are {@code req_} plus a millisecond timestamp and 80 random bits in Crockford base 32: unique, and sorted
 * by time, which keeps ledger scans cheap.
 */
public final class RequestIds {

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private RequestIds() {}

    /** The client's id when it is sane enough to echo and store, otherwise null. */
    public static String correlation(String fromClient) {
        return fromClient != null && SANE.matcher(fromClient).matches() ? fromClient : null;
    }

    public static String create() {
        char[] out = new char[4 + 10 + 16];
        out[0] = 'r';
        out[1] = 'e';
        out[2] = 'q';
        out[3] = '_';
        long time = System.currentTimeMillis();
        for (int i = 13; i >= 4; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 0; i < 16; i++) {
            long source = i < 8 ? high : low;
            out[14 + i] = CROCKFORD[(int) ((source >>> (5 * (i % 8))) & 31)];
        }
        return new String(out);
    }
}
