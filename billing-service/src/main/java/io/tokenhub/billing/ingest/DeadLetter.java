package io.tokenhub.billing.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record set aside, with why. */
record DeadLetter(ConsumerRecord<String, String> source, DeadLetterReason reason, String detail) {}
