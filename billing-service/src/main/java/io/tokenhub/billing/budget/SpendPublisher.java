package io.tokenhub.billing.budget;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.tokenhub.common.events.AccountSpend;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Tells the gateway what each account spent this month, so it can hold budgets: every account whose ledger or budget
 * changed since the last run gets a fresh {@link AccountSpend} on the compacted topic {@link Topics#SPEND}. A run
 * comes every {@code tokenhub.billing.spend-publish-every} (1 s), so a budget holds within that plus billing's own
 * lag behind routing. A record lost to a crash is made good by the account's next billed request; compaction keeps
 * the latest per account for a gateway that starts later.
 */
@Singleton
public class SpendPublisher {

    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final AccountBudgets budgets;
    private final KafkaProducer<String, String> producer;

    public SpendPublisher(AccountBudgets budgets, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.budgets = budgets;
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tokenhub-billing-spend");
        this.producer = new KafkaProducer<>(props);
    }

    /** Marks accounts whose spend or budget changed; the next run publishes them. */
    public void changed(Collection<String> accountIds) {
        changed.addAll(accountIds);
    }

    @Scheduled(
            every = "${tokenhub.billing.spend-publish-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void publishChanged() {
        if (changed.isEmpty()) {
            return;
        }
        List<String> accounts = new ArrayList<>(changed);
        changed.removeAll(accounts);
        Instant now = Instant.now();
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        for (String account : accounts) {
            try {
                AccountSpend spend = budgets.spend(account, month, now);
                producer.send(
                        new ProducerRecord<>(Topics.SPEND, account, EventJson.MAPPER.writeValueAsString(spend)),
                        (metadata, failure) -> {
                            if (failure != null) {
                                // Published again with the account's next change; until then the gateway holds the
                                // previous total.
                                changed.add(account);
                                Log.warnf(
                                        "spend of an account not published: %s",
                                        failure.getClass().getSimpleName());
                            }
                        });
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                changed.add(account);
                throw e;
            }
        }
    }

    @PreDestroy
    public void close() {
        producer.close();
    }
}
