package io.tokenhub.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InternalSignatureTest {

    private static final String SECRET = "test-internal-secret-0123456789";
    private static final long AT = 1_767_225_600L;

    @Test
    void signsWhatOpensslSignsForTheSameCanonicalCall() {
        // printf 'v1\nPOST\n/v1/chat/completions?x=1\nacct-1\nkey-1\nreq-1\n1767225600' \
        //   | openssl dgst -sha256 -hmac test-internal-secret-0123456789 -binary | basenc --base64url | tr -d =
        assertEquals(
                "v1=INkgn9Z1L8fnZNHpCZuNGsokFbujGIw_KeoYvMq92rA",
                new InternalSignature(SECRET).sign("POST", "/v1/chat/completions?x=1", "acct-1", "key-1", "req-1", AT));
    }

    @Test
    void anyChangedFieldBreaksTheSignature() {
        InternalSignature signature = new InternalSignature(SECRET);
        String signed = signature.sign("POST", "/v1/chat/completions", "acct-1", "key-1", "req-1", AT);
        assertTrue(signature.matches(signed, "POST", "/v1/chat/completions", "acct-1", "key-1", "req-1", AT));
        assertFalse(signature.matches(signed, "GET", "/v1/chat/completions", "acct-1", "key-1", "req-1", AT));
        assertFalse(signature.matches(signed, "POST", "/v1/embeddings", "acct-1", "key-1", "req-1", AT));
        assertFalse(signature.matches(signed, "POST", "/v1/chat/completions", "acct-2", "key-1", "req-1", AT));
        assertFalse(signature.matches(signed, "POST", "/v1/chat/completions", "acct-1", "key-2", "req-1", AT));
        assertFalse(signature.matches(signed, "POST", "/v1/chat/completions", "acct-1", "key-1", "req-2", AT));
        assertFalse(signature.matches(signed, "POST", "/v1/chat/completions", "acct-1", "key-1", "req-1", AT + 1));
        assertFalse(signature.matches(null, "POST", "/v1/chat/completions", "acct-1", "key-1", "req-1", AT));
        assertFalse(signature.matches(SECRET, "POST", "/v1/chat/completions", "acct-1", "key-1", "req-1", AT));
    }

    @Test
    void fieldsCannotBeShiftedIntoOneAnother() {
        InternalSignature signature = new InternalSignature(SECRET);
        assertFalse(signature
                .sign("POST", "/v1/x", "acct-1", "key-1", "req-1", AT)
                .equals(signature.sign("POST", "/v1/x", "acct-1\nkey-1", "", "req-1", AT)));
    }

    @Test
    void duringARotationEitherSecretIsAccepted() {
        InternalSignature current = new InternalSignature(SECRET);
        InternalSignature next = new InternalSignature("the-next-internal-secret-9876");
        List<InternalSignature> accepted = List.of(current, next);
        String byNext = next.sign("GET", "/v1/models", "a", "k", "r", AT);
        String byOther = new InternalSignature("some-other-secret-000000").sign("GET", "/v1/models", "a", "k", "r", AT);
        assertTrue(InternalSignature.anyMatches(accepted, byNext, "GET", "/v1/models", "a", "k", "r", AT));
        assertFalse(InternalSignature.anyMatches(accepted, byOther, "GET", "/v1/models", "a", "k", "r", AT));
        assertFalse(InternalSignature.anyMatches(List.of(current), byNext, "GET", "/v1/models", "a", "k", "r", AT));
    }

    @Test
    void shortSecretsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new InternalSignature("short"));
        assertThrows(IllegalArgumentException.class, () -> new InternalSignature(null));
    }
}
