package io.tokenhub.common.wire;

/**
 * Token counts estimated from text length, where no tokenizer's count is at hand: the gateway's up-front limit
 * check, a stream billed without the provider's usage, the simulators' usage. OpenAI's rule of thumb is about four
 * characters of English text per token (https://help.openai.com/en/articles/4936856-what-are-tokens-and-how-to-count-them);
 * it is written here once so every estimate in TokenHub agrees.
 */
public final class TokenEstimate {

    /** Characters of text per token, rounded up. */
    public static final int CHARS_PER_TOKEN = 4;

    private TokenEstimate() {}

    /** Tokens for {@code chars} characters of text, rounded up; zero for none. */
    public static long fromChars(long chars) {
        return chars <= 0 ? 0 : (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }
}
