package io.tokenhub.gateway.edge;

/**
 * A request refused at the edge for what it is, before anything is forwarded: rendered as an OpenAI error with this
 * status. The message never quotes the request, so no content can travel on into a log through it.
 */
public final class Rejection extends Exception {

    private final int status;
    private final String param;
    private final String code;

    public Rejection(int status, String message, String param, String code) {
        super(message, null, false, false);
        this.status = status;
        this.param = param;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
