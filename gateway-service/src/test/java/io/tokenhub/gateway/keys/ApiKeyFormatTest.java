package io.tokenhub.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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

    @Test
    void hashIsStableAndDistinct() {
        String key = ApiKeyFormat.generate().key();
        assertArrayEquals(ApiKeyFormat.hash(key), ApiKeyFormat.hash(key));
        assertFalse(Arrays.equals(ApiKeyFormat.hash(key), ApiKeyFormat.hash(key + "1")));
    }
}
