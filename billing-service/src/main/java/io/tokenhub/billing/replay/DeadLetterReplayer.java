package io.tokenhub.billing.replay;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.tokenhub.billing.BillingConfig;
import io.tokenhub.billing.ingest.DeadLetterPublisher;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends dead letters back to the usage topic, key and value unchanged, for billing to take them again once their
 * cause is fixed (a catalog price added, a bug fixed). It reads the dead-letter topic up to its end as the replay
 * starts, so letters that fail again and return to it are not re-read in the same run. Replaying is idempotent in
 * effect: the ledger's unique (account, request id) turns an event already billed into a duplicate, never a second
 * line.
 */
@Singleton
public class DeadLetterReplayer {

    /** Names the dead letter a replayed event came from, for tracing it back. */
    static final String REPLAYED_FROM = "tokenhub-replayed-from";

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, Object> kafka;
    private final String deadLetterTopic;
    private final String usageTopic;

    public DeadLetterReplayer(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            BillingConfig config,
            @ConfigProperty(name = "mp.messaging.incoming.usage.topic") String usageTopic) {
        this.kafka = Map.copyOf(kafka);
        this.deadLetterTopic = config.deadLetterTopic();
        this.usageTopic = usageTopic;
    }

    /**
     * Replays the dead letters whose reason is in {@code reasons} (every reason when empty) that were dead-lettered
     * at or after {@code from} (all when null); returns what was scanned and sent back, per reason.
     */
    public Result replay(Set<String> reasons, Instant from) throws Exception {
        Map<String, Long> replayed = new TreeMap<>();
        long scanned = 0;
        try (KafkaConsumer<String, String> consumer = consumer();
                KafkaProducer<String, String> producer = producer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            seek(consumer, partitions, from);
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + deadLetterTopic + " to its end in "
                            + READ_TIMEOUT.toSeconds() + " s; nothing is lost, run the replay again");
                }
                for (ConsumerRecord<String, String> letter : consumer.poll(Duration.ofMillis(500))) {
                    if (letter.offset() >= end.get(new TopicPartition(letter.topic(), letter.partition()))) {
                        continue;
                    }
                    scanned++;
                    String reason = header(letter, DeadLetterPublisher.REASON);
                    if (reasons.isEmpty() || reasons.contains(reason)) {
                        sent.add(producer.send(back(letter)));
                        replayed.merge(reason == null ? "unknown" : reason, 1L, Long::sum);
                    }
                }
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        long total = replayed.values().stream().mapToLong(Long::longValue).sum();
        Log.infof("replayed %d of %d dead letters to %s: %s", total, scanned, usageTopic, replayed);
        return new Result(scanned, total, replayed);
    }

    /** The original event with its original headers, the dead-letter ones removed and its origin added. */
    private ProducerRecord<String, String> back(ConsumerRecord<String, String> letter) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : letter.headers()) {
            if (!h.key().startsWith(DeadLetterPublisher.HEADER_PREFIX)
                    && !h.key().equals(REPLAYED_FROM)) {
                headers.add(h);
            }
        }
        String origin = letter.topic() + "-" + letter.partition() + "@" + letter.offset();
        headers.add(REPLAYED_FROM, origin.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(usageTopic, null, letter.key(), letter.value(), headers);
    }

    private static void seek(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions, Instant from) {
        if (from == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(p -> at.put(p, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(at);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp o = offsets.get(p);
            if (o == null) {
                consumer.seekToEnd(List.of(p));
            } else {
                consumer.seek(p, o.offset());
            }
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private KafkaConsumer<String, String> consumer() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tokenhub-billing-dlq-replay");
        // Assigned partitions and no group: a replay keeps no offsets, so it can be run again over the same letters.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(props);
    }

    private KafkaProducer<String, String> producer() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tokenhub-billing-dlq-replay");
        return new KafkaProducer<>(props);
    }

    /**
     * What a replay did.
     *
     * @param scanned dead letters read
     * @param replayed dead letters sent back to the usage topic
     * @param replayedByReason the same, per {@code dead-letter-reason}
     */
    public record Result(long scanned, long replayed, Map<String, Long> replayedByReason) {}
}
