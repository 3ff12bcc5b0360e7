package io.tokenhub.billing.pricing;

/** A usage event billing cannot put a price on; it is set aside on the dead-letter topic, never dropped. */
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
