package io.tokenhub.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    @Test
    void generatedKeysCarryTheirIdAndAtLeast128BitsOfSecret() {
        ApiKeyFormat.Generated a = ApiKeyFormat.generate();
        ApiKeyFormat.Generated b = ApiKeyFormat.generate();
        assertNotEquals(a.key(), b.key());
        assertTrue(a.key().startsWith("thk_" + a.id() + "_"));
        assertEquals(Optional.of(a.id()), ApiKeyFormat.idOf(a.key()));
        String secret = a.key().substring(a.key().lastIndexOf('_') + 1);
        assertTrue(secret.length() * (Math.log(62) / Math.log(2)) >= 128, "secret entropy");
    }

    @Test
    void malformedKeysHaveNoId() {
        String good = ApiKeyFormat.generate().key();
        assertFalse(ApiKeyFormat.idOf(null).isPresent());
        assertFalse(ApiKeyFormat.idOf("sk-openai-style-key").isPresent());
        assertFalse(ApiKeyFormat.idOf(good.substring(1)).isPresent());
        assertFalse(ApiKeyFormat.idOf(good + "x").isPresent());
        assertFalse(ApiKeyFormat.idOf(good.replace("thk_", "thx_")).isPresent());
    }

    /** The alphabets as issued keys use them: ids without look-alikes (no l, 0, 1), secrets in base 62. */
    @Test
    void onlyCharactersTheGeneratorUsesAreAcceptedInEachPart() {
        String idAlphabet = "abcdefghijkmnopqrstuvwxyz23456789";
        String secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        String good = ApiKeyFormat.generate().key();
        int idAt = good.indexOf('_') + 1;
        int secretAt = good.lastIndexOf('_') + 1;
        StringBuilder candidates = new StringBuilder("\u0000\t\u00e9\u0430\uff11\u2028");
        for (char c = 0x20; c < 0x7f; c++) {
            candidates.append(c);
        }
        for (char c : candidates.toString().toCharArray()) {
            for (int at : new int[] {idAt, idAt + 11, secretAt, secretAt + 31}) {
                String key = good.substring(0, at) + c + good.substring(at + 1);
                boolean issuable = (at < secretAt ? idAlphabet : secretAlphabet).indexOf(c) >= 0;
                assertEquals(
                        issuable,
                        ApiKeyFormat.idOf(key).isPresent(),
                        "character U+" + Integer.toHexString(c) + " at " + at);
            }
        }
    }

    @Test
    void everyGeneratedKeyIsAccepted() {
        for (int i = 0; i < 10_000; i++) {
            ApiKeyFormat.Generated generated = ApiKeyFormat.generate();
            assertEquals(Optional.of(generated.id()), ApiKeyFormat.idOf(generated.key()));
        }
    }

    @Test
    void hashIsStableAndDistinct() {
        String key = ApiKeyFormat.generate().key();
        assertArrayEquals(ApiKeyFormat.hash(key), ApiKeyFormat.hash(key));
        assertFalse(Arrays.equals(ApiKeyFormat.hash(key), ApiKeyFormat.hash(key + "1")));
    }

    @Test
    void hashIsSha256OnEveryThreadWhateverCameBefore() throws Exception {
        // FIPS 180-2's example "abc", an oracle independent of the JVM's own digest.
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        ApiKeyFormat.hash(ApiKeyFormat.generate().key());
        assertEquals(abc, HexFormat.of().formatHex(ApiKeyFormat.hash("abc")));
        String[] other = new String[1];
        Thread thread = new Thread(() -> other[0] = HexFormat.of().formatHex(ApiKeyFormat.hash("abc")));
        thread.start();
        thread.join();
        assertEquals(abc, other[0]);
    }
}
