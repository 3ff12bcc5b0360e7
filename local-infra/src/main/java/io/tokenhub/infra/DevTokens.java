package io.tokenhub.infra;

import io.smallrye.jwt.build.Jwt;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * Dashboard bearer tokens for the local run and the tests, signed with a key pair made at start. The services
 * verify them with Quarkus OIDC from the public key alone ({@code quarkus.oidc.public-key}), exactly as they verify a
 * real identity provider's tokens; in production {@code quarkus.oidc.auth-server-url} points at that provider.
 */
public final class DevTokens {

    /** The issuer the services are told to accept for these tokens. */
    public static final String ISSUER = "https://tokenhub.local/dev-issuer";
    /** The claim carrying the account id; the services read the account from it. */
    public static final String ACCOUNT_CLAIM = "tokenhub_account";

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
        return mint(privateKey(), user, account, roles, ttl);
    }

    /** Mints with a private key given as {@link #privateKey()} prints it. */
    public static String mint(String privateKeyBase64, String user, String account, Set<String> roles,
            Duration ttl) {
        try {
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKeyBase64)));
            var claims = Jwt.issuer(ISSUER).subject(user).upn(user).groups(roles).expiresIn(ttl);
            if (account != null) {
                claims.claim(ACCOUNT_CLAIM, account);
            }
            return claims.sign(key);
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalArgumentException("not an RSA private key", e);
        }
    }
}
