package io.tokenhub.routing.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.ProviderOutcome;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.routing.config.RoutingConfig;
import io.tokenhub.routing.config.RoutingConfig.SpoolFsync;
import io.tokenhub.routing.tracing.Tracing;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes usage events and provider outcomes to Kafka without ever holding up a response on Kafka.
 *
 * <p>Usage events are bills, so they go through the durable {@link UsageSpool}: {@link #publish(UsageEvent)} appends
 * the event on the caller's thread (a few microseconds, before the client gets its last byte) and one sender thread
 * reads the spool, publishes with an idempotent {@code acks=all} producer, waits for the acknowledgements and only then
 * moves the spool's checkpoint. A Kafka outage of any length only grows the spool; a SIGKILL loses nothing written,
 * since the restarted process sends again from the checkpoint; billing's one line per request id absorbs what is sent
 * twice. While the spool holds {@code max-bytes} unsent, {@link #accepting()} is false and new requests are refused,
 * so an answered request's event is never dropped for lack of room.
 *
 * <p>Provider outcomes are health signals, not bills: they stay best effort, handed to a bounded in-memory queue and
 * counted in {@code tokenhub_outcome_publish_failures_total} when dropped. They go out every
 * {@value #OUTCOME_FLUSH_MILLIS} ms, one record per provider holding its outcomes in the order they happened, rather
 * than a record per call: the broker and health-monitor then handle a few records a second instead of one per request.
 * A plain producer rather than a messaging channel: two events per request went through the channel's stream
 * operators and context propagation, a fifth of routing-service's CPU in a profile at 200 requests/s.
 */
@Singleton
public class UsagePublisher {

    /**
     * Provider outcomes waiting for their sender thread, and usage events sent from memory when the spool cannot be
     * written; past this the broker has been unreachable for a while.
     */
    private static final int BACKLOG = 16_384;

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** How long provider outcomes gather before they are sent, one record per provider. */
    private static final long OUTCOME_FLUSH_MILLIS = 200;

    /** Events read from the spool and sent before waiting for their acknowledgements. */
    private static final int SEND_BATCH = 500;
    /** How long the sender sleeps when the spool is drained; an append wakes it earlier. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Pause after a failed batch before sending it again, so a down broker is not hammered. */
    private static final long RETRY_PAUSE_MILLIS = 1_000;
    /**
     * Trace contexts kept for unsent events at most; past this (a long Kafka outage with tracing on) further events
     * are published without one rather than growing the heap.
     */
    private static final int MAX_TRACE_CONTEXTS = 65_536;

    private final KafkaProducer<String, String> producer;
    private final ThreadPoolExecutor sender;
    private final Counter usageFailures;
    private final Counter outcomeFailures;
    private final Counter sendRetries;
    private final Counter shed;
    private final UsageSpool spool;
    private final long maxBytes;
    private final SpoolFsync fsync;
    private final long fsyncIntervalNanos;
    private final Duration drainTimeout;
    private final Thread spoolSender;
    private final BlockingQueue<ProviderOutcome> outcomes = new ArrayBlockingQueue<>(BACKLOG);
    private final Thread outcomeSender;
    private final Tracing tracing;
    /**
     * The request's trace context of each spooled event not yet acknowledged, by the spool position after it; empty
     * while tracing is off. In memory only, not in the spool: a trace is worth little after a restart, and the spool's
     * record format stays what any version reads.
     */
    private final Map<Long, Context> traceContexts = new ConcurrentHashMap<>();

    private volatile boolean stopping;
    /**
     * Whether the spool sender is about to sleep or sleeping for want of events. Only then does an append wake it: an
     * unpark per event cost 1.5 % of routing-service's CPU, and woke the sender for nothing while it waited on Kafka.
     */
    private volatile boolean senderIdle;

    public UsagePublisher(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            MeterRegistry registry,
            RoutingConfig config,
            Tracing tracing)
            throws IOException {
        this.tracing = tracing;
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Events are a few hundred bytes and nobody waits for them: fill batches for 20 ms, and leave them
        // uncompressed, since lz4 allocated a 64 KB buffer per batch, most of routing-service's garbage at 200 req/s.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tokenhub-routing-usage");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(BACKLOG), r -> {
            Thread thread = new Thread(r, "tokenhub-usage-sender");
            thread.setDaemon(true);
            return thread;
        });
        this.usageFailures = registry.counter("tokenhub_usage_publish_failures_total");
        this.outcomeFailures = registry.counter("tokenhub_outcome_publish_failures_total");
        this.sendRetries = registry.counter("tokenhub_usage_spool_send_retries_total");
        this.shed = registry.counter("tokenhub_usage_spool_shed_total");
        RoutingConfig.Spool spoolConfig = config.usage().spool();
        this.fsync = spoolConfig.fsync();
        this.spool =
                UsageSpool.open(Path.of(spoolConfig.dir()), spoolConfig.segmentBytes(), fsync == SpoolFsync.ALWAYS);
        this.maxBytes = spoolConfig.maxBytes();
        this.fsyncIntervalNanos = spoolConfig.fsyncInterval().toNanos();
        this.drainTimeout = spoolConfig.drainTimeout();
        Gauge.builder(
                        "tokenhub_usage_spool_pending_events",
                        spool,
                        s -> s.backlog().events())
                .description("usage events written to the spool and not yet acknowledged by Kafka")
                .register(registry);
        Gauge.builder("tokenhub_usage_spool_pending_bytes", spool, UsageSpool::pendingBytes)
                .description("spool bytes not yet acknowledged by Kafka; new requests are refused at max-bytes")
                .register(registry);
        this.spoolSender = new Thread(this::sendSpool, "tokenhub-usage-spool-sender");
        spoolSender.setDaemon(true);
        spoolSender.start();
        this.outcomeSender = new Thread(this::sendOutcomes, "tokenhub-outcome-sender");
        outcomeSender.setDaemon(true);
        outcomeSender.start();
    }

    /**
     * Writes the event to the spool; returns once it is there, so the caller may answer. When the spool cannot be
     * written (a disk error), the event still goes to Kafka from memory, counted and logged, rather than nowhere.
     */
    public void publish(UsageEvent event) {
        try {
            Context trace = tracing.capture();
            if (trace == null || traceContexts.size() >= MAX_TRACE_CONTEXTS) {
                spool.append(event.accountId(), EventJson.MAPPER.writeValueAsString(event));
            } else {
                spool.append(
                        event.accountId(),
                        EventJson.MAPPER.writeValueAsString(event),
                        position -> traceContexts.put(position, trace));
            }
        } catch (IOException e) {
            Log.errorf(
                    "usage spool: cannot write the event of request %s (%s); sending it from memory",
                    event.requestId(), e.toString());
            send(Topics.USAGE, event.accountId(), event, usageFailures, event.requestId());
            return;
        }
        if (senderIdle) {
            LockSupport.unpark(spoolSender);
        }
    }

    /**
     * False while the spool holds {@code max-bytes} unsent: a new request would be answered with no room left to
     * keep its bill. Requests already running still write theirs (the bound is passed by at most their events).
     */
    public boolean accepting() {
        if (spool.pendingBytes() < maxBytes) {
            return true;
        }
        shed.increment();
        return false;
    }

    /** What the spool holds unsent, for health and diagnostics. */
    public UsageSpool.Backlog backlog() {
        return spool.backlog();
    }

    /** The bound at which new requests are refused. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The one reader of the spool: sends a batch, waits until Kafka acknowledged all of it, then moves the
     * checkpoint. A batch that fails is sent again whole from the checkpoint after a pause: the idempotent producer
     * already retries within its delivery timeout, so this happens only after a long outage, and what it duplicates
     * billing absorbs.
     */
    private void sendSpool() {
        long position = spool.checkpoint();
        long lastSync = System.nanoTime();
        int failures = 0;
        Span[] spans = null;
        while (true) {
            try {
                if (fsync == SpoolFsync.PERIODIC && System.nanoTime() - lastSync >= fsyncIntervalNanos) {
                    spool.sync();
                    lastSync = System.nanoTime();
                }
                List<UsageSpool.Entry> batch = spool.read(position, SEND_BATCH);
                if (batch.isEmpty()) {
                    if (stopping) {
                        return;
                    }
                    spool.flushCheckpoint();
                    // An append between the read and the flag is sent after the pause: at most 50 ms later.
                    senderIdle = true;
                    LockSupport.parkNanos(IDLE_NANOS);
                    senderIdle = false;
                    continue;
                }
                List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
                spans = traceContexts.isEmpty() ? null : new Span[batch.size()];
                for (UsageSpool.Entry entry : batch) {
                    ProducerRecord<String, String> record =
                            new ProducerRecord<>(Topics.USAGE, entry.key(), entry.value());
                    if (spans != null) {
                        spans[acks.size()] =
                                tracing.publish(traceContexts.get(entry.next()), Topics.USAGE, record.headers());
                    }
                    acks.add(producer.send(record));
                }
                for (int i = 0; i < acks.size(); i++) {
                    acks.get(i).get();
                    if (spans != null && spans[i] != null) {
                        spans[i].end();
                        spans[i] = null;
                    }
                }
                position = batch.get(batch.size() - 1).next();
                spool.acknowledge(position, batch.size());
                if (spans != null) {
                    batch.forEach(entry -> traceContexts.remove(entry.next()));
                }
                if (failures > 0) {
                    Log.infof("usage spool: Kafka takes usage events again after %d failed attempts", failures);
                    failures = 0;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | RuntimeException | IOException e) {
                if (stopping) {
                    return;
                }
                failures++;
                sendRetries.increment();
                failSpans(spans);
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                Log.warnf(
                        "usage spool: sending failed (%s), %d events wait on disk; retrying from the checkpoint",
                        cause.toString(), spool.backlog().events());
                position = spool.checkpoint();
                try {
                    Thread.sleep(RETRY_PAUSE_MILLIS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Ends the publish spans of a failed batch; the batch is sent again under new ones. */
    private static void failSpans(Span[] spans) {
        if (spans == null) {
            return;
        }
        for (int i = 0; i < spans.length; i++) {
            if (spans[i] != null) {
                spans[i].setStatus(StatusCode.ERROR);
                spans[i].end();
                spans[i] = null;
            }
        }
    }

    public void publish(ProviderOutcome outcome) {
        if (!outcomes.offer(outcome)) {
            failed("ProviderOutcome", outcomeFailures, null, "backlog full");
        }
    }

    private void sendOutcomes() {
        List<ProviderOutcome> drained = new ArrayList<>();
        while (!stopping) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(OUTCOME_FLUSH_MILLIS));
            flushOutcomes(drained);
        }
        flushOutcomes(drained);
    }

    /** Sends what is queued, one record per provider (its partition key), each provider's outcomes in order. */
    private void flushOutcomes(List<ProviderOutcome> drained) {
        outcomes.drainTo(drained);
        if (drained.isEmpty()) {
            return;
        }
        Map<String, List<ProviderOutcome>> byProvider = new LinkedHashMap<>();
        for (ProviderOutcome outcome : drained) {
            byProvider
                    .computeIfAbsent(outcome.provider(), p -> new ArrayList<>())
                    .add(outcome);
        }
        drained.clear();
        byProvider.forEach((provider, list) ->
                produce(Topics.PROVIDER_OUTCOMES, provider, list, "provider outcomes", outcomeFailures, null));
    }

    private void send(String topic, String key, Object event, Counter failures, String requestId) {
        try {
            sender.execute(() -> produce(topic, key, event, event.getClass().getSimpleName(), failures, requestId));
        } catch (RejectedExecutionException e) {
            failed(event.getClass().getSimpleName(), failures, requestId, "backlog full");
        }
    }

    /** Sends {@code event} as JSON; {@code what} names it in the log line when that fails. */
    private void produce(String topic, String key, Object event, String what, Counter failures, String requestId) {
        String json;
        try {
            json = EventJson.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            failed(what, failures, requestId, "not serialisable");
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, json), (metadata, error) -> {
                if (error != null) {
                    failed(what, failures, requestId, error.getClass().getSimpleName());
                }
            });
        } catch (RuntimeException e) {
            failed(what, failures, requestId, e.getClass().getSimpleName());
        }
    }

    private static void failed(String what, Counter failures, String requestId, String why) {
        failures.increment();
        if (requestId == null) {
            Log.errorf("Kafka publish of %s failed: %s", what, why);
        } else {
            Log.errorf("Kafka publish of %s failed for request %s: %s", what, requestId, why);
        }
    }

    /**
     * Sends what is still queued before the process exits, for up to {@code drain-timeout}: these are bills. What is
     * left stays in the spool for the next start on the same volume.
     */
    @PreDestroy
    void close() {
        stopping = true;
        LockSupport.unpark(spoolSender);
        try {
            spoolSender.join(drainTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (spoolSender.isAlive()) {
            Log.warnf(
                    "usage spool: %d events stay on disk for the next start",
                    spool.backlog().events());
            spoolSender.interrupt();
        }
        LockSupport.unpark(outcomeSender);
        try {
            outcomeSender.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdown();
        try {
            if (!sender.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                Log.errorf(
                        "%d usage events still queued at shutdown",
                        sender.getQueue().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(CLOSE_TIMEOUT);
        try {
            spool.close();
        } catch (IOException e) {
            Log.warnf("usage spool: closing failed: %s", e.toString());
        }
    }
}
