package io.tokenhub.service.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * JSON text in UTF-8 read eight bytes at a time: a long prompt is mostly plain ASCII, and a word with no byte that
 * matters is passed over in one step. Used where the edge and routing-service read request bodies without decoding
 * their strings.
 */
public final class JsonBytes {

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * ' ';

    private JsonBytes() {}

    /**
     * The offset of the first byte at or after {@code from} that ends a run of plain string content: a quote, a
     * backslash, a control char or any byte of a multi-byte sequence; {@code bytes.length} when none does.
     */
    public static int plainRun(byte[] bytes, int from) {
        int i = from;
        int n = bytes.length;
        while (i + Long.BYTES <= n) {
            long word = (long) WORDS.get(bytes, i);
            if ((word & HIGH_BITS) != 0 || has(word, QUOTES) || has(word, BACKSLASHES) || hasBelow(word, SPACES)) {
                break;
            }
            i += Long.BYTES;
        }
        while (i < n) {
            int b = bytes[i];
            // Signed: a byte of a multi-byte sequence is negative, so below a space too.
            if (b < ' ' || b == '"' || b == '\\') {
                return i;
            }
            i++;
        }
        return n;
    }

    /**
     * The offset of the first byte at or after {@code from} that is not ASCII, or is a backslash; {@code bytes.length}
     * when none is. The strict UTF-8 check passes over everything else, a word at a time.
     */
    public static int asciiRun(byte[] bytes, int from) {
        int i = from;
        int n = bytes.length;
        while (i + Long.BYTES <= n) {
            long word = (long) WORDS.get(bytes, i);
            if ((word & HIGH_BITS) != 0 || has(word, BACKSLASHES)) {
                break;
            }
            i += Long.BYTES;
        }
        while (i < n && bytes[i] >= 0 && bytes[i] != '\\') {
            i++;
        }
        return i;
    }

    /** Whether an ASCII word holds the byte repeated in {@code pattern}; exact, with no false positive. */
    private static boolean has(long word, long pattern) {
        long x = word ^ pattern;
        return ((x - ONES) & ~x & HIGH_BITS) != 0;
    }

    /** Whether an ASCII word holds a byte below the one repeated in {@code pattern}; exact for patterns up to 128. */
    private static boolean hasBelow(long word, long pattern) {
        return ((word - pattern) & ~word & HIGH_BITS) != 0;
    }
}
