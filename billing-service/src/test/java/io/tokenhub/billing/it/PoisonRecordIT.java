package io.tokenhub.billing.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tokenhub.billing.TestEvents;
import io.tokenhub.common.events.RequestStatus;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Records PostgreSQL refuses, in the middle of a batch of good ones, on real Kafka and PostgreSQL: only they are
 * dead-lettered, every good event is billed once; then the documented replay sends dead letters back, twice, and
 * nothing is billed twice.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(DevOidcTestResource.class)
class PoisonRecordIT {

    private static final int GOOD = 40;
    private static final String REPLAY = "/api/billing/dead-letters/replay";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aRecordPostgresRefusesIsDeadLetteredAloneAndTheReplayBillsNothingTwice() {
        Instant startedAt = Instant.now();
        String account = Fixtures.newAccount("poison");
        Instant at = Instant.now().minus(Duration.ofMinutes(30));
        List<UsageEvent> good = new ArrayList<>();
        for (int i = 0; i < GOOD; i++) {
            good.add(TestEvents.usage(
                    account + "-" + i, account, "openai", "gpt-4o", 1000 + i, 0, 100, at.plusSeconds(i)));
        }
        // A NUL character in a key id (PostgreSQL text cannot hold it) and a token count whose cost overflows the
        // ledger's NUMERIC(20, 8): both pass the event checks and are refused by the database only.
        UsageEvent nul = TestEvents.usage(
                account + "-nul", account, "key\u0000x", "openai", "gpt-4o", 10, 0, 10, RequestStatus.SUCCEEDED, at);
        UsageEvent huge =
                TestEvents.usage(account + "-huge", account, "openai", "gpt-4o", 9_000_000_000_000_000_000L, 0, 0, at);
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            // sent without waiting between records, so they share batches with the good ones
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < GOOD; i++) {
                sent.add(producer.send(new ProducerRecord<>(Topics.USAGE, account, Fixtures.json(good.get(i)))));
                if (i == GOOD / 4) {
                    sent.add(producer.send(new ProducerRecord<>(Topics.USAGE, account, Fixtures.json(nul))));
                }
                if (i == GOOD / 2) {
                    sent.add(producer.send(new ProducerRecord<>(Topics.USAGE, account, Fixtures.json(huge))));
                }
            }
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }

        List<ConsumerRecord<String, String>> letters = Fixtures.deadLetters(bootstrap, account, 2);
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, String> r : letters) {
            reasons.put(requestId(r.value()), header(r, "dead-letter-reason"));
            assertTrue(header(r, "dead-letter-cause").contains("SQLSTATE 22"), header(r, "dead-letter-cause"));
        }
        assertEquals(
                Map.of(nul.requestId(), "rejected_by_database", huge.requestId(), "rejected_by_database"), reasons);
        assertBilledOnce(account, good);

        // Replaying is for administrators only, and names real reasons.
        given().auth()
                .oauth2(ApiCalls.token(account))
                .post(REPLAY)
                .then()
                .statusCode(403)
                .body("error.type", equalTo("permission_error"));
        given().auth()
                .oauth2(ApiCalls.admin())
                .queryParam("reason", "nonsense")
                .post(REPLAY)
                .then()
                .statusCode(400)
                .body("error.param", equalTo("reason"));

        // A letter set aside before a fix (as if its model had no price yet): the replay bills it, once, however
        // many times it runs; the database still refuses the other two, which go back to the dead-letter topic.
        UsageEvent fixed = TestEvents.usage(account + "-fixed", account, "openai", "gpt-4o", 3000, 0, 300, at);
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("dead-letter-reason", "no_price_in_force".getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(Topics.USAGE_DEAD_LETTER, null, account, Fixtures.json(fixed), headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (int run = 0; run < 2; run++) {
            JsonPath replay = given().auth()
                    .oauth2(ApiCalls.admin())
                    .queryParam("reason", "no_price_in_force")
                    .queryParam("reason", "rejected_by_database")
                    .queryParam("from", startedAt.toString())
                    .post(REPLAY)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertEquals("billing.dead_letter_replay", replay.getString("object"));
            assertEquals(1, replay.getInt("replayed_by_reason.no_price_in_force"));
            // the two refused ones, plus, on the second run, their copies from the first
            assertEquals(2 * (run + 1), replay.getInt("replayed_by_reason.rejected_by_database"));
            ApiCalls.awaitLine(account, fixed.requestId());
            // the refused ones are dead-lettered again after the batch that billed "fixed" committed: wait for them
            Fixtures.deadLetters(bootstrap, account, run == 0 ? 5 : 9);
        }
        // The replayed copies came back (2 after the first run, 4 after the second), each saying where it came from.
        List<ConsumerRecord<String, String>> after = Fixtures.deadLetters(bootstrap, account, 2 + 2 + 4 + 1);
        long again = after.stream()
                .filter(r -> r.headers().lastHeader("tokenhub-replayed-from") != null
                        && "rejected_by_database".equals(header(r, "dead-letter-reason")))
                .count();
        assertEquals(6, again);
        after.stream()
                .filter(r -> r.headers().lastHeader("tokenhub-replayed-from") != null)
                .forEach(r -> assertEquals(1, count(r, "dead-letter-reason"), "one reason per letter"));
        // A fresh event behind the replays on the same partition: once it is billed, they were all consumed.
        UsageEvent sentinel = TestEvents.usage(account + "-sentinel", account, "openai", "gpt-4o", 1000, 0, 0, at);
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            Fixtures.send(producer, Topics.USAGE, account, Fixtures.json(sentinel));
        }
        ApiCalls.awaitLine(account, sentinel.requestId());
        List<UsageEvent> billed = new ArrayList<>(good);
        billed.add(fixed);
        billed.add(sentinel);
        assertBilledOnce(account, billed);
    }

    /** The account's ledger holds exactly these requests, once each, at their published price. */
    private static void assertBilledOnce(String account, List<UsageEvent> expected) {
        BigDecimal expectedTotal =
                expected.stream().map(Fixtures::expectedTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonPath usage;
        do {
            usage = ApiCalls.getJson(ApiCalls.token(account), "/api/billing/usage");
            if (usage.getInt("request_count") >= expected.size()) {
                break;
            }
            ApiCalls.sleep(200);
        } while (System.nanoTime() < deadline);
        assertEquals(expected.size(), usage.getInt("request_count"));
        assertEquals(expectedTotal, new BigDecimal(usage.getString("total_usd")));
        List<String> ids = ApiCalls.getJson(ApiCalls.token(account), "/api/billing/requests", "limit", 1000)
                .getList("data.request_id");
        assertEquals(
                expected.stream().map(UsageEvent::requestId).sorted().toList(),
                ids.stream().sorted().toList());
    }

    private static String requestId(String value) {
        String id = JsonPath.from(value).getString("request_id");
        assertNotNull(id);
        return id;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static long count(ConsumerRecord<String, String> r, String name) {
        return StreamSupport.stream(r.headers().headers(name).spliterator(), false)
                .count();
    }
}
