package io.tokenhub.simulator;

import java.util.List;

/**
 * A deterministic stand-in for a tokenizer: one token per started group of four characters, the rule of thumb the
 * providers document. Tests compute expected bills from the same rules:
 * <ul>
 * <li>prompt tokens = {@value #PRIMING} + for each message (the system prompt counts as one) {@value #PER_MESSAGE} +
 * {@code count(text of the message)}, where the text is the message's text parts joined, and every non-text part
 * (image, tool call, tool result) adds the count of its compact JSON in the provider's own request format;</li>
 * <li>completion tokens = {@code count(reply text)} + for each tool call {@code count(name) + count(arguments JSON)}.
 * </li>
 * </ul>
 * So a plain-text conversation costs the same prompt tokens at every provider.
 */
public final class TokenCounter {

    /** Tokens every prompt costs before its first message. */
    public static final int PRIMING = 3;

    /** Tokens each message costs besides its text. */
    public static final int PER_MESSAGE = 3;

    private TokenCounter() {}

    public static int count(CharSequence text) {
        return text == null || text.length() == 0 ? 0 : (text.length() + 3) / 4;
    }

    /** Prompt tokens of a conversation given the text of each of its messages. */
    public static int prompt(List<? extends CharSequence> messageTexts) {
        int tokens = PRIMING;
        for (CharSequence text : messageTexts) {
            tokens += PER_MESSAGE + count(text);
        }
        return tokens;
    }
}
