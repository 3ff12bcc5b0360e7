package io.tokenhub.infra.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Turns a valid request body into a malformed one, the way a fuzzer would: one to three random edits (a flipped
 * byte, a cut, an inserted JSON token or invalid UTF-8 sequence, a duplicated or swapped span). Shared by the
 * gateway's unit tests and the whole suite's fuzzing.
 */
public final class Mutations {

    private static final byte[][] TOKENS = {
        "{".getBytes(StandardCharsets.UTF_8),
        "}".getBytes(StandardCharsets.UTF_8),
        "[".getBytes(StandardCharsets.UTF_8),
        "]".getBytes(StandardCharsets.UTF_8),
        "\"".getBytes(StandardCharsets.UTF_8),
        ",".getBytes(StandardCharsets.UTF_8),
        ":".getBytes(StandardCharsets.UTF_8),
        "\\".getBytes(StandardCharsets.UTF_8),
        "null".getBytes(StandardCharsets.UTF_8),
        "-1e999".getBytes(StandardCharsets.UTF_8),
        "\\ud800".getBytes(StandardCharsets.UTF_8),
        "\\u0000".getBytes(StandardCharsets.UTF_8),
        {(byte) 0xC3},
        {(byte) 0xFF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {0},
        "\"messages\":".getBytes(StandardCharsets.UTF_8),
        "\"max_tokens\":".getBytes(StandardCharsets.UTF_8),
        "[[[[[[[[[[[[[[[[[[[[".getBytes(StandardCharsets.UTF_8),
    };

    private Mutations() {}

    public static byte[] mutate(byte[] seed, Random random) {
        byte[] out = seed;
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            out = edit(out, random);
        }
        return out;
    }

    private static byte[] edit(byte[] in, Random random) {
        int at = in.length == 0 ? 0 : random.nextInt(in.length);
        switch (random.nextInt(6)) {
            case 0 -> {
                byte[] out = in.clone();
                if (out.length > 0) {
                    out[at] = (byte) random.nextInt(256);
                }
                return out;
            }
            case 1 -> {
                return splice(in, at, Math.min(in.length, at + 1 + random.nextInt(8)), new byte[0]);
            }
            case 2 -> {
                return splice(in, at, at, TOKENS[random.nextInt(TOKENS.length)]);
            }
            case 3 -> {
                return Arrays.copyOf(in, at);
            }
            case 4 -> {
                int from = random.nextInt(Math.max(1, in.length));
                int to = Math.min(in.length, from + 1 + random.nextInt(16));
                return splice(in, at, at, Arrays.copyOfRange(in, from, to));
            }
            default -> {
                byte[] out = in.clone();
                if (out.length > 1) {
                    int other = random.nextInt(out.length);
                    byte b = out[at];
                    out[at] = out[other];
                    out[other] = b;
                }
                return out;
            }
        }
    }

    private static byte[] splice(byte[] in, int from, int to, byte[] insert) {
        byte[] out = new byte[in.length - (to - from) + insert.length];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(in, to, out, from + insert.length, in.length - to);
        return out;
    }
}
