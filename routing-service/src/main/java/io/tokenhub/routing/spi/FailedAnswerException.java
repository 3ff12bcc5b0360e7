package io.tokenhub.routing.spi;

import io.tokenhub.routing.openai.OpenAiError;

/**
 * A provider answered with success but the answer says generation failed (Mistral's {@code finish_reason: "error"}):
 * the client gets an error rather than a truncated answer dressed as complete, and the tokens the provider reported
 * are still billed, because the provider bills them.
 */
public class FailedAnswerException extends RuntimeException {

    private final transient OpenAiError error;
    private final transient Usage usage;

    public FailedAnswerException(OpenAiError error, Usage usage) {
        super(error.message(), null, false, false);
        this.error = error;
        this.usage = usage;
    }

    public OpenAiError error() {
        return error;
    }

    public Usage usage() {
        return usage;
    }
}
