package io.tokenhub.billing.it;

import static io.restassured.RestAssured.given;
import static io.tokenhub.billing.it.ApiCalls.admin;
import static io.tokenhub.billing.it.ApiCalls.token;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenhub.common.events.Topics;
import io.tokenhub.common.events.UsageEvent;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.KafkaTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A custom retention per account, set by an administrator through the API rather than configuration: members read
 * it, only administrators change it, and billing applies it (a 40-day-old event of an account kept 30 days is set
 * aside as outside retention, while the default 400 days would have billed it).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(DevOidcTestResource.class)
class RetentionApiIT {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void anAdministratorSetsAnAccountsRetentionAndBillingAppliesIt() {
        String account = Fixtures.newAccount("retention");
        String member = token(account);
        given().auth()
                .oauth2(member)
                .get("/api/billing/retention")
                .then()
                .statusCode(200)
                .body("days", equalTo(400))
                .body("source", equalTo("default"))
                .body("invoice_keep_years", equalTo(7));
        put(member, account, "{\"days\":30}").then().statusCode(403).body("error.code", equalTo("admin_required"));
        put(admin(), account, "{\"days\":0}").then().statusCode(400).body("error.param", equalTo("days"));
        put(admin(), account, "{\"days\":30}")
                .then()
                .statusCode(200)
                .body("days", equalTo(30))
                .body("source", equalTo("account"));
        given().auth().oauth2(member).get("/api/billing/retention").then().body("days", equalTo(30));

        UsageEvent old = Fixtures.mixedTraffic(account, 1, Instant.now().minus(Duration.ofDays(40)))
                .get(0);
        try (KafkaProducer<String, String> producer = Fixtures.producer(bootstrap)) {
            Fixtures.send(producer, Topics.USAGE, account, Fixtures.json(old));
        }
        List<ConsumerRecord<String, String>> letters = Fixtures.deadLetters(bootstrap, account, 1);
        assertEquals(1, letters.size());
        assertEquals(
                "outside_retention",
                new String(
                        letters.get(0)
                                .headers()
                                .lastHeader("dead-letter-reason")
                                .value(),
                        StandardCharsets.UTF_8));

        put(admin(), account, "{\"days\":null}")
                .then()
                .statusCode(200)
                .body("days", equalTo(400))
                .body("source", equalTo("default"));
    }

    private static Response put(String token, String account, String json) {
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(json)
                .put("/api/billing/retention?account=" + account);
    }
}
