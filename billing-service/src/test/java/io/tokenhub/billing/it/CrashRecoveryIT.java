package io.tokenhub.billing.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.infra.KafkaBroker;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The packaged service is SIGKILLed in the middle of a burst of usage events on three partitions, then started
 * again: every request must end up billed exactly once, at the right price, and every broken record dead-lettered.
 */
class CrashRecoveryIT {

    private static final System.Logger LOG = System.getLogger(CrashRecoveryIT.class.getName());
    private static final int ACCOUNTS = 40;
    private static final int PER_ACCOUNT = 500;
    private static final int EVENTS = ACCOUNTS * PER_ACCOUNT;
    private static final int MALFORMED_EVERY = 1000;
    private static final long KILL_AT = 4000;

    @Test
    void aCrashMidBurstBillsEveryRequestExactlyOnce() throws Exception {
        KafkaBroker broker = KafkaTestResource.broker();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "crash-" + run + ".usage";
        broker.createTopics(List.of(new NewTopic(topic, 3, (short) 1), new NewTopic(topic + ".dlq", 1, (short) 1)));
        BillingProcess.Setup setup = new BillingProcess.Setup(
                broker.bootstrapServers(),
                PostgresTestResource.postgres(),
                "billing_crash_" + run,
                topic,
                "billing-crash-" + run);
        setup.createDatabase();
        Path log = Files.createTempFile("billing-crash-", ".log");

        List<UsageEvent> events = new ArrayList<>(EVENTS);
        Instant start = Instant.now().minus(Duration.ofDays(20));
        for (int a = 0; a < ACCOUNTS; a++) {
            events.addAll(Fixtures.mixedTraffic("crash-" + run + "-acct-" + a, PER_ACCOUNT, start));
        }
        BigDecimal expectedTotal =
                events.stream().map(Fixtures::expectedTotal).reduce(BigDecimal.ZERO, BigDecimal::add);

        long billedAtKill;
        int malformed;
        try (BillingProcess first = BillingProcess.start(setup, log)) {
            // A paced burst (about 4,000 events/s) so the kill below lands while events are still arriving.
            CompletableFuture<Integer> burst = CompletableFuture.supplyAsync(() -> produce(broker, topic, events));
            billedAtKill = awaitCount(setup, KILL_AT, Duration.ofSeconds(120), log);
            first.kill();
            assertTrue(billedAtKill < EVENTS, "the kill came too late to be mid-burst: " + billedAtKill);
            malformed = burst.get(120, TimeUnit.SECONDS);
        }

        try (BillingProcess second = BillingProcess.start(setup, log)) {
            awaitCount(setup, EVENTS, Duration.ofSeconds(180), log);
            awaitNoLag(broker, setup.group(), topic, Duration.ofSeconds(60));
            assertEquals(EVENTS, setup.queryLong("select count(*) from billing.usage_ledger"));
            assertEquals(
                    EVENTS,
                    setup.queryLong("select count(distinct (account_id, request_id)) from billing.usage_ledger"));
            assertEquals(
                    0,
                    expectedTotal.compareTo(setup.queryDecimal("select sum(total_usd) from billing.usage_ledger")),
                    "ledger total");
            assertEquals(
                    0,
                    setup.queryLong("select count(*) from billing.usage_ledger "
                            + "where total_usd <> provider_cost_usd + routing_fee_usd"));
            // What the first process had billed but not yet committed came back, and was recognised.
            double redelivered =
                    BillingProcess.counter(second.metrics(), "tokenhub_billing_events_total", "outcome=\"duplicate\"");
            assertTrue(redelivered > 0, "no redelivery after the crash: nothing was proven");
            LOG.log(
                    System.Logger.Level.INFO,
                    String.format(
                            "crash test: %d billed when SIGKILLed, %.0f redelivered "
                                    + "events absorbed after restart, %d billed exactly once",
                            billedAtKill, redelivered, EVENTS));
        }
        // Every broken record reached the dead-letter topic (possibly twice after the crash: at least once there).
        Set<String> sources = deadLetterSources(broker, topic + ".dlq", malformed);
        assertEquals(malformed, sources.size());
    }

    /** Sends the events, a malformed record every {@value #MALFORMED_EVERY}; returns how many malformed were sent. */
    private static int produce(KafkaBroker broker, String topic, List<UsageEvent> events) {
        int malformed = 0;
        try (KafkaProducer<String, String> producer = Fixtures.producer(broker.bootstrapServers())) {
            long began = System.nanoTime();
            for (int i = 0; i < events.size(); i++) {
                UsageEvent e = events.get(i);
                producer.send(new ProducerRecord<>(topic, e.accountId(), Fixtures.json(e)));
                if (i % MALFORMED_EVERY == 0) {
                    producer.send(new ProducerRecord<>(topic, e.accountId(), "{\"request_id\": truncated"));
                    malformed++;
                }
                long due = began + TimeUnit.MICROSECONDS.toNanos(250L * i);
                long ahead = due - System.nanoTime();
                if (ahead > 1_000_000) {
                    BillingProcess.sleep(ahead / 1_000_000);
                }
            }
            producer.flush();
        }
        return malformed;
    }

    private static long awaitCount(BillingProcess.Setup setup, long atLeast, Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = 0;
        while (System.nanoTime() < deadline) {
            try {
                count = setup.queryLong("select count(*) from billing.usage_ledger");
            } catch (IllegalStateException e) {
                count = 0; // the schema is not migrated yet
            }
            if (count >= atLeast) {
                return count;
            }
            BillingProcess.sleep(50);
        }
        throw new AssertionError("only " + count + " of " + atLeast + " billed within " + timeout + "; see " + log);
    }

    /** Waits until the group's committed offsets reach the end of every partition: nothing is left to consume. */
    private static void awaitNoLag(KafkaBroker broker, String group, String topic, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = broker.admin()) {
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < 3; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
                var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                boolean caughtUp = ends.entrySet().stream()
                        .allMatch(e -> committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset()
                                        >= e.getValue().offset());
                if (caughtUp) {
                    return;
                }
                BillingProcess.sleep(500);
            }
        }
        throw new AssertionError("consumer group " + group + " did not catch up within " + timeout);
    }

    /** The distinct source records (partition and offset) found on the dead-letter topic. */
    private static Set<String> deadLetterSources(KafkaBroker broker, String dlq, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "crash-dlq-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Set<String> sources = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(dlq));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sources.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    assertEquals("malformed_json", header(r, "dead-letter-reason"));
                    sources.add(header(r, "dead-letter-partition") + "@" + header(r, "dead-letter-offset"));
                }
            }
        }
        return sources;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
