package io.tokenhub.common.events;

/** Kafka topic names fixed by the outside contract. */
public final class Topics {

    public static final String USAGE = "tokenhub.usage";
    public static final String USAGE_DEAD_LETTER = "tokenhub.usage.dlq";
    public static final String PROVIDER_AVAILABILITY = "tokenhub.provider-availability";
    /** Internal: per-call outcomes from routing-service to health-monitor; not part of the outside contract. */
    public static final String PROVIDER_OUTCOMES = "tokenhub.provider-outcomes";
    /** Internal, compacted: each account's spend this month and its budget, from billing-service to the gateway. */
    public static final String SPEND = "tokenhub.spend";

    private Topics() {}
}
