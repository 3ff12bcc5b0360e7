package io.tokenhub.billing.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokenhub.billing.BillingConfig;
import io.tokenhub.billing.TestEvents;
import io.tokenhub.billing.budget.SpendPublisher;
import io.tokenhub.billing.retention.RetentionPolicy;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.pricing.PriceCalculator;
import io.tokenhub.common.pricing.RoutingFees;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The halving of a batch PostgreSQL refuses for its data, against a stand-in writer that refuses any batch holding a
 * "bad" request (as PostgreSQL refuses a whole statement for one row) and an outage once.
 */
class BatchSplittingTest {

    private final List<String> stored = new ArrayList<>();
    private final List<DeadLetter> published = new ArrayList<>();
    private final Set<String> bad = new HashSet<>();
    private int outages;
    private int attempts;

    private final LedgerWriter writer = new LedgerWriter(null) {
        @Override
        StoreResult store(List<PricedEvent> events, Instant now) {
            attempts++;
            if (outages > 0) {
                outages--;
                throw new IllegalStateException("connection lost", new SQLException("gone", "08006"));
            }
            if (events.stream().anyMatch(e -> bad.contains(e.event().requestId()))) {
                throw new IllegalStateException("refused", new SQLException("ERROR: numeric field overflow", "22003"));
            }
            events.forEach(e -> stored.add(e.event().requestId()));
            return new StoreResult(events.size(), 0, List.of());
        }
    };

    private final DeadLetterPublisher publisher =
            new DeadLetterPublisher(Map.of("bootstrap.servers", "127.0.0.1:1"), config()) {
                @Override
                void publish(List<DeadLetter> letters) {
                    published.addAll(letters);
                }
            };

    /** Never runs here: a batch only marks its accounts for the next publication. */
    private final SpendPublisher spend = new SpendPublisher(null, Map.of("bootstrap.servers", "127.0.0.1:1"));

    private final UsageIngester ingester = new UsageIngester(
            new PriceCalculator(TestEvents.catalog(), RoutingFees.flat(new BigDecimal("0.0001"))),
            new RetentionPolicy(config()),
            writer,
            publisher,
            new IngestMetrics(new SimpleMeterRegistry()),
            spend,
            config());

    @AfterEach
    void closeProducer() {
        publisher.close();
        spend.close();
    }

    // Bounded: without the split, a refused batch would be retried forever instead of failing the test.
    @Test
    @Timeout(20)
    void onlyTheRefusedEventsAreDeadLetteredAndEveryOtherIsStoredOnce() {
        bad.add("r-3");
        bad.add("r-12");
        ingester.ingest(records(16));

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            if (i != 3 && i != 12) {
                expected.add("r-" + i);
            }
        }
        assertEquals(expected, stored);
        assertEquals(
                List.of("r-3", "r-12"),
                published.stream().map(l -> l.source().key()).toList());
        published.forEach(l -> assertEquals(DeadLetterReason.REJECTED_BY_DATABASE, l.reason()));
        assertEquals(
                "PostgreSQL refused the event (SQLSTATE 22003): ERROR: numeric field overflow",
                published.get(0).detail());
        // 16 -> 8 + 8 -> (4 + 4) + (4 + 4) -> ... : 1 + 2 + 4 + 4 + 4 = 15 statements for two bad events in 16
        assertEquals(15, attempts);
    }

    @Test
    @Timeout(20)
    void anOutageIsRetriedWholeNeverSplit() {
        outages = 2;
        ingester.ingest(records(8));
        assertEquals(3, attempts);
        assertEquals(8, stored.size());
        assertEquals(List.of(), published);
    }

    private static List<ConsumerRecord<String, String>> records(int n) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Instant at = Instant.now().minus(Duration.ofHours(1));
        for (int i = 0; i < n; i++) {
            String id = "r-" + i;
            String json;
            try {
                json = EventJson.MAPPER.writeValueAsString(
                        TestEvents.usage(id, "acct", "openai", "gpt-4o", 100, 0, 10, at));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            // the key carries the request id, so a dead letter says which event it was
            records.add(new ConsumerRecord<>("tokenhub.usage", 0, i, id, json));
        }
        return records;
    }

    private static BillingConfig config() {
        return new BillingConfig() {
            @Override
            public BigDecimal routingFeeUsd() {
                return new BigDecimal("0.0001");
            }

            @Override
            public List<RoutingFees.Dated> routingFees() {
                return List.of();
            }

            @Override
            public Duration maxClockSkew() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Duration invoiceCloseGrace() {
                return Duration.ofDays(3);
            }

            @Override
            public String invoiceCloseEvery() {
                return "15m";
            }

            @Override
            public String spendPublishEvery() {
                return "1s";
            }

            @Override
            public String deadLetterTopic() {
                return "tokenhub.usage.dlq";
            }

            @Override
            public Retention retention() {
                return new Retention() {
                    @Override
                    public int defaultDays() {
                        return 400;
                    }

                    @Override
                    public Map<String, Integer> accounts() {
                        return Map.of();
                    }

                    @Override
                    public int invoiceKeepYears() {
                        return 7;
                    }

                    @Override
                    public Duration purgeEvery() {
                        return Duration.ofHours(1);
                    }

                    @Override
                    public int purgeChunk() {
                        return 5000;
                    }
                };
            }

            @Override
            public Store store() {
                return new Store() {
                    @Override
                    public Duration initialBackoff() {
                        return Duration.ofMillis(1);
                    }

                    @Override
                    public Duration maxBackoff() {
                        return Duration.ofMillis(2);
                    }
                };
            }
        };
    }
}
