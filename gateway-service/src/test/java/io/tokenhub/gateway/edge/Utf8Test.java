package io.tokenhub.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void acceptsEveryScalarValueAndRefusesTheClassicTraps() {
        assertTrue(Utf8.isValid("plain ascii, caf\u00e9, \u20ac, \ud83c\udf0a".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Utf8.isValid(bytes(0xC0, 0xAF)), "overlong /");
        assertFalse(Utf8.isValid(bytes(0xE0, 0x80, 0xAF)), "overlong 3-byte");
        assertFalse(Utf8.isValid(bytes(0xF0, 0x80, 0x80, 0xAF)), "overlong 4-byte");
        assertFalse(Utf8.isValid(bytes(0xED, 0xA0, 0x80)), "encoded surrogate");
        assertFalse(Utf8.isValid(bytes(0xF4, 0x90, 0x80, 0x80)), "above U+10FFFF");
        assertFalse(Utf8.isValid(bytes(0xE2, 0x82)), "truncated");
        assertFalse(Utf8.isValid(bytes(0x80)), "lone continuation");
        assertFalse(Utf8.isValid(bytes(0xFF)), "never valid");
    }

    /** The flag that lets the body inspector skip its surrogate check must be set by any {@code \\u} at all. */
    @Test
    void notesEveryBackslashUAndNothingElse() {
        assertEquals(Utf8.Text.VALID, Utf8.scan(utf8("{\"a\":\"line\\nbreak, caf\u00e9 \\\\ u\"}")));
        assertEquals(Utf8.Text.VALID_WITH_ESCAPES, Utf8.scan(utf8("{\"a\":\"\\ud800\"}")));
        assertEquals(Utf8.Text.VALID_WITH_ESCAPES, Utf8.scan(utf8("{\"\\u0041\":1}")));
        assertEquals(Utf8.Text.INVALID, Utf8.scan(bytes(0x5C, 0x75, 0xC0, 0xAF)));
        // Eight bytes are read at once: an escape split across two words, or found after a word of plain text.
        for (int at = 0; at < 17; at++) {
            String before = "x".repeat(at);
            assertEquals(Utf8.Text.VALID_WITH_ESCAPES, Utf8.scan(utf8(before + "\\u0041" + "y".repeat(9))), before);
            assertEquals(Utf8.Text.VALID, Utf8.scan(utf8(before + "\\n\u00e9" + "y".repeat(9))), before);
            assertEquals(Utf8.Text.INVALID, Utf8.scan(concat(utf8(before), bytes(0xC0, 0xAF), utf8("y".repeat(9)))));
        }
    }

    /**
     * A JSON string's length in chars read from its bytes is the length of what Jackson decodes: escapes of one char,
     * code points of one to four bytes, surrogate pairs, long plain runs read a word at a time.
     */
    @Test
    void measuresJsonStringsAsTheirDecodedLength() throws Exception {
        JsonFactory json = new JsonFactory();
        String[] pieces = {"a", "Hello there ", "\"", "\\", "\n", "\t", "/", "caf\u00e9", "\u20ac", "\ud83c\udf0a"};
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int p = random.nextInt(30); p > 0; p--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            // Written here, not by Jackson, which escapes a surrogate pair as \\u and would leave the fast path.
            String escaped = text.toString()
                    .replace("\\", "\\\\")
                    .replace("\"", "\\\"")
                    .replace("\n", "\\n")
                    .replace("\t", "\\t");
            byte[] body = ("{\"content\":\"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8);
            int quote = "{\"content\":".length();
            try (JsonParser parser = json.createParser(body)) {
                parser.nextToken();
                parser.nextToken();
                parser.nextToken();
                assertEquals(parser.getTextLength(), Utf8.jsonStringLength(body, quote), text::toString);
                assertEquals(text.length(), Utf8.jsonStringLength(body, quote), text::toString);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Agrees with the JDK's strict decoder on random byte strings biased towards multi-byte sequences. */
    @Test
    void agreesWithTheJdksStrictDecoder() {
        Random random = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[random.nextInt(24)];
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
            }
            assertEquals(jdk(b), Utf8.isValid(b), () -> java.util.HexFormat.of().formatHex(b));
        }
    }

    private static boolean jdk(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
