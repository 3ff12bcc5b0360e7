package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.events.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the suite-wide ITs share: the suite started as command 1 starts it, and the usage topic read to its end.
 */
final class SuiteTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SuiteTests() {}

    /** The whole suite on free ports with its data in {@code data}, {@code environment} added to every service's. */
    static LocalSuite start(Path data, Map<String, String> environment) {
        return LocalSuite.start(LocalSuite.freePorts(SharedSuite.repoRoot(), data), environment);
    }

    /**
     * The ledger line of {@code requestId} as billing's API shows it to {@code token}'s holder; billing is
     * asynchronous (Kafka in between), so this waits up to a minute for the line to land.
     */
    static JsonNode ledgerLine(LocalSuite suite, HttpClient http, String token, String requestId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        HttpResponse<String> last = null;
        while (Instant.now().isBefore(deadline)) {
            last = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    suite.serviceUrl("billing-service") + "/api/billing/requests/" + requestId))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 200) {
                return JSON.readTree(last.body());
            }
            Thread.sleep(250);
        }
        throw new AssertionError("request " + requestId + " never reached the ledger; last answer "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    /** How many events {@code tokenhub.usage} holds for each request id, read to its end. */
    static Map<String, Integer> usageEventsByRequestId(LocalSuite suite) throws Exception {
        // The last events leave routing-service's producer within its 20 ms linger; leave it ample time.
        Thread.sleep(2_000);
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<String, String> record : readToEnd(suite, Topics.USAGE)) {
            counts.merge(JSON.readTree(record.value()).path("request_id").asText(), 1, Integer::sum);
        }
        return counts;
    }

    /** Every record {@code topic} holds now, from its beginning to its end, in partition order. */
    static List<ConsumerRecord<String, String>> readToEnd(LocalSuite suite, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "suite-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertTrue(Instant.now().isBefore(deadline), "could not read " + topic + " to its end");
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
