package io.tokenhub.billing.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.infra.KafkaBroker;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the usage consumer: a backlog of usage events is put on a 3-partition topic first, then the packaged
 * billing-service starts and bills it; the rate is events billed per second of consuming, measured from the first
 * ledger line to the last. Kafka, PostgreSQL, the producer and the service all share this machine's cores.
 * Not part of the default build (its name matches no failsafe pattern); run it with bench/consumer-throughput.sh.
 */
class ConsumerThroughputBench {

    private static final System.Logger LOG = System.getLogger(ConsumerThroughputBench.class.getName());
    private static final int ACCOUNTS = 100;
    /** The rate the issue asks the consumer to sustain on a 2-core machine. */
    private static final double REQUIRED_PER_SECOND = 2_000;

    @Test
    void theConsumerKeepsUpWithAtLeastTwoThousandEventsPerSecond() throws Exception {
        int events = Integer.getInteger("bench.events", 100_000);
        int perAccount = Math.max(1, events / ACCOUNTS);
        int total = perAccount * ACCOUNTS;
        KafkaBroker broker = KafkaTestResource.broker();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench-" + run + ".usage";
        broker.createTopics(List.of(new NewTopic(topic, 3, (short) 1), new NewTopic(topic + ".dlq", 1, (short) 1)));
        BillingProcess.Setup setup = new BillingProcess.Setup(
                broker.bootstrapServers(),
                PostgresTestResource.postgres(),
                "billing_bench_" + run,
                topic,
                "billing-bench-" + run);
        setup.createDatabase();

        long produceStart = System.nanoTime();
        Instant start = Instant.now().minus(Duration.ofDays(40));
        try (KafkaProducer<String, String> producer = Fixtures.producer(broker.bootstrapServers())) {
            for (int a = 0; a < ACCOUNTS; a++) {
                for (UsageEvent e : Fixtures.mixedTraffic("bench-" + run + "-acct-" + a, perAccount, start)) {
                    producer.send(new ProducerRecord<>(topic, e.accountId(), Fixtures.json(e)));
                }
            }
            producer.flush();
        }
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;

        Path log = Files.createTempFile("billing-bench-", ".log");
        try (BillingProcess service = BillingProcess.start(setup, log)) {
            long ready = System.nanoTime();
            long firstLine = 0;
            long count = 0;
            long deadline = ready + Duration.ofMinutes(10).toNanos();
            while (count < total && System.nanoTime() < deadline) {
                count = setup.queryLong("select count(*) from billing.usage_ledger");
                if (firstLine == 0 && count > 0) {
                    firstLine = System.nanoTime();
                }
                BillingProcess.sleep(100);
            }
            long done = System.nanoTime();
            assertEquals(total, count, "not everything was billed; see " + log);
            double consumeSeconds = (done - firstLine) / 1e9;
            double rate = total / consumeSeconds;
            double fromReady = total / ((done - ready) / 1e9);
            double batches =
                    BillingProcess.counter(service.metrics(), "tokenhub_billing_batch_duration_seconds_count", "");
            LOG.log(
                    System.Logger.Level.INFO,
                    String.format(
                            "consumer throughput: %d events billed in %.2f s = %.0f "
                                    + "events/s (%.0f events/s counting from readiness, %.0f batches); backlog produced in %.2f s",
                            total, consumeSeconds, rate, fromReady, batches, produceSeconds));
            assertTrue(
                    rate >= REQUIRED_PER_SECOND,
                    String.format("%.0f events/s is below %.0f", rate, REQUIRED_PER_SECOND));
        }
    }
}
