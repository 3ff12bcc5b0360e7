package io.tokenhub.routing.providers.mistral;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Mistral accepts only tool call ids of exactly nine letters and digits ("Tool call id was ... but must be a-z, A-Z,
 * 0-9, with a length of 9"). Ids from other providers ({@code call_...}, {@code toolu_...}) are rewritten to nine
 * base-62 characters of their SHA-256, so the assistant's call and the tool message answering it map to the same id
 * without any state kept between requests; Mistral's own ids pass unchanged, so they survive the round trip.
 */
final class MistralToolCallIds {

    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9]{9}");
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(ALPHABET.length());
    private static final int LENGTH = 9;

    private MistralToolCallIds() {}

    static String toMistral(String id) {
        if (VALID.matcher(id).matches()) {
            return id;
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        // 62^9 < 2^54, so eight bytes of hash give every character an even chance.
        BigInteger value = new BigInteger(1, Arrays.copyOf(hash, 8));
        StringBuilder out = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            BigInteger[] division = value.divideAndRemainder(BASE);
            out.append(ALPHABET.charAt(division[1].intValue()));
            value = division[0];
        }
        return out.toString();
    }
}
