package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 2 on the whole suite: no answered request goes unbilled, whatever fails. Clients send a steady mix of
 * streamed and non-streamed requests while the Kafka broker is stopped for 30 s and started again on the same port and
 * data, and routing-service is SIGKILLed in the middle of that outage, while the events it answered are only in its
 * usage spool, then started again on the same spool. Once billing has caught up, every answered request (a 2xx with a
 * whole body, or a stream that reached {@code [DONE]}) has exactly one ledger line, and the account has no line for a
 * request nobody was answered, except one routing spooled in the instant before it was killed.
 */
class UsageDurabilityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 4;
    /** Pause between one client's requests: about 100 requests/s in all, well within two shared cores. */
    private static final long PAUSE_MILLIS = 30;

    private static final Duration STEADY = Duration.ofSeconds(5);
    private static final Duration KAFKA_DOWN = Duration.ofSeconds(30);
    /** Into the outage when routing-service is killed: long enough for its spool to hold answered requests. */
    private static final Duration KILL_AFTER = Duration.ofSeconds(12);

    private static final Duration CATCH_UP = Duration.ofSeconds(90);

    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static LocalSuite suite;

    @BeforeAll
    static void start(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path data) {
        System.out.println("suite data and logs: " + data);
        suite = SuiteTests.start(data, Map.of());
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    /** When in the run a request was sent. */
    enum Phase {
        STEADY,
        KAFKA_DOWN,
        ROUTING_DEAD,
        RECOVERED
    }

    /** One request as its client saw it. */
    record Outcome(Phase phase, boolean stream, int status, String requestId, boolean complete) {

        /** Answered: a 2xx with a whole body, or a stream that reached its end. */
        boolean answered() {
            return status / 100 == 2 && complete;
        }
    }

    @Test
    void everyAnsweredRequestIsBilledExactlyOnceThroughAKafkaOutageAndARoutingKill() throws Exception {
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicReference<Phase> phase = new AtomicReference<>(Phase.STEADY);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.submit(() -> {
                long n = 0;
                while (running.get()) {
                    outcomes.add(send(phase.get(), (n++ + client) % 2 == 0));
                    sleep(PAUSE_MILLIS);
                }
                return null;
            });
        }
        long routingPidBefore = suite.pids().get("routing-service");
        long pendingAtKill;
        try {
            Thread.sleep(STEADY.toMillis());
            phase.set(Phase.KAFKA_DOWN);
            Instant kafkaStopped = Instant.now();
            suite.kafka().stop();
            Thread.sleep(KILL_AFTER.toMillis());
            pendingAtKill = spoolPendingEvents();
            phase.set(Phase.ROUTING_DEAD);
            suite.kill("routing-service");
            sleepUntil(kafkaStopped.plus(KAFKA_DOWN));
            suite.kafka().restart();
            suite.restart("routing-service");
            phase.set(Phase.RECOVERED);
            Thread.sleep(STEADY.toMillis());
        } finally {
            running.set(false);
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS), "clients still running");
        }
        long routingPidAfter = suite.pids().get("routing-service");

        List<Outcome> all = new ArrayList<>(outcomes);
        List<Outcome> answered = all.stream().filter(Outcome::answered).toList();
        Set<String> answeredIds = new HashSet<>();
        answered.forEach(o -> assertTrue(answeredIds.add(o.requestId()), "request id answered twice: " + o));
        long answeredDuringOutage =
                answered.stream().filter(o -> o.phase() == Phase.KAFKA_DOWN).count();
        long answeredAfter =
                answered.stream().filter(o -> o.phase() == Phase.RECOVERED).count();
        assertNotEquals(routingPidBefore, routingPidAfter, "routing-service was not restarted");
        assertTrue(answeredDuringOutage > 0, "no request was answered while Kafka was down");
        assertTrue(answeredAfter > 0, "no request was answered after the restart");
        assertTrue(
                pendingAtKill > 0, "routing's spool held no unsent event when it was killed: the kill proved nothing");

        Map<String, Integer> ledger = awaitLedger(answeredIds);
        List<String> missing =
                answeredIds.stream().filter(id -> !ledger.containsKey(id)).toList();
        List<String> twice = ledger.entrySet().stream()
                .filter(e -> e.getValue() != 1)
                .map(Map.Entry::getKey)
                .toList();
        assertTrue(
                missing.isEmpty(),
                missing.size() + " of " + answered.size() + " answered requests have no ledger line, e.g. "
                        + missing.subList(0, Math.min(5, missing.size())));
        assertTrue(twice.isEmpty(), "requests billed more than once: " + twice);
        assertEquals(
                answered.size(),
                ledger.keySet().stream().filter(answeredIds::contains).count(),
                "answered requests = their ledger lines");
        // Lines for requests the client did not see answered: only a request routing had spooled and was still
        // answering when it was killed (the answer cut off with the process) may have one; at most one per client.
        List<String> extra =
                ledger.keySet().stream().filter(id -> !answeredIds.contains(id)).toList();
        assertTrue(
                extra.size() <= CLIENTS,
                "more ledger lines for unanswered requests than requests were in flight at the kill: " + extra);

        Map<String, Integer> events = SuiteTests.usageEventsByRequestId(suite);
        long resent = events.values().stream().filter(n -> n > 1).count();
        System.out.printf(
                "usage durability: %d requests sent, %d answered (%d while Kafka was down), %d ledger lines, %d"
                        + " lines for requests cut by the kill, routing pid %d -> %d with %d events pending in its"
                        + " spool at the kill, %d events on the topic more than once (absorbed by billing)%n",
                all.size(),
                answered.size(),
                answeredDuringOutage,
                ledger.size(),
                extra.size(),
                routingPidBefore,
                routingPidAfter,
                pendingAtKill,
                resent);
    }

    /** One chat completion, streamed or not, as a client sees it. */
    private static Outcome send(Phase phase, boolean stream) {
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":" + stream + ",\"max_tokens\":16,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Count to three.\"}]}";
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/chat/completions"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + suite.demoKey())
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String id = response.headers().firstValue("X-Inferoute-Request-Id").orElse("");
            return new Outcome(phase, stream, response.statusCode(), id, complete(stream, response.body()));
        } catch (IOException e) {
            // A connection cut by the kill: not answered.
            return new Outcome(phase, stream, 0, "", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(phase, stream, 0, "", false);
        }
    }

    private static boolean complete(boolean stream, String body) {
        if (stream) {
            return body.strip().endsWith("data: [DONE]");
        }
        try {
            JsonNode json = JSON.readTree(body);
            return json.path("choices").size() > 0 && json.has("usage");
        } catch (IOException e) {
            return false;
        }
    }

    /** Events routing-service's spool holds unsent, from its readiness data. */
    private static long spoolPendingEvents() throws Exception {
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create(suite.managementUrl("routing-service") + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : JSON.readTree(health.body()).path("checks")) {
            if ("usage-spool".equals(check.path("name").asText())) {
                return check.path("data").path("pending_events").asLong();
            }
        }
        throw new AssertionError("no usage-spool check in routing's readiness: " + health.body());
    }

    /**
     * The demo account's ledger lines by request id, once every answered request has one or the lines stopped
     * coming for a while: billing reads the spool's backlog only after routing's restart, in batches.
     */
    private static Map<String, Integer> awaitLedger(Set<String> answeredIds) throws Exception {
        Instant deadline = Instant.now().plus(CATCH_UP);
        Map<String, Integer> lines = Map.of();
        while (Instant.now().isBefore(deadline)) {
            lines = ledgerLines();
            if (lines.keySet().containsAll(answeredIds)) {
                // Lines for requests cut at the kill may still follow the last answered one.
                Thread.sleep(2_000);
                return ledgerLines();
            }
            Thread.sleep(1_000);
        }
        return lines;
    }

    private static Map<String, Integer> ledgerLines() throws Exception {
        LocalSuite.Database db = suite.database();
        Map<String, Integer> lines = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                PreparedStatement query = connection.prepareStatement(
                        "select request_id, count(*) from billing.usage_ledger where account_id = ? group by request_id")) {
            query.setString(1, suite.demoAccount());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    lines.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return lines;
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
