package io.tokenhub.health.availability;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.tokenhub.common.events.Topics;
import io.tokenhub.health.config.HealthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes sure {@value Topics#PROVIDER_AVAILABILITY} exists as a compacted topic before anything is written to it, so
 * a broker that auto-creates topics never creates it with the delete policy, which would lose the state of a
 * provider that has not changed for the retention time.
 */
@ApplicationScoped
public class AvailabilityTopic {

    /** Rolls segments hourly: compaction only cleans closed segments, and the default week would let it grow. */
    static final String SEGMENT_MS = String.valueOf(TimeUnit.HOURS.toMillis(1));

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> kafka;
    private final HealthConfig.AvailabilityTopic config;
    private volatile boolean ready;

    public AvailabilityTopic(@Identifier("default-kafka-broker") Map<String, Object> kafka, HealthConfig health) {
        this.kafka = kafka;
        this.config = health.availabilityTopic();
    }

    public boolean isReady() {
        return ready;
    }

    /** Creates the topic when missing; returns whether it exists. Blocks for up to a few seconds. */
    public synchronized boolean ensure() {
        if (ready) {
            return true;
        }
        try (Admin admin = Admin.create(adminConfig())) {
            NewTopic topic = new NewTopic(Topics.PROVIDER_AVAILABILITY, config.partitions(), config.replicationFactor())
                    .configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.SEGMENT_MS_CONFIG,
                            SEGMENT_MS));
            try {
                admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Log.infof("Created compacted topic %s", Topics.PROVIDER_AVAILABILITY);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                warnUnlessCompacted(admin);
            }
            ready = true;
        } catch (ExecutionException | TimeoutException e) {
            Log.warnf(
                    "Cannot make sure topic %s exists yet (%s); will try again",
                    Topics.PROVIDER_AVAILABILITY, (e.getCause() == null ? e : e.getCause()).toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ready;
    }

    private void warnUnlessCompacted(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PROVIDER_AVAILABILITY);
        Config described = admin.describeConfigs(List.of(resource))
                .all()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .get(resource);
        String policy = Optional.ofNullable(described.get(TopicConfig.CLEANUP_POLICY_CONFIG))
                .map(entry -> entry.value())
                .orElse("");
        if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            // Changing an existing topic is the operator's call; say loudly what is wrong with it.
            Log.warnf(
                    "Topic %s exists with cleanup.policy=%s; it must be compacted (cleanup.policy=compact), or "
                            + "consumers lose the state of providers that did not change lately",
                    Topics.PROVIDER_AVAILABILITY, policy);
        }
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> admin = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                admin.put(key, value);
            }
        });
        admin.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "tokenhub-health-monitor-admin");
        // A call outlives the wait for its answer until its own timeout (60 s by default), and closing the client
        // waits for it: bounded here, a probe round or a shutdown with the broker gone waits at most this long.
        admin.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        admin.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        return admin;
    }
}
