package io.tokenhub.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Dashboard bearer tokens for the local run and the tests, signed with a key pair made at start. The services
 * verify them with Quarkus OIDC from the public key alone ({@code quarkus.oidc.public-key}), exactly as they verify a
 * real identity provider's tokens; in production {@code quarkus.oidc.auth-server-url} points at that provider.
 */
public final class DevTokens {

    /** The issuer the services are told to accept for these tokens. */
    public static final String ISSUER = "https://tokenhub.local/dev-issuer";
    /** The audience of TokenHub's APIs ({@code tokenhub.auth.audience}); the services refuse tokens for others. */
    public static final String AUDIENCE = "tokenhub-api";
    /** The claim carrying the account id; the services read the account from it. */
    public static final String ACCOUNT_CLAIM = "tokenhub_account";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;

    private DevTokens(KeyPair keys) {
        this.keys = keys;
    }

    public static DevTokens generate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return new DevTokens(gen.generateKeyPair());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base64 X.509 public key, the form {@code quarkus.oidc.public-key} takes. */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** Base64 PKCS#8 private key, handed to tests through config so they can mint tokens. */
    public String privateKey() {
        return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
    }

    /** A token for {@code user} acting in {@code account} with {@code roles}, valid for {@code ttl}. */
    public String mint(String user, String account, Set<String> roles, Duration ttl) {
        return mint(privateKey(), user, account, roles, ttl, Map.of());
    }

    /**
     * As {@link #mint(String, String, Set, Duration)} with more string claims, such as an ID token's nonce, or an
     * {@code aud} in place of {@link #AUDIENCE}.
     */
    public String mint(String user, String account, Set<String> roles, Duration ttl, Map<String, String> extraClaims) {
        return mint(privateKey(), user, account, roles, ttl, extraClaims);
    }

    /** The public key as a JSON Web Key Set, for an OIDC discovery document's {@code jwks_uri}. */
    public String jwks() {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        ObjectNode jwk = JSON.createObjectNode()
                .put("kty", "RSA")
                .put("use", "sig")
                .put("alg", "RS256")
                .put("n", BASE64URL.encodeToString(unsigned(key.getModulus())))
                .put("e", BASE64URL.encodeToString(unsigned(key.getPublicExponent())));
        ObjectNode set = JSON.createObjectNode();
        set.putArray("keys").add(jwk);
        return set.toString();
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** Mints with a private key given as {@link #privateKey()} prints it. */
    public static String mint(String privateKeyBase64, String user, String account, Set<String> roles, Duration ttl) {
        return mint(privateKeyBase64, user, account, roles, ttl, Map.of());
    }

    /** As {@link #mint(String, String, String, Set, Duration)} with more string claims. */
    public static String mint(
            String privateKeyBase64,
            String user,
            String account,
            Set<String> roles,
            Duration ttl,
            Map<String, String> extraClaims) {
        try {
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKeyBase64)));
            Instant now = Instant.now();
            ObjectNode claims = JSON.createObjectNode()
                    .put("iss", ISSUER)
                    .put("aud", AUDIENCE)
                    .put("sub", user)
                    .put("upn", user)
                    .put("iat", now.getEpochSecond())
                    .put("exp", now.plus(ttl).getEpochSecond());
            roles.forEach(claims.putArray("groups")::add);
            if (account != null) {
                claims.put(ACCOUNT_CLAIM, account);
            }
            extraClaims.forEach(claims::put);
            String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
            String signingInput = BASE64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot sign with this key", e);
        }
    }
}
