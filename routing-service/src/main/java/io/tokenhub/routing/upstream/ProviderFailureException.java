package io.tokenhub.routing.upstream;

import io.tokenhub.common.events.ProviderOutcome.FailureKind;
import io.vertx.core.MultiMap;

/**
 * A provider call that failed in a way that counts against the provider (and, from issue to issue, allows a fallback):
 * 5xx, 429 or Anthropic's 529 with the body already read, so the adapter can translate it.
 */
public class ProviderFailureException extends RuntimeException {

    private final int status;
    private final transient MultiMap headers;
    private final byte[] body;

    public ProviderFailureException(int status, MultiMap headers, byte[] body) {
        super("provider answered HTTP " + status, null, false, false);
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public MultiMap headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    public FailureKind kind() {
        return status == 429 ? FailureKind.RATE_LIMITED : FailureKind.SERVER_ERROR;
    }
}
