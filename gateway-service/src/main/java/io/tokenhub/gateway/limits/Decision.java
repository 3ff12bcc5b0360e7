package io.tokenhub.gateway.limits;

import java.util.Optional;

/**
 * The outcome of admitting one request, with what its {@code x-ratelimit-*} headers report.
 *
 * @param allowed whether the request may proceed
 * @param refused the dimension that refused it, when it was refused
 * @param neverFits the request alone needs more tokens than a whole minute allows, so waiting cannot help
 * @param retryAfterMillis when refused, how long until it would fit
 * @param requests the tightest requests-per-minute limit that applies, if any
 * @param tokens the tightest tokens-per-minute limit that applies, if any
 */
public record Decision(
        boolean allowed,
        Optional<Dimension> refused,
        boolean neverFits,
        long retryAfterMillis,
        Optional<Window> requests,
        Optional<Window> tokens) {

    private static final Decision UNLIMITED =
            new Decision(true, Optional.empty(), false, 0, Optional.empty(), Optional.empty());

    public static Decision unlimited() {
        return UNLIMITED;
    }

    /** What is limited: OpenAI's two kinds of rate limit. */
    public enum Dimension {
        REQUESTS("requests"),
        TOKENS("tokens");

        private final String wire;

        Dimension(String wire) {
            this.wire = wire;
        }

        /** The name OpenAI uses in headers and as the error type. */
        public String wire() {
            return wire;
        }
    }

    /**
     * One limit as the headers show it.
     *
     * @param limit units per minute
     * @param remaining units that could be used right now
     * @param resetMillis time until the limit is back to its full allowance
     */
    public record Window(long limit, long remaining, long resetMillis) {}
}
