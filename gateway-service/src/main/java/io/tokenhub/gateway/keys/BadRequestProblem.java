package io.tokenhub.gateway.keys;

/** A dashboard request refused for what it contains; rendered as an OpenAI-style 400. */
public class BadRequestProblem extends RuntimeException {

    private final String param;

    public BadRequestProblem(String message, String param) {
        super(message, null, false, false);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
