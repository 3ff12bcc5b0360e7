package io.tokenhub.common.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The gateway-to-routing hop's proof of origin: an HMAC-SHA256, keyed by the internal secret, over everything
 * routing-service acts on (method, path with query, account, key, request id) and the time it was made. routing-service
 * bills whatever account a call names, so a shared secret in a header is not enough: anyone who once saw it could
 * send any account id, and a recorded call could be sent again. A signature binds the ids to the call and the
 * timestamp bounds how long a recording is worth anything; the secret itself never travels.
 *
 * <p>Wire form: {@link TokenHubHeaders#INTERNAL_TIMESTAMP} is the signing time in Unix seconds and
 * {@link TokenHubHeaders#INTERNAL_SIGNATURE} is {@code v1=} followed by the unpadded base64url HMAC of
 * {@code v1\nMETHOD\n/path?query\naccount\nkey\nrequest-id\ntimestamp}.
 */
public final class InternalSignature {

    private static final String VERSION = "v1";
    private static final String PREFIX = VERSION + "=";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** Shorter secrets are guessable offline from one signed call. */
    public static final int MIN_SECRET_LENGTH = 16;

    private final SecretKeySpec key;
    // Mac instances are not thread-safe and costly to look up; one per thread per secret keeps signing off the lock.
    private final ThreadLocal<Mac> macs;

    public InternalSignature(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(
                    "the internal secret must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The {@link TokenHubHeaders#INTERNAL_SIGNATURE} value for one call. */
    public String sign(String method, String uri, String account, String keyId, String requestId, long epochSeconds) {
        Mac mac = macs.get();
        byte[] digest = mac.doFinal(canonical(method, uri, account, keyId, requestId, epochSeconds));
        return PREFIX + ENCODER.encodeToString(digest);
    }

    /** Whether {@code presented} is this secret's signature of the call, compared in constant time. */
    public boolean matches(
            String presented, String method, String uri, String account, String keyId, String requestId, long epoch) {
        if (presented == null || !presented.startsWith(PREFIX)) {
            return false;
        }
        byte[] expected = sign(method, uri, account, keyId, requestId, epoch).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether any of {@code signatures} (the current secret and those accepted during a rotation) signed the call. */
    public static boolean anyMatches(
            List<InternalSignature> signatures,
            String presented,
            String method,
            String uri,
            String account,
            String keyId,
            String requestId,
            long epochSeconds) {
        boolean matched = false;
        // Every secret is tried, so the time taken does not tell which one matched.
        for (InternalSignature signature : signatures) {
            matched |= signature.matches(presented, method, uri, account, keyId, requestId, epochSeconds);
        }
        return matched;
    }

    private static byte[] canonical(
            String method, String uri, String account, String keyId, String requestId, long epochSeconds) {
        // Newlines cannot occur in an HTTP method, request target or header value, so the fields cannot be shifted
        // into one another to forge a different call with the same signature.
        return String.join("\n", VERSION, method, uri, account, keyId, requestId, Long.toString(epochSeconds))
                .getBytes(StandardCharsets.UTF_8);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
