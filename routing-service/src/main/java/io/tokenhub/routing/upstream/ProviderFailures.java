package io.tokenhub.routing.upstream;

import io.tokenhub.common.events.ProviderOutcome.FailureKind;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.service.call.CircuitBreaker;
import io.vertx.core.MultiMap;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** What a failed {@link ProviderClient#send} means for the client and for the provider's health record. */
public final class ProviderFailures {

    /** Translates a provider's error response; every adapter's {@code toOpenAiError} is one. */
    @FunctionalInterface
    public interface ErrorTranslator {
        OpenAiError toOpenAiError(int status, MultiMap headers, byte[] body);
    }

    /**
     * A classified failure.
     *
     * @param error what the client gets
     * @param kind what health-monitor is told; null when the failure was this replica's, not the provider's
     */
    public record Classified(OpenAiError error, FailureKind kind) {}

    private ProviderFailures() {}

    /** Classifies {@code failure}; {@code requestedModel} is the name the client sent, for the messages. */
    public static Classified classify(Throwable failure, ErrorTranslator translator, String requestedModel) {
        if (failure instanceof ProviderFailureException pfe) {
            return new Classified(translator.toOpenAiError(pfe.status(), pfe.headers(), pfe.body()), pfe.kind());
        }
        if (failure instanceof ConnectionPoolTooBusyException) {
            return new Classified(
                    new OpenAiError(
                            503,
                            "server_error",
                            "TokenHub has too many calls open to the provider serving '" + requestedModel
                                    + "'. Please retry shortly.",
                            null,
                            "service_unavailable",
                            1L),
                    null);
        }
        if (failure instanceof CircuitBreaker.OpenException) {
            return new Classified(
                    OpenAiError.unavailable("The provider serving '" + requestedModel
                            + "' is failing; TokenHub paused calls to it. Please retry shortly."),
                    FailureKind.CIRCUIT_OPEN);
        }
        if (failure instanceof TimeoutException) {
            return new Classified(OpenAiError.timeout("The provider did not answer in time."), FailureKind.TIMEOUT);
        }
        return new Classified(
                OpenAiError.badGateway("TokenHub could not reach the provider"
                        + (failure instanceof ConnectException ? " (connection refused)." : ".")),
                FailureKind.CONNECTION);
    }
}
