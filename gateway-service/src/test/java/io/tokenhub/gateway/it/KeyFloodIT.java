package io.tokenhub.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenhub.gateway.keys.ApiKeyFormat;
import io.tokenhub.gateway.proxy.FakeRoutingResource;
import io.tokenhub.infra.testing.DevOidcTestResource;
import io.tokenhub.infra.testing.PostgresTestResource;
import io.tokenhub.infra.testing.RedisTestResource;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, "no unauthenticated cost": keys that cannot exist never reach the database, a repeated guess costs one
 * lookup, an address that keeps failing is held with 429, and a flood of guesses from many addresses meets bounded
 * lookups (503 with Retry-After past them) while a real key keeps its latency. The test's connection is a trusted proxy
 * here ({@code %test} profile), so X-Forwarded-For names the client address each flood request comes from; requests
 * without it come from 127.0.0.1, which the flood never uses, so other test classes are not held.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DevOidcTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeRoutingResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = false)
class KeyFloodIT {

    private static final int FLOOD = 8_000;
    private static final int FLOOD_CONCURRENCY = 64;

    @TestHTTPResource("/")
    URL gateway;

    /** Prometheus metrics, on the management interface (its root is /q): the API port has none. */
    @TestHTTPResource(value = "/metrics", management = true)
    URI metricsUrl;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final Random random = new Random(14_5L);

    @Test
    void keysThatCannotExistNeverCostALookupAndAreNeverHeld() throws Exception {
        long before = lookups();
        List<String> malformed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String good = wellFormed();
            malformed.add(good.substring(0, 4) + "l" + good.substring(5)); // no l in ids
            malformed.add(good.substring(0, good.length() - 1) + "-"); // nor - in secrets
            malformed.add(good + "A");
            malformed.add("sk-" + UUID.randomUUID());
        }
        for (String key : malformed) {
            HttpResponse<String> response = get(key, "192.0.2.10");
            // Never 429: a key refused by its format alone costs nothing, so it is not counted against the address.
            assertEquals(401, response.statusCode(), response.body());
            // A refused GET has nothing unread, so the connection stays open for the next request rather than make
            // every guess cost a new one.
            assertTrue(
                    response.headers().firstValue("connection").isEmpty(),
                    response.headers().map().toString());
            assertTrue(response.body().contains("\"invalid_api_key\""), response.body());
        }
        assertEquals(before, lookups(), "a malformed key reached the database");
    }

    @Test
    void aRepeatedGuessCostsOneLookup() throws Exception {
        String guess = wellFormed();
        long before = lookups();
        for (int i = 0; i < 20; i++) {
            assertEquals(401, get(guess, "192.0.2.20").statusCode());
        }
        long spent = lookups() - before;
        // The unknown id is remembered for cache-ttl (1 s in tests); a very slow machine may need a second lookup.
        assertTrue(spent >= 1 && spent <= 3, spent + " lookups for one guess repeated 20 times");
    }

    @Test
    void anAddressThatKeepsFailingIsHeldWith429ButItsWorkingKeyIsNot() throws Exception {
        String held = "203.0.113.9";
        String key = GatewayIT.newKey("flood-neighbour-" + UUID.randomUUID());
        assertEquals(200, get(key, held).statusCode());
        long allowance = ConfigProvider.getConfig().getValue("tokenhub.keys.failed-auth-per-minute", Long.class);
        int unauthorized = 0;
        HttpResponse<String> refused = null;
        while (refused == null && unauthorized < allowance + 20) {
            HttpResponse<String> response = get(wellFormed(), held);
            if (response.statusCode() == 429) {
                refused = response;
            } else {
                assertEquals(401, response.statusCode(), response.body());
                unauthorized++;
            }
        }
        assertTrue(refused != null, "no 429 after " + unauthorized + " failed authentications");
        assertTrue(unauthorized >= allowance, "held after " + unauthorized + " failures, before the allowance");
        assertTrue(refused.body().contains("\"too_many_failed_authentications\""), refused.body());
        assertTrue(refused.body().contains("\"type\":\"requests\""), refused.body());
        assertTrue(refused.headers().firstValue("X-Inferoute-Request-Id").isPresent());
        long retryAfter =
                Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertTrue(refused.headers().firstValue("retry-after-ms").isPresent());

        long before = lookups();
        assertEquals(429, get(wellFormed(), held).statusCode());
        assertEquals(before, lookups(), "a held address still cost a lookup");
        assertEquals(200, get(key, held).statusCode(), "a valid key in memory works from a held address");
        assertEquals(401, get("sk-" + UUID.randomUUID(), held).statusCode(), "a malformed key still gets its 401");
        assertEquals(401, get(wellFormed(), "203.0.113.10").statusCode(), "another address is not held");
        HttpResponse<String> anthropic = http.send(
                HttpRequest.newBuilder(url("/v1/messages"))
                        .header("x-api-key", wellFormed())
                        .header("X-Forwarded-For", held)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(429, anthropic.statusCode());
        assertTrue(anthropic.body().contains("\"rate_limit_error\""), anthropic.body());
        assertTrue(anthropic.headers().firstValue("Retry-After").isPresent());
    }

    /**
     * Thousands of guesses, well-formed from many addresses and from one, and malformed, {@value FLOOD_CONCURRENCY}
     * at a time, while a real key calls in a loop: every real call succeeds within its baseline latency plus a margin
     * that a loaded two-core machine keeps, and the flood gets only 401, 429 and 503 (each 429 and 503 with
     * Retry-After).
     */
    @Test
    void aRealKeyKeepsWorkingThroughAFloodOfGuesses() throws Exception {
        String key = GatewayIT.newKey("flood-probe");
        HttpClient own = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        for (int i = 0; i < 30; i++) {
            assertEquals(200, call(own, key));
        }
        List<Long> baseline = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            baseline.add(timed(own, key));
            Thread.sleep(5);
        }
        long lookupsBefore = lookups();

        AtomicBoolean flooding = new AtomicBoolean(true);
        List<Long> underFlood = Collections.synchronizedList(new ArrayList<>());
        Thread realClient = new Thread(() -> {
            try {
                while (flooding.get()) {
                    underFlood.add(timed(own, key));
                    Thread.sleep(5);
                }
            } catch (Exception | AssertionError e) {
                underFlood.add(-1L);
            }
        });
        realClient.start();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(FLOOD_CONCURRENCY);
        long floodStart = System.nanoTime();
        for (int i = 0; i < FLOOD; i++) {
            int kind = random.nextInt(10);
            String guess = kind < 2 ? "thk_" + "l".repeat(12) + "_" + "A".repeat(32) : wellFormed();
            // Most guesses come from a thousand addresses, each below its allowance; some from one address only.
            String from = kind < 8 ? "198.18." + random.nextInt(4) + "." + random.nextInt(250) : "203.0.113.200";
            inFlight.acquire();
            http.sendAsync(request(guess, from), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> {
                        inFlight.release();
                        if (failure != null) {
                            problems.add(failure.getClass().getSimpleName());
                            return;
                        }
                        int status = response.statusCode();
                        statuses.merge(status, 1, Integer::sum);
                        boolean retryable = status == 429 || status == 503;
                        if (status != 401 && !retryable) {
                            problems.add(status + ": " + response.body());
                        } else if (!response.body().startsWith("{\"error\":")) {
                            problems.add("not an OpenAI error: " + response.body());
                        } else if (retryable
                                && response.headers().firstValue("Retry-After").isEmpty()) {
                            problems.add(status + " without Retry-After");
                        }
                    });
        }
        assertTrue(inFlight.tryAcquire(FLOOD_CONCURRENCY, 60, TimeUnit.SECONDS), "the flood did not finish");
        long floodMillis = (System.nanoTime() - floodStart) / 1_000_000;
        flooding.set(false);
        realClient.join(30_000);
        long lookupsDuring = lookups() - lookupsBefore;

        List<Long> real = new ArrayList<>(underFlood);
        long p95Before = p95(baseline);
        long p95During = p95(real.stream().filter(t -> t >= 0).toList());
        System.out.printf(
                "flood of %d guesses in %d ms: statuses %s, %d lookups; real key %d calls, p95 %d ms before and %d ms"
                        + " during (max %d ms)%n",
                FLOOD,
                floodMillis,
                new TreeMap<>(statuses),
                lookupsDuring,
                real.size(),
                p95Before,
                p95During,
                real.stream().mapToLong(Long::longValue).max().orElse(-1));
        assertTrue(problems.isEmpty(), problems.size() + " bad answers, e.g. " + problems.peek());
        assertTrue(real.size() >= 20, "only " + real.size() + " real calls during the flood");
        assertTrue(!real.contains(-1L), "a real call failed during the flood");
        assertTrue(
                p95During <= 2 * p95Before + 750,
                "the real key's p95 went from " + p95Before + " ms to " + p95During + " ms");
        assertTrue(statuses.getOrDefault(401, 0) > 0, "no guess was looked up and refused");
        assertTrue(statuses.getOrDefault(429, 0) > 0, "the one address was never held");
        assertTrue(statuses.getOrDefault(503, 0) > 0, "the lookups were never saturated");
        // The malformed fifth and the held address cost nothing: far fewer lookups than guesses.
        assertTrue(lookupsDuring < FLOOD * 8 / 10, lookupsDuring + " lookups for " + FLOOD + " guesses");
        assertEquals(200, call(own, key));
        assertEquals(200, call(own, GatewayIT.newKey("after-flood-" + UUID.randomUUID())), "a new key is looked up");
    }

    private long timed(HttpClient client, String key) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int status = call(client, key);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (status != 200) {
            throw new AssertionError("the real key got " + status);
        }
        return millis;
    }

    private int call(HttpClient client, String key) throws IOException, InterruptedException {
        return client.send(request(key, null), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private HttpResponse<String> get(String key, String from) throws IOException, InterruptedException {
        return http.send(request(key, from), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String key, String from) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url("/v1/models"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
        if (from != null) {
            request.header("X-Forwarded-For", from);
        }
        return request.GET().build();
    }

    /** A key of the right shape that was never issued: made like any key, but never stored. */
    private static String wellFormed() {
        return ApiKeyFormat.generate().key();
    }

    /** Database lookups of keys so far: the gateway's metric, whatever their result, refusals (no lookup) apart. */
    private long lookups() throws IOException, InterruptedException {
        String metrics = http.send(HttpRequest.newBuilder(metricsUrl).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("tokenhub_key_lookups_total{") && !line.contains("result=\"refused\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) total;
    }

    private static long p95(List<Long> millis) {
        if (millis.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
    }

    private URI url(String path) {
        return URI.create(gateway.toString().replaceAll("/$", "") + path);
    }
}
