package io.tokenhub.gateway.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The shape of a TokenHub key: {@code thk_<id>_<secret>}, a 12-character public id (what lists and logs show) and a
 * 32-character base-62 secret (190 bits). The prefix makes leaked keys easy to spot by secret scanners. Keys are
 * random, so a single SHA-256 is the right hash: slow password hashes defend low-entropy secrets and would only put
 * milliseconds on the request path.
 */
public final class ApiKeyFormat {

    public static final String PREFIX = "thk_";
    private static final int ID_LENGTH = 12;
    private static final int SECRET_LENGTH = 32;
    private static final String ID_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * A digest per thread: looking one up costs a provider search and a reflective constructor on every request, and
     * an instance is not thread-safe.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ApiKeyFormat::sha256);

    private ApiKeyFormat() {}

    /** A new key and its id. */
    public static Generated generate() {
        String id = random(ID_ALPHABET, ID_LENGTH);
        return new Generated(id, PREFIX + id + "_" + random(SECRET_ALPHABET, SECRET_LENGTH));
    }

    /**
     * The id inside a presented key, when the key could have been made by {@link #generate()}: prefix, lengths and
     * both alphabets. A key that fails this cannot exist, so it is refused without a cache entry or a database read.
     */
    public static Optional<String> idOf(String key) {
        int idStart = PREFIX.length();
        int secretStart = idStart + ID_LENGTH + 1;
        if (key == null
                || key.length() != secretStart + SECRET_LENGTH
                || !key.startsWith(PREFIX)
                || key.charAt(secretStart - 1) != '_'
                || !within(key, idStart, secretStart - 1, ID_ALPHABET)
                || !within(key, secretStart, key.length(), SECRET_ALPHABET)) {
            return Optional.empty();
        }
        return Optional.of(key.substring(idStart, idStart + ID_LENGTH));
    }

    /** What lists show in place of the secret. */
    public static String displayPrefix(String id) {
        return PREFIX + id;
    }

    /** The stored form of a key: its SHA-256, computed for every request that presents one. */
    public static byte[] hash(String key) {
        // digest() resets the instance, so the thread's next key starts clean.
        return SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean within(String key, int from, int to, String alphabet) {
        for (int i = from; i < to; i++) {
            if (alphabet.indexOf(key.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String random(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /**
     * A freshly made key.
     *
     * @param id its public id
     * @param key the whole secret key, shown to its owner once
     */
    public record Generated(String id, String key) {}
}
