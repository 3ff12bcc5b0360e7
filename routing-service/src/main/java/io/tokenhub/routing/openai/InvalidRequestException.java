package io.tokenhub.routing.openai;

/** A request refused before any provider was called; carries the error the client gets. */
public class InvalidRequestException extends RuntimeException {

    private final transient OpenAiError error;

    public InvalidRequestException(OpenAiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public OpenAiError error() {
        return error;
    }
}
