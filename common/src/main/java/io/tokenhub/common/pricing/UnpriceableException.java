package io.tokenhub.common.pricing;

/**
 * A usage event that cannot be priced; billing sets it aside on the dead-letter topic, never dropping it, and a
 * response simply shows no cost.
 */
public final class UnpriceableException extends Exception {

    /** Why no price could be found. */
    public enum Reason {
        /** The event names no model, or one the catalog does not list. */
        UNKNOWN_MODEL,
        /** The catalog serves the model from another provider than the one the event names. */
        PROVIDER_MISMATCH,
        /** The catalog has no price for the model at the instant the request ran. */
        NO_PRICE_IN_FORCE
    }

    private final Reason reason;

    UnpriceableException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
