package io.tokenhub.routing.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenhub.routing.openai.OpenAiError;
import org.junit.jupiter.api.Test;

class ProviderErrorsTest {

    /** OpenAI's documented rate-limit message names the organisation: TokenHub's, which no customer may learn. */
    @Test
    void tokenHubsProviderAccountIdsNeverReachTheClient() {
        OpenAiError error = ProviderErrors.fromStatus(
                429,
                "tokens",
                "Rate limit reached for gpt-4o in organization "
                        + "org-AbC123xyzQrS456tuVw7890 on tokens per min (TPM): Limit 30000, Used 29000. Project "
                        + "proj_9Zq8W7e6Yx5u. An org-level limit.",
                null,
                "rate_limit_exceeded",
                2L);
        assertEquals(
                "Rate limit reached for gpt-4o in organization TokenHub's provider account on tokens per min "
                        + "(TPM): Limit 30000, Used 29000. Project TokenHub's provider account. An org-level limit.",
                error.message());
        assertEquals(429, error.status());
        assertEquals(2L, error.retryAfterSeconds());
    }
}
