package io.tokenhub.service.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time runs end exactly where a byte-by-byte reading says they do, wherever in a word that byte is. */
class JsonBytesTest {

    /** Mostly plain letters, so that runs span words, with each kind of byte that ends one. */
    private static final byte[] ALPHABET = {'a', 'b', ' ', '~', '"', '\\', '\n', 0x1F, 0x7F, (byte) 0xC3, (byte) 0x80};

    @Test
    void runsEndAtTheFirstByteThatEndsThem() {
        Random random = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = random.nextInt(6) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) 'x';
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            String shown = HexFormat.of().formatHex(bytes) + " from " + from;
            assertEquals(slowPlainRun(bytes, from), JsonBytes.plainRun(bytes, from), shown);
            assertEquals(slowAsciiRun(bytes, from), JsonBytes.asciiRun(bytes, from), shown);
        }
    }

    private static int slowPlainRun(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') {
                return i;
            }
        }
        return bytes.length;
    }

    private static int slowAsciiRun(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x80 || b == '\\') {
                return i;
            }
        }
        return bytes.length;
    }
}
