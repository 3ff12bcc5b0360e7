package io.tokenhub.gateway.edge;

import io.tokenhub.service.json.JsonBytes;

/**
 * Strict UTF-8 (RFC 3629): no overlong forms, no encoded surrogates, nothing above U+10FFFF, no truncated sequences.
 * Jackson decodes some of these leniently (an overlong {@code C0 AF} becomes {@code /}), and what the gateway
 * checked must be exactly what routing-service and the providers will read.
 */
final class Utf8 {

    /** What one pass over a body found. */
    enum Text {
        INVALID,
        /** Valid, with no {@code \\u} anywhere: JSON strings in it cannot hold an escaped UTF-16 surrogate. */
        VALID,
        /** Valid, with a {@code \\u} somewhere, a JSON escape that may stand for a lone surrogate. */
        VALID_WITH_ESCAPES
    }

    private Utf8() {}

    static boolean isValid(byte[] bytes) {
        return scan(bytes) != Text.INVALID;
    }

    /**
     * Validates and, in the same pass, notes whether the bytes hold {@code \\u}: the one way a lone surrogate gets into
     * valid UTF-8 JSON, so a body without it needs no second look at its decoded strings.
     */
    static Text scan(byte[] bytes) {
        boolean escapes = false;
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            i = JsonBytes.asciiRun(bytes, i);
            if (i == n) {
                break;
            }
            int b = bytes[i];
            if (b >= 0) {
                if (b == '\\' && i + 1 < n && bytes[i + 1] == 'u') {
                    escapes = true;
                }
                i++;
                continue;
            }
            b &= 0xFF;
            if (b >= 0xC2 && b <= 0xDF) {
                if (i + 1 >= n || !continuation(bytes[i + 1])) {
                    return Text.INVALID;
                }
                i += 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (i + 2 >= n || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2])) {
                    return Text.INVALID;
                }
                int second = bytes[i + 1] & 0xFF;
                if (b == 0xE0 && second < 0xA0 || b == 0xED && second > 0x9F) {
                    return Text.INVALID;
                }
                i += 3;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (i + 3 >= n
                        || !continuation(bytes[i + 1])
                        || !continuation(bytes[i + 2])
                        || !continuation(bytes[i + 3])) {
                    return Text.INVALID;
                }
                int second = bytes[i + 1] & 0xFF;
                if (b == 0xF0 && second < 0x90 || b == 0xF4 && second > 0x8F) {
                    return Text.INVALID;
                }
                i += 4;
            } else {
                return Text.INVALID;
            }
        }
        return escapes ? Text.VALID_WITH_ESCAPES : Text.VALID;
    }

    /**
     * The length in UTF-16 chars, as Java and the token estimate count it, of the JSON string whose opening quote is at
     * {@code quote}, read from valid UTF-8 that holds no {@code \\u} escape, so every other escape is two bytes for
     * one char. Reading the bytes spares decoding the string, which for a long prompt means copying it whole. A
     * string that does not end where this stops reading is for the JSON parser to refuse.
     */
    static long jsonStringLength(byte[] bytes, int quote) {
        long chars = 0;
        int i = quote + 1;
        int n = bytes.length;
        while (i < n) {
            int run = JsonBytes.plainRun(bytes, i);
            chars += run - i;
            i = run;
            if (i == n || bytes[i] == '"') {
                break;
            }
            int b = bytes[i];
            if (b == '\\') {
                i += 2;
                chars++;
            } else if (b >= 0) {
                // A control char, which the parser refuses.
                i++;
                chars++;
            } else if ((b & 0xF0) == 0xF0) {
                // Four bytes are a code point past U+FFFF: a surrogate pair, two chars.
                i += 4;
                chars += 2;
            } else {
                i += (b & 0xF0) == 0xE0 ? 3 : 2;
                chars++;
            }
        }
        return chars;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
