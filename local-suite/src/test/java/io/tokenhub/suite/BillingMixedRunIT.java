package io.tokenhub.suite;

import static io.tokenhub.suite.ShownCosts.EXACT;
import static io.tokenhub.suite.ShownCosts.ROUTING_FEE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenhub.common.events.Topics;
import io.tokenhub.simulator.Behaviour;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's whole promise in one run of the suite, everything failing at once. Clients send a steady mix while the
 * Kafka broker is stopped for 30 s and started again on the same port and data, and routing-service is SIGKILLed in
 * the middle of that outage, while the events it answered are only in its usage spool: two clients send plain
 * requests, one sends every request with the same {@code X-Inferoute-Request-Id}, one asks Mistral for streams its
 * simulator cuts mid-answer. Meanwhile a record PostgreSQL refuses and a dead letter set aside "before a fix" go onto
 * the topics, and an event arrives for a month whose invoice has closed. Then a key with a budget spends past it.
 *
 * <p>At the end: every answered request has exactly one ledger line, and the reused client id one per request; each
 * line is priced at the published rate (the independent fixture {@code published-prices.tsv}) plus the configured
 * fee, and says whether its counts were reported or estimated (the cut streams); every cost a client was shown
 * equals its line; the refused record sits alone on the dead-letter topic and the replayed one is billed once, however
 * often the replay runs; the closed invoice reads as before and the late event is an adjustment line in the open
 * month; and the budget stops the key.
 */
class BillingMixedRunIT {

    private static final int PLAIN_CLIENTS = 2;
    /** Pause between one client's requests: about 100 requests/s in all, well within two shared cores. */
    private static final long PAUSE_MILLIS = 30;
    /** The cutting client is slower: its streams fail, and enough failures would get Mistral reported DOWN. */
    private static final long CUT_PAUSE_MILLIS = 400;

    private static final Duration STEADY = Duration.ofSeconds(5);
    private static final Duration KAFKA_DOWN = Duration.ofSeconds(30);
    /** Into the outage when routing-service is killed: long enough for its spool to hold answered requests. */
    private static final Duration KILL_AFTER = Duration.ofSeconds(12);

    private static final Duration CATCH_UP = Duration.ofSeconds(90);
    /**
     * How long after the test starts last month's invoice closes: the grace period is set so that it ends then. Time
     * enough for the suite to start (about 50 s on two cores) and one event to be billed into that month while it is
     * still open, and about when the outages end, so the test does not wait for it: the close touches last month
     * only, and the outages bill this one.
     */
    private static final Duration CLOSE_AFTER = Duration.ofMinutes(2);

    private static final String MODEL = "gpt-4o-mini";
    private static final String CUT_MODEL = "mistral/mistral-small-latest";
    /** The key id of the events this test writes onto the topics itself, so its accounting can tell them apart. */
    private static final String INJECTED_KEY = "mixed-run-injected";

    static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static LocalSuite suite;
    /** Last month: its invoice closes {@link #CLOSE_AFTER} into the test. */
    static YearMonth closing;

    static Instant closesAt;
    static String beforeClose;

    @BeforeAll
    static void start(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path data) throws Exception {
        System.out.println("suite data and logs: " + data);
        Instant now = Instant.now();
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        closing = current.minusMonths(1);
        closesAt = now.plus(CLOSE_AFTER);
        Instant monthStart = current.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        // The invoice of a month closes its grace period after the month ended: this one ends at closesAt.
        Duration grace = Duration.between(monthStart, closesAt);
        suite = SuiteTests.start(
                data,
                Map.of(
                        "TOKENHUB_BILLING_INVOICE_CLOSE_GRACE",
                        grace.toSeconds() + "s",
                        "TOKENHUB_BILLING_INVOICE_CLOSE_EVERY",
                        "1s"));
        // A request of last month billed while that month is still open: the invoice that closes will hold it.
        beforeClose = "mixed-before-close-" + UUID.randomUUID();
        publish(
                Topics.USAGE,
                event(beforeClose, INJECTED_KEY, closing.atDay(15).atTime(12, 0).toInstant(ZoneOffset.UTC)),
                null);
        JsonNode line = SuiteTests.ledgerLine(suite, http, demoToken(), beforeClose);
        assertTrue(
                Instant.now().isBefore(closesAt),
                "the suite took longer than " + CLOSE_AFTER + " to start and bill one event; the month closed first");
        assertEquals(closing.toString(), line.path("invoice_period").asText(), line.toString());
        assertEquals(false, line.path("adjustment").asBoolean(), line.toString());
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

    /** Which client sent a request. */
    enum Client {
        /** Its own request ids, so its requests are accounted one by one. */
        PLAIN,
        /** The same client request id on every request. */
        CORRELATED,
        /** Streams the provider cuts mid-answer, all with one client request id of their own. */
        CUT
    }

    /** One request as its client saw it. */
    record Outcome(
            Phase phase,
            Client client,
            boolean stream,
            int status,
            String requestId,
            boolean complete,
            HttpResponse<String> response) {

        /** Answered: a 2xx with a whole body, or a stream that reached its end. */
        boolean answered() {
            return status / 100 == 2 && complete;
        }

        /** A stream that began and was cut before its end. */
        boolean cut() {
            return stream && status == 200 && !complete && response.body().contains("\"content\"");
        }
    }

    @Test
    void everyAnsweredRequestIsBilledOnceAtItsPublishedPriceWhateverFails() throws Exception {
        String correlatedId = "mixed-run." + Instant.now().toEpochMilli();
        String cutId = "mixed-run-cut." + Instant.now().toEpochMilli();
        Instant runStart = Instant.now();
        suite.simulators().behave("mistral", Behaviour.builder().dropMidStream().build());
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicReference<Phase> phase = new AtomicReference<>(Phase.STEADY);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(PLAIN_CLIENTS + 2);
        for (int c = 0; c < PLAIN_CLIENTS; c++) {
            int offset = c;
            clients.submit(() -> loop(
                    running,
                    PAUSE_MILLIS,
                    n -> outcomes.add(send(phase.get(), Client.PLAIN, MODEL, (n + offset) % 2 == 0, null))));
        }
        clients.submit(() -> loop(
                running,
                PAUSE_MILLIS,
                n -> outcomes.add(send(phase.get(), Client.CORRELATED, MODEL, n % 2 == 0, correlatedId))));
        clients.submit(() -> loop(
                running, CUT_PAUSE_MILLIS, n -> outcomes.add(send(phase.get(), Client.CUT, CUT_MODEL, true, cutId))));

        String poison = "mixed-poison-" + UUID.randomUUID();
        String replayed = "mixed-replayed-" + UUID.randomUUID();
        long routingPidBefore = suite.pids().get("routing-service");
        long pendingAtKill;
        try {
            Thread.sleep(STEADY.toMillis() / 2);
            // A key id PostgreSQL's text cannot hold, amid the traffic; and a letter an operator set aside before
            // fixing what made it unbillable (as if its model had no price yet), to be replayed below.
            publish(Topics.USAGE, event(poison, "bad\\u0000key", Instant.now()), null);
            publish(Topics.USAGE_DEAD_LETTER, event(replayed, INJECTED_KEY, Instant.now()), "no_price_in_force");
            Thread.sleep(STEADY.toMillis() / 2);
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
            suite.simulators().reset("mistral");
        }
        long routingPidAfter = suite.pids().get("routing-service");
        assertNotEquals(routingPidBefore, routingPidAfter, "routing-service was not restarted");
        assertTrue(
                pendingAtKill > 0, "routing's spool held no unsent event when it was killed: the kill proved nothing");

        List<Outcome> all = new ArrayList<>(outcomes);
        List<Outcome> plain = all.stream()
                .filter(o -> o.client() == Client.PLAIN && o.answered())
                .toList();
        Set<String> plainIds = new HashSet<>();
        plain.forEach(o -> assertTrue(plainIds.add(o.requestId()), "request id answered twice: " + o));
        assertTrue(
                plain.stream().anyMatch(o -> o.phase() == Phase.KAFKA_DOWN), "nothing answered while Kafka was down");
        assertTrue(plain.stream().anyMatch(o -> o.phase() == Phase.RECOVERED), "nothing answered after the restart");
        List<Outcome> correlated = all.stream()
                .filter(o -> o.client() == Client.CORRELATED && o.answered())
                .toList();
        long cut = all.stream().filter(o -> o.client() == Client.CUT && o.cut()).count();
        assertTrue(
                cut > 0,
                "no stream was cut: "
                        + all.stream().filter(o -> o.client() == Client.CUT).toList());

        Map<String, Line> ledger = awaitLedger(plainIds);
        Map<String, Integer> counts = lineCounts();
        List<String> twice = counts.entrySet().stream()
                .filter(e -> e.getValue() != 1)
                .map(Map.Entry::getKey)
                .toList();
        assertTrue(twice.isEmpty(), "requests billed more than once: " + twice);

        // The plain clients, one by one: every answered request has its line, and its shown cost is that line's.
        List<String> missing =
                plainIds.stream().filter(id -> !ledger.containsKey(id)).toList();
        assertTrue(
                missing.isEmpty(),
                missing.size() + " of " + plain.size() + " answered requests have no ledger line, e.g. "
                        + missing.subList(0, Math.min(5, missing.size())));
        for (Outcome o : plain) {
            BigDecimal shown = o.stream()
                    ? ShownCosts.streamedCost(MODEL, o.response())
                    : ShownCosts.answeredCost(MODEL, o.response());
            assertEquals(0, shown.compareTo(ledger.get(o.requestId()).total()), o.requestId());
        }
        // Lines for requests a client did not see answered: only one routing had spooled and was still answering
        // when it was killed (the answer cut off with the process) may have one, at most one per client.
        List<Line> run = ledger.values().stream()
                .filter(l -> !INJECTED_KEY.equals(l.keyId()))
                .toList();
        List<String> unseen = run.stream()
                .filter(l -> l.clientRequestId() == null && !plainIds.contains(l.requestId()))
                .map(Line::requestId)
                .toList();
        assertTrue(
                unseen.size() <= PLAIN_CLIENTS, "lines for more requests than were in flight at the kill: " + unseen);

        // The reused client id: a line per answered request, each cost shown equal to one of them.
        List<Line> correlatedLines = run.stream()
                .filter(l -> correlatedId.equals(l.clientRequestId()))
                .toList();
        assertTrue(
                correlatedLines.size() == correlated.size() || correlatedLines.size() == correlated.size() + 1,
                correlated.size() + " answered with one client id, " + correlatedLines.size() + " lines");
        List<BigDecimal> unmatched = new ArrayList<>(
                ShownCosts.sorted(correlatedLines.stream().map(Line::total).toList()));
        for (Outcome o : correlated) {
            BigDecimal shown = o.stream()
                    ? ShownCosts.streamedCost(MODEL, o.response())
                    : ShownCosts.answeredCost(MODEL, o.response());
            assertTrue(unmatched.remove(shown.stripTrailingZeros()), "shown cost " + shown + " is no line's total");
        }

        // The cut streams: billed on an estimate that says so, and no routing fee (nothing was answered).
        List<Line> cutLines =
                run.stream().filter(l -> cutId.equals(l.clientRequestId())).toList();
        assertTrue(
                cutLines.size() == cut || cutLines.size() == cut + 1,
                cut + " streams cut, " + cutLines.size() + " lines");
        for (Line line : cutLines) {
            assertEquals("estimated", line.usageSource(), line.toString());
            assertEquals(0, line.fee().signum(), line.toString());
            assertTrue(line.outputTokens() > 0, line.toString());
        }

        // Every line of the run at the published rate plus the configured fee for an answered request.
        Map<String, List<String[]>> published = publishedPrices();
        for (Line line : run) {
            assertPublishedPrice(line, published);
            if (line.clientRequestId() == null || correlatedId.equals(line.clientRequestId())) {
                assertEquals("reported", line.usageSource(), line.toString());
            }
        }

        // The refused record went to the dead-letter topic alone, with its reason, and has no line.
        assertEquals(List.of("rejected_by_database"), deadLetterReasons(poison));
        assertTrue(!counts.containsKey(poison), "the refused record was billed");
        // The set-aside letter is billed by the replay, once, however often it runs.
        for (int replay = 0; replay < 2; replay++) {
            JsonNode answer = replay(runStart);
            assertEquals(
                    1,
                    answer.path("replayed_by_reason").path("no_price_in_force").asInt(),
                    answer.toString());
            SuiteTests.ledgerLine(suite, http, demoToken(), replayed);
        }
        Thread.sleep(2_000);
        assertEquals(1, lineCounts().getOrDefault(replayed, 0), "the replayed letter has one line");

        assertTheClosedInvoiceStaysAndALateEventIsAnAdjustment();
        assertABudgetStopsAKeyAfterTheOutage();

        System.out.printf(
                "mixed run: %d requests sent, %d plain answered (%d while Kafka was down) and %d with one client id,"
                        + " %d streams cut, %d ledger lines for the run, %d for requests cut by the kill, routing pid"
                        + " %d -> %d with %d events pending in its spool at the kill%n",
                all.size(),
                plain.size(),
                plain.stream().filter(o -> o.phase() == Phase.KAFKA_DOWN).count(),
                correlated.size(),
                cut,
                run.size(),
                unseen.size(),
                routingPidBefore,
                routingPidAfter,
                pendingAtKill);
    }

    /**
     * Last month closed after {@link #beforeClose} was billed into it; its invoice then reads the same before and
     * after an event of that month arrives late, which becomes an adjustment line of the open month.
     */
    private static void assertTheClosedInvoiceStaysAndALateEventIsAnAdjustment() throws Exception {
        JsonNode closed = awaitClosedInvoice();
        assertTrue(
                closed.path("request_count").asInt() >= 1,
                "the closed invoice holds the request billed before it closed: " + closed);
        String late = "mixed-late-" + UUID.randomUUID();
        publish(
                Topics.USAGE,
                event(late, INJECTED_KEY, closing.atDay(20).atTime(9, 0).toInstant(ZoneOffset.UTC)),
                null);
        JsonNode line = SuiteTests.ledgerLine(suite, http, demoToken(), late);
        assertTrue(line.path("adjustment").asBoolean(), line.toString());
        assertEquals(closing.toString(), line.path("adjustment_for").asText(), line.toString());
        assertEquals(
                YearMonth.now(ZoneOffset.UTC).toString(),
                line.path("invoice_period").asText(),
                line.toString());
        assertEquals(closed, invoice(closing), "a closed invoice never changes");
    }

    /**
     * Enforcement follows the spend billing publishes on Kafka, which was down and restarted: a key with a budget
     * still gets {@code insufficient_quota} once its spend reaches it, within seconds.
     */
    private static void assertABudgetStopsAKeyAfterTheOutage() throws Exception {
        BigDecimal budget = new BigDecimal("0.001");
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/api/keys"))
                        .header("Authorization", "Bearer " + demoToken())
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"mixed-run budget\",\"monthly_budget_usd\":\"" + budget + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String key = EXACT.readTree(created.body()).path("key").asText();
        int answered = 0;
        Instant deadline = Instant.now().plusSeconds(60);
        HttpResponse<String> last = null;
        while (Instant.now().isBefore(deadline)) {
            last = http.send(
                    HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/chat/completions"))
                            .header("Authorization", "Bearer " + key)
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(ShownCosts.body(MODEL, false)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() != 200) {
                break;
            }
            answered++;
            Thread.sleep(100);
        }
        assertEquals(429, last.statusCode(), answered + " answered, then " + last.body());
        assertTrue(last.body().contains("\"insufficient_quota\""), last.body());
        // Each request costs the fee and a few tokens: ten reach the budget; at 10 a second, a few seconds of lag.
        assertTrue(answered >= 5 && answered <= 60, answered + " requests answered before the budget stopped the key");
    }

    private interface Step {
        void run(long n) throws Exception;
    }

    private static Void loop(AtomicBoolean running, long pauseMillis, Step step) throws Exception {
        long n = 0;
        while (running.get()) {
            step.run(n++);
            sleep(pauseMillis);
        }
        return null;
    }

    /** One chat completion, streamed or not, as a client sees it. */
    private static Outcome send(Phase phase, Client client, String model, boolean stream, String clientId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + suite.demoKey())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ShownCosts.body(model, stream)));
        if (clientId != null) {
            request.header("X-Inferoute-Request-Id", clientId);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String id = response.headers().firstValue("X-Inferoute-Request-Id").orElse("");
            return new Outcome(
                    phase, client, stream, response.statusCode(), id, complete(stream, response.body()), response);
        } catch (IOException e) {
            // A connection cut by the kill: not answered.
            return new Outcome(phase, client, stream, 0, "", false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(phase, client, stream, 0, "", false, null);
        }
    }

    private static boolean complete(boolean stream, String body) {
        if (stream) {
            return body.strip().endsWith("data: [DONE]");
        }
        try {
            JsonNode json = EXACT.readTree(body);
            return json.path("choices").size() > 0 && json.has("usage");
        } catch (IOException e) {
            return false;
        }
    }

    /** A usage event as routing-service writes it, in the JSON the topic carries, for the demo account. */
    private static String event(String requestId, String keyId, Instant occurredAt) {
        return "{\"event_version\":1,\"request_id\":\"" + requestId + "\",\"account_id\":\"" + suite.demoAccount()
                + "\",\"key_id\":\"" + keyId + "\",\"requested_model\":\"" + MODEL + "\",\"model\":\"" + MODEL
                + "\",\"provider\":\"openai\",\"provider_model\":\"" + MODEL + "\",\"input_tokens\":1000,"
                + "\"output_tokens\":200,\"cached_tokens\":0,\"latency_ms\":420,\"time_to_first_token_ms\":null,"
                + "\"status\":\"SUCCEEDED\",\"http_status\":200,\"fallback_attempts\":0,\"streamed\":false,"
                + "\"occurred_at\":\"" + occurredAt + "\",\"client_request_id\":null,\"key_name\":\"mixed run\","
                + "\"api\":\"chat.completions\",\"usage_source\":\"reported\"}";
    }

    /** Writes {@code json} to {@code topic}, keyed by the demo account, with a dead-letter reason when given. */
    private static void publish(String topic, String json, String deadLetterReason) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka().bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            RecordHeaders headers = new RecordHeaders();
            if (deadLetterReason != null) {
                headers.add("dead-letter-reason", deadLetterReason.getBytes(StandardCharsets.UTF_8));
            }
            producer.send(new ProducerRecord<>(topic, null, suite.demoAccount(), json, headers))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** The reasons of the dead letters of {@code requestId}, in topic order. */
    private static List<String> deadLetterReasons(String requestId) throws Exception {
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, String> record : SuiteTests.readToEnd(suite, Topics.USAGE_DEAD_LETTER)) {
            if (requestId.equals(
                    EXACT.readTree(record.value()).path("request_id").asText())) {
                Header reason = record.headers().lastHeader("dead-letter-reason");
                reasons.add(reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8));
            }
        }
        return reasons;
    }

    /** The documented replay of the letters set aside since {@code from} for a price that was missing. */
    private static JsonNode replay(Instant from) throws Exception {
        String admin = suite.dashboardToken("ops", Set.of("tokenhub-admin"), Duration.ofMinutes(10));
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(suite.serviceUrl("billing-service")
                                + "/api/billing/dead-letters/replay?reason=no_price_in_force&from=" + from))
                        .header("Authorization", "Bearer " + admin)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return EXACT.readTree(answer.body());
    }

    private static JsonNode invoice(YearMonth month) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(
                                URI.create(suite.serviceUrl("billing-service") + "/api/billing/invoices/" + month))
                        .header("Authorization", "Bearer " + demoToken())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return EXACT.readTree(answer.body());
    }

    private static JsonNode awaitClosedInvoice() throws Exception {
        Instant deadline = closesAt.plusSeconds(60);
        JsonNode invoice = invoice(closing);
        while (!"closed".equals(invoice.path("status").asText())
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(1_000);
            invoice = invoice(closing);
        }
        assertEquals("closed", invoice.path("status").asText(), invoice.toString());
        return invoice;
    }

    /**
     * A line's rates are the published ones in force when the request ran (the model's base row in
     * {@code published-prices.tsv} with the latest date not after it), and its amounts follow the billing rule: provider cost =
     * uncached input x input rate + cached input x cached rate + output x output rate, per million tokens, to 8
     * decimals; the fee is the configured one for an answered request and nothing otherwise.
     */
    private static void assertPublishedPrice(Line line, Map<String, List<String[]>> published) {
        String[] row = null;
        for (String[] candidate : published.getOrDefault(line.model(), List.of())) {
            LocalDate from = LocalDate.parse(candidate[1]);
            if (!from.atStartOfDay().toInstant(ZoneOffset.UTC).isAfter(line.occurredAt())
                    && "0".equals(candidate[2])
                    && (row == null || from.isAfter(LocalDate.parse(row[1])))) {
                row = candidate;
            }
        }
        assertTrue(row != null, "no published price for " + line);
        BigDecimal input = new BigDecimal(row[3]);
        BigDecimal output = new BigDecimal(row[4]);
        BigDecimal cachedRate = row[5].isEmpty() ? input : new BigDecimal(row[5]);
        assertEquals(0, input.compareTo(line.inputRate()), line.toString());
        assertEquals(0, output.compareTo(line.outputRate()), line.toString());
        BigDecimal providerCost = BigDecimal.valueOf(line.inputTokens() - line.cachedTokens())
                .multiply(input)
                .add(BigDecimal.valueOf(line.cachedTokens()).multiply(cachedRate))
                .add(BigDecimal.valueOf(line.outputTokens()).multiply(output))
                .movePointLeft(6)
                .setScale(8, RoundingMode.HALF_EVEN);
        assertEquals(0, providerCost.compareTo(line.providerCost()), line.toString());
        BigDecimal fee = line.answered() ? ROUTING_FEE : BigDecimal.ZERO;
        assertEquals(0, fee.compareTo(line.fee()), line.toString());
        assertEquals(0, providerCost.add(fee).compareTo(line.total()), line.toString());
    }

    /** The independent price fixture, rows by model. */
    private static Map<String, List<String[]>> publishedPrices() throws IOException {
        Map<String, List<String[]>> rows = new HashMap<>();
        List<String> header = null;
        for (String text :
                Files.readAllLines(SharedSuite.repoRoot().resolve("common/src/test/resources/published-prices.tsv"))) {
            if (text.startsWith("#") || text.isBlank()) {
                continue;
            }
            String[] cells = text.split("\t", -1);
            if (header == null) {
                header = List.of(cells);
                assertEquals(
                        List.of("model", "effective_from", "above_prompt_tokens", "input", "output", "cached_input"),
                        header.subList(0, 6),
                        "the fixture's columns");
                continue;
            }
            rows.computeIfAbsent(cells[0], m -> new ArrayList<>()).add(cells);
        }
        return rows;
    }

    /**
     * One ledger line as PostgreSQL holds it.
     *
     * @param requestId billing's id
     * @param clientRequestId the client's own id, if it sent one
     * @param keyId the key that paid
     * @param model the catalog model billed
     * @param inputTokens input tokens, cached ones included
     * @param cachedTokens cached input tokens
     * @param outputTokens output tokens
     * @param inputRate input USD per 1M applied
     * @param outputRate output USD per 1M applied
     * @param providerCost what the provider charges
     * @param fee the routing fee
     * @param total provider cost plus fee
     * @param usageSource reported or estimated
     * @param answered whether a provider answered
     * @param occurredAt when the request ran
     */
    record Line(
            String requestId,
            String clientRequestId,
            String keyId,
            String model,
            long inputTokens,
            long cachedTokens,
            long outputTokens,
            BigDecimal inputRate,
            BigDecimal outputRate,
            BigDecimal providerCost,
            BigDecimal fee,
            BigDecimal total,
            String usageSource,
            boolean answered,
            Instant occurredAt) {}

    /** Events routing-service's spool holds unsent, from its readiness data. */
    private static long spoolPendingEvents() throws Exception {
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create(suite.managementUrl("routing-service") + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : EXACT.readTree(health.body()).path("checks")) {
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
    private static Map<String, Line> awaitLedger(Set<String> answeredIds) throws Exception {
        Instant deadline = Instant.now().plus(CATCH_UP);
        Map<String, Line> lines = Map.of();
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

    private static Map<String, Line> ledgerLines() throws Exception {
        Map<String, Line> lines = new HashMap<>();
        query(
                "select request_id, client_request_id, key_id, model, input_tokens, cached_tokens, output_tokens,"
                        + " input_usd_per_1m, output_usd_per_1m, provider_cost_usd, routing_fee_usd, total_usd,"
                        + " usage_source, answered, occurred_at from billing.usage_ledger where account_id = ?",
                rs -> lines.put(
                        rs.getString(1),
                        new Line(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getLong(5),
                                rs.getLong(6),
                                rs.getLong(7),
                                rs.getBigDecimal(8),
                                rs.getBigDecimal(9),
                                rs.getBigDecimal(10),
                                rs.getBigDecimal(11),
                                rs.getBigDecimal(12),
                                rs.getString(13).toLowerCase(Locale.ROOT),
                                rs.getBoolean(14),
                                rs.getTimestamp(15).toInstant())));
        return lines;
    }

    /** Ledger lines per request id: billing's deduplication key, so anything but 1 is a double bill. */
    private static Map<String, Integer> lineCounts() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        query(
                "select request_id, count(*) from billing.usage_ledger where account_id = ? group by request_id",
                rs -> counts.put(rs.getString(1), rs.getInt(2)));
        return counts;
    }

    private interface Row {
        void read(ResultSet rs) throws Exception;
    }

    private static void query(String sql, Row row) throws Exception {
        LocalSuite.Database db = suite.database();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, suite.demoAccount());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }

    private static String demoToken() {
        return suite.dashboardToken(suite.demoAccount(), Set.of(), Duration.ofMinutes(10));
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
