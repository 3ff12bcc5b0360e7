package io.tokenhub.gateway.limits;

import io.vertx.core.MultiMap;

/**
 * The rate-limit headers OpenAI sends on every response, {@code x-ratelimit-limit|remaining|reset-requests|tokens},
 * with resets written as OpenAI writes them ({@code 1s}, {@code 6m0s}, {@code 20ms}), and on a refusal
 * {@code Retry-After} in whole seconds plus {@code retry-after-ms}, which the official SDKs prefer. A dimension without
 * a limit in the caller's plan has no headers.
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {}

    public static void apply(MultiMap headers, Decision decision) {
        decision.requests().ifPresent(w -> put(headers, "requests", w));
        decision.tokens().ifPresent(w -> put(headers, "tokens", w));
        if (!decision.allowed() && decision.neverFits()) {
            // Waiting cannot help, so no retry hint; the official SDKs honour x-should-retry and do not retry in vain.
            headers.set("x-should-retry", "false");
        } else if (!decision.allowed()) {
            retryAfter(headers, decision.retryAfterMillis());
        }
    }

    /** {@code Retry-After} in whole seconds, rounded up, and {@code retry-after-ms}, which the official SDKs prefer. */
    public static void retryAfter(MultiMap headers, long millis) {
        long positive = Math.max(1, millis);
        headers.set("Retry-After", Long.toString((positive + 999) / 1000));
        headers.set("retry-after-ms", Long.toString(positive));
    }

    private static void put(MultiMap headers, String dimension, Decision.Window window) {
        headers.set("x-ratelimit-limit-" + dimension, Long.toString(window.limit()));
        headers.set("x-ratelimit-remaining-" + dimension, Long.toString(window.remaining()));
        headers.set("x-ratelimit-reset-" + dimension, duration(window.resetMillis()));
    }

    /** A duration the way Go prints one, which is what OpenAI's reset headers carry, to the millisecond. */
    public static String duration(long millis) {
        if (millis <= 0) {
            return "0s";
        }
        if (millis < 1_000) {
            return millis + "ms";
        }
        StringBuilder out = new StringBuilder();
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        long seconds = millis / 1_000 % 60;
        long fraction = millis % 1_000;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(seconds);
        if (fraction > 0) {
            String digits = String.format("%03d", fraction);
            out.append('.').append(digits.replaceAll("0+$", ""));
        }
        return out.append('s').toString();
    }
}
