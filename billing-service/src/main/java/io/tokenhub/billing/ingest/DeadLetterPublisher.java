package io.tokenhub.billing.ingest;

import io.smallrye.common.annotation.Identifier;
import io.tokenhub.billing.BillingConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Copies rejected records, value and key unchanged, to the dead-letter topic with headers saying why and where
 * they came from (SmallRye's {@code dead-letter-*} names, so its tooling reads them). Publishing waits for the
 * broker's acknowledgement: the batch's offsets are committed only after that, so a crash never loses one.
 */
@Singleton
public class DeadLetterPublisher {

    public static final String REASON = "dead-letter-reason";
    /** Every header this publisher adds starts so; a replay strips them before sending the event back. */
    public static final String HEADER_PREFIX = "dead-letter-";

    static final String CAUSE = "dead-letter-cause";
    static final String TOPIC = "dead-letter-topic";
    static final String PARTITION = "dead-letter-partition";
    static final String OFFSET = "dead-letter-offset";
    private static final long ACK_TIMEOUT_SECONDS = 60;

    private final KafkaProducer<String, String> producer;
    private final String topic;

    public DeadLetterPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, BillingConfig config) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tokenhub-billing-dlq");
        this.producer = new KafkaProducer<>(props);
        this.topic = config.deadLetterTopic();
    }

    /** Publishes every letter and returns once the broker has them all; throws if any could not be written. */
    void publish(List<DeadLetter> letters) throws ExecutionException, InterruptedException, TimeoutException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            RecordHeaders headers = new RecordHeaders(letter.source().headers().toArray());
            headers.add(REASON, bytes(letter.reason().code()));
            headers.add(CAUSE, bytes(letter.detail()));
            headers.add(TOPIC, bytes(letter.source().topic()));
            headers.add(PARTITION, bytes(Integer.toString(letter.source().partition())));
            headers.add(OFFSET, bytes(Long.toString(letter.source().offset())));
            sent.add(producer.send(new ProducerRecord<>(
                    topic, null, letter.source().key(), letter.source().value(), headers)));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            f.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
