package io.tokenhub.billing.ingest;

import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.pricing.Charge;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A valid usage event with its charge, and the record it came from in case it still has to be dead-lettered. */
record PricedEvent(UsageEvent event, Charge charge, ConsumerRecord<String, String> source) {

    LineKey key() {
        return new LineKey(event.accountId(), event.requestId());
    }

    /** The idempotency key: the ledger's unique constraint. */
    record LineKey(String accountId, String requestId) {}
}
