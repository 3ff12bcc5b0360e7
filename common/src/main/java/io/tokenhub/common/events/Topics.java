package io.tokenhub.common.events;

/** Kafka topic names fixed by the outside contract. */
public final class Topics {

    public static final String USAGE = "tokenhub.usage";
    public static final String USAGE_DEAD_LETTER = "tokenhub.usage.dlq";
    public static final String PROVIDER_AVAILABILITY = "tokenhub.provider-availability";

    private Topics() {
    }
}
