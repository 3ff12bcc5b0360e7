package io.tokenhub.billing.ingest;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code tokenhub.usage} in batches. The batch is acknowledged when this method returns, after its database
 * transaction and its dead letters are done; the throttled commit strategy then commits only acknowledged offsets.
 */
@ApplicationScoped
public class UsageConsumer {

    private final UsageIngester ingester;

    public UsageConsumer(UsageIngester ingester) {
        this.ingester = ingester;
    }

    @Incoming("usage")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        ingester.ingest(batch);
    }
}
