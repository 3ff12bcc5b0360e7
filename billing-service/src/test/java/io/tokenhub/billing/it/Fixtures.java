package io.tokenhub.billing.it;

import io.tokenhub.common.events.Api;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.common.events.UsageSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Usage traffic for the integration tests, sent with a plain Kafka producer as routing-service would, and the
 * expected bill computed independently from the published rates written out here (not from the service's code).
 */
final class Fixtures {

    static final BigDecimal FEE = new BigDecimal("0.0001");

    /** Published rates per 1M tokens: input, cached input, output; Gemini's long-prompt tier separately. */
    private static final Map<String, String[]> RATES = Map.of(
            "gpt-4o", new String[] {"2.50", "1.25", "10.00"},
            "claude-3-5-sonnet", new String[] {"3.00", "0.30", "15.00"},
            "gemini-1.5-pro", new String[] {"1.25", "1.25", "5.00"},
            "gemini-1.5-pro>128k", new String[] {"2.50", "2.50", "10.00"},
            "mistral-large-latest", new String[] {"2.00", "2.00", "6.00"},
            "llama-3.3-70b", new String[] {"0.88", "0.88", "0.88"});

    private static final String[][] MODELS = {
        {"openai", "gpt-4o"},
        {"anthropic", "claude-3-5-sonnet"},
        {"google", "gemini-1.5-pro"},
        {"mistral", "mistral-large-latest"},
        {"meta", "llama-3.3-70b"}
    };

    private Fixtures() {}

    static String newAccount(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * {@code n} requests of {@code account} spread over hours from {@code start}: five providers, streamed and not,
     * fallbacks, a long Gemini prompt, cancellations, streams cut by the provider and failures with no tokens.
     */
    static List<UsageEvent> mixedTraffic(String account, int n, Instant start) {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] pm = MODELS[i % MODELS.length];
            long input = pm[1].equals("gemini-1.5-pro") && i % 2 == 0 ? 130_000 + i : 1000 + 37L * i;
            long cached = i % 3 == 0 ? input / 4 : 0;
            long output = 50 + 11L * i;
            RequestStatus status = RequestStatus.SUCCEEDED;
            int fallbacks = 0;
            String requested = pm[1];
            switch (i % 10) {
                case 5 -> {
                    fallbacks = 1;
                    requested = "gpt-4o";
                }
                case 7 -> status = RequestStatus.CANCELLED;
                case 8 -> status = RequestStatus.PROVIDER_ERROR;
                case 9 -> {
                    status = RequestStatus.PROVIDER_ERROR;
                    input = 0;
                    cached = 0;
                    output = 0;
                    fallbacks = 2;
                }
                default -> {}
            }
            boolean streamed = i % 2 == 1;
            events.add(new UsageEvent(
                    UsageEvent.CURRENT_VERSION,
                    account + "-req-" + i,
                    account,
                    "key-" + (i % 3),
                    requested,
                    pm[1],
                    pm[0],
                    pm[1],
                    input,
                    output,
                    cached,
                    200 + i,
                    streamed ? 40L + i : null,
                    status,
                    status == RequestStatus.PROVIDER_ERROR && !streamed ? 502 : 200,
                    fallbacks,
                    streamed,
                    start.plus(Duration.ofMinutes(47L * i)),
                    null,
                    "team " + (i % 3),
                    Api.values()[i % Api.values().length],
                    status == RequestStatus.CANCELLED && streamed ? UsageSource.ESTIMATED : UsageSource.REPORTED,
                    0,
                    0));
        }
        return events;
    }

    /** What {@code e} must cost, from the published rates above: rounded once to 8 decimals, half-even. */
    static BigDecimal expectedTotal(UsageEvent e) {
        boolean answered = e.status() == RequestStatus.SUCCEEDED
                || (e.status() == RequestStatus.CANCELLED && e.outputTokens() > 0);
        BigDecimal fee = answered ? FEE : BigDecimal.ZERO;
        if (e.inputTokens() == 0 && e.outputTokens() == 0) {
            return fee.setScale(8);
        }
        String key =
                e.model().equals("gemini-1.5-pro") && e.inputTokens() > 128_000 ? "gemini-1.5-pro>128k" : e.model();
        String[] r = RATES.get(key);
        BigDecimal perMillion = new BigDecimal(r[0])
                .multiply(BigDecimal.valueOf(e.inputTokens() - e.cachedTokens()))
                .add(new BigDecimal(r[1]).multiply(BigDecimal.valueOf(e.cachedTokens())))
                .add(new BigDecimal(r[2]).multiply(BigDecimal.valueOf(e.outputTokens())));
        return perMillion
                .divide(BigDecimal.valueOf(1_000_000))
                .setScale(8, RoundingMode.HALF_EVEN)
                .add(fee);
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p);
    }

    static void send(KafkaProducer<String, String> producer, String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }

    static String json(UsageEvent e) {
        try {
            return EventJson.MAPPER.writeValueAsString(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Reads the dead-letter topic until {@code expected} records keyed {@code account} arrived, or 60 s passed. */
    static List<ConsumerRecord<String, String>> deadLetters(String bootstrap, String account, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(Topics.USAGE_DEAD_LETTER));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (account.equals(r.key())) {
                        found.add(r);
                    }
                }
            }
            // a little longer, to catch any letter beyond the expected ones
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(2))) {
                if (account.equals(r.key())) {
                    found.add(r);
                }
            }
        }
        return found;
    }
}
