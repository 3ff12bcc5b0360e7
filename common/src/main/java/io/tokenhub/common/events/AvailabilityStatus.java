package io.tokenhub.common.events;

/** A provider's availability as routing sees it. */
public enum AvailabilityStatus {
    /** Answering normally. */
    UP,
    /** Answering, but slow or with some errors: still routed to, after healthy peers where there is a choice. */
    DEGRADED,
    /** Not answering: routing skips it. */
    DOWN
}
