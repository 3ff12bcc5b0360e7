package io.tokenhub.routing.openai;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.tokenhub.service.json.JsonBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A JSON parser over a client's request body that makes each string value straight from the body's bytes. Jackson
 * decodes a string into segments of chars, joins them in a builder and copies that into the String: for a 1 MB prompt
 * that is four copies and about 4 MB of garbage, where this makes one copy, or two when the string holds escapes.
 *
 * <p>Only what JSON defines plainly is decoded here: UTF-8 text, the two-char escapes and {@code \\u} escapes outside
 * the surrogates. Anything else (a control char, an escaped surrogate, an unknown escape) is left to Jackson, which
 * decodes it or refuses the body as it always did; Jackson also still reads past every string and refuses a body
 * that is not JSON. The bytes come from the gateway, which passes only strict UTF-8.
 */
public final class RequestParser extends JsonParserDelegate {

    private final byte[] body;
    /** Where the last string read here opens and closes: Jackson has not moved past it and would say otherwise. */
    private long quote = -1;

    private long closingQuote;

    private RequestParser(JsonParser parser, byte[] body) {
        super(parser);
        this.body = body;
    }

    /** A parser over {@code body}; the caller closes it. */
    public static JsonParser over(ObjectMapper json, byte[] body) throws IOException {
        return new RequestParser(json.createParser(body), body);
    }

    /** The body as {@link ObjectMapper#readTree(byte[])} reads it: {@link MissingNode} when it holds no value. */
    public static JsonNode readTree(ObjectMapper json, byte[] body) throws IOException {
        try (JsonParser parser = over(json, body)) {
            JsonNode root = json.readTree(parser);
            return root == null ? MissingNode.getInstance() : root;
        }
    }

    @Override
    public String getText() throws IOException {
        if (currentToken() == JsonToken.VALUE_STRING) {
            long opening = currentTokenLocation().getByteOffset();
            if (opening >= 0 && opening < body.length && body[(int) opening] == '"') {
                Extent extent = extent((int) opening + 1);
                String text = extent == null ? null : decode((int) opening + 1, extent);
                if (text != null) {
                    quote = opening;
                    closingQuote = extent.end();
                    return text;
                }
            }
        }
        return super.getText();
    }

    /**
     * After a string read here, the offset after its closing quote, as Jackson reports it after reading a string
     * itself: where a top-level value ends for {@link SourceSpans}.
     */
    @Override
    public JsonLocation currentLocation() {
        JsonLocation location = super.currentLocation();
        // The token may be cleared by now (ObjectMapper clears it after reading a value); its location stays.
        if (quote >= 0 && currentTokenLocation().getByteOffset() == quote) {
            return new JsonLocation(
                    location.contentReference(),
                    closingQuote + 1,
                    location.getCharOffset(),
                    location.getLineNr(),
                    location.getColumnNr());
        }
        return location;
    }

    /** Where a string's content ends (its closing quote) and whether it holds an escape. */
    private record Extent(int end, boolean escaped) {}

    /** The extent of the string whose first byte is at {@code from}; null for Jackson to judge. */
    private Extent extent(int from) {
        int end = from;
        boolean escaped = false;
        while (true) {
            end = JsonBytes.plainRun(body, end);
            if (end >= body.length) {
                return null;
            }
            int b = body[end];
            if (b == '"') {
                return new Extent(end, escaped);
            }
            if (b == '\\') {
                escaped = true;
                end += 2;
            } else if (b >= 0) {
                // A control char, which only Jackson may judge.
                return null;
            } else {
                end++;
            }
        }
    }

    /** The string in {@code body[from, extent.end())}, or null when Jackson should decode it. */
    private String decode(int from, Extent extent) {
        int end = extent.end();
        if (!extent.escaped()) {
            return new String(body, from, end - from, StandardCharsets.UTF_8);
        }
        // Decoded text is never longer than its escaped form: a six-byte \\u escape makes at most three bytes.
        byte[] out = new byte[end - from];
        int length = 0;
        for (int i = from; i < end; i++) {
            byte b = body[i];
            if (b != '\\') {
                out[length++] = b;
                continue;
            }
            byte escape = body[++i];
            switch (escape) {
                case '"', '\\', '/' -> out[length++] = escape;
                case 'b' -> out[length++] = '\b';
                case 'f' -> out[length++] = '\f';
                case 'n' -> out[length++] = '\n';
                case 'r' -> out[length++] = '\r';
                case 't' -> out[length++] = '\t';
                case 'u' -> {
                    int c = i + 4 < end ? hex4(i + 1) : -1;
                    if (c < 0 || Character.isSurrogate((char) c)) {
                        return null;
                    }
                    length = utf8(c, out, length);
                    i += 4;
                }
                default -> {
                    return null;
                }
            }
        }
        return new String(out, 0, length, StandardCharsets.UTF_8);
    }

    /** The four hex digits at {@code at} as a char, or -1 when they are not four hex digits. */
    private int hex4(int at) {
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = Character.digit(body[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static int utf8(int c, byte[] out, int at) {
        if (c < 0x80) {
            out[at++] = (byte) c;
        } else if (c < 0x800) {
            out[at++] = (byte) (0xC0 | c >> 6);
            out[at++] = (byte) (0x80 | c & 0x3F);
        } else {
            out[at++] = (byte) (0xE0 | c >> 12);
            out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
            out[at++] = (byte) (0x80 | c & 0x3F);
        }
        return at;
    }
}
