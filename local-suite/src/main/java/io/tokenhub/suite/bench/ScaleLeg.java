package io.tokenhub.suite.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.suite.LocalSuite;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/**
 * How TokenHub's added latency and CPU per request change with the number of accounts and models (issue 18 item 5):
 * the same open-loop rate through the gateway from one account with one key, then from 10,000 accounts, each with its
 * own key and its own routing settings, and each of those with one model or spread over every catalog model the
 * simulators answer. The catalog stays the shipped one: a larger one would need models the simulators do not know,
 * so the spread over its models is what varies. The accounts are made through the public APIs (an administrator's
 * dashboard token naming each account), so the rows and records are exactly what the services write themselves.
 */
final class ScaleLeg {

    static final int ACCOUNTS = 10_000;

    /** The services whose CPU time is read, by module name. */
    static final List<String> SERVICES = List.of("gateway-service", "routing-service", "billing-service");

    /** What one configuration measured: the latency against the simulator directly, and CPU per request. */
    record Row(
            String accounts,
            String models,
            LoadGenerator.Result direct,
            LoadGenerator.Result tokenHub,
            Map<String, Double> cpuMicrosPerRequest) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = 200;
    private static final Duration PHASE = Duration.ofSeconds(20);
    /** Every key is used once at this rate before measuring, so none is read from the database for the first time. */
    private static final int KEY_WARM_UP_RATE = 250;

    /** As long as the whole benchmark's: a shorter one left the JIT at work in the first row measured. */
    private static final Duration WARM_UP = Duration.ofSeconds(45);

    private static final int CONNECTIONS = 64;
    /** Requests in flight while the accounts are made: enough to keep both services busy, not to flood them. */
    private static final int SETUP_CONCURRENCY = 16;

    private static final String ADMIN_ROLE = "tokenhub-admin";
    private static final List<String> PROVIDERS = List.of("openai", "anthropic", "google", "mistral", "meta");

    private ScaleLeg() {}

    static List<Row> measure(Vertx vertx, LocalSuite suite, LoadGenerator.Target direct, PrintStream out)
            throws InterruptedException {
        LoadGenerator.Target tokenHub =
                new LoadGenerator.Target("TokenHub", suite.gatewayUrl() + "/v1/chat/completions", Map.of());
        String demoKey = "Bearer " + suite.demoKey();
        List<String> models = answeredModels(suite, demoKey);
        out.printf("%d catalog models answered by the simulators: %s%n", models.size(), models);
        long setupStart = System.nanoTime();
        List<String> keys = accounts(suite);
        out.printf(
                "%d accounts with their own keys and routing settings made in %d s%n",
                keys.size(), (System.nanoTime() - setupStart) / 1_000_000_000L);

        List<Row> rows = new ArrayList<>();
        try (LoadGenerator warm = new LoadGenerator(vertx, tokenHub, variants(1, i -> demoKey, models), false, 16)) {
            warm.fixedRate(RATE, WARM_UP);
        }
        rows.add(row(vertx, suite, direct, tokenHub, "1", List.of(demoKey), List.of("gpt-4o-mini"), false));
        rows.add(row(vertx, suite, direct, tokenHub, "1", List.of(demoKey), models, false));
        List<String> bearers = keys.stream().map(k -> "Bearer " + k).toList();
        rows.add(row(vertx, suite, direct, tokenHub, "10,000", bearers, List.of("gpt-4o-mini"), true));
        rows.add(row(vertx, suite, direct, tokenHub, "10,000", bearers, models, true));
        return rows;
    }

    /**
     * One configuration: the direct floor, then TokenHub at the same rate with each service's CPU time read before
     * and after. With many keys, every key is used once first at a slightly higher rate, so the measured phase finds
     * them all known, as a gateway that has been up a while would.
     */
    private static Row row(
            Vertx vertx,
            LocalSuite suite,
            LoadGenerator.Target direct,
            LoadGenerator.Target tokenHub,
            String accounts,
            List<String> bearers,
            List<String> models,
            boolean warmKeys)
            throws InterruptedException {
        List<LoadGenerator.Variant> variants = variants(bearers.size(), bearers::get, models);
        try (LoadGenerator load = new LoadGenerator(vertx, tokenHub, variants, false, CONNECTIONS);
                LoadGenerator floor = new LoadGenerator(vertx, direct, body("gpt-4o-mini"), false, CONNECTIONS)) {
            LoadGenerator.Result directResult = floor.fixedRate(RATE, PHASE);
            // Right before the measured phase, so a key comes back after 40 to 44 s, about as in a steady 200
            // requests/s
            // over 10,000 keys (50 s), whatever else the run does first.
            if (warmKeys) {
                load.fixedRate(KEY_WARM_UP_RATE, Duration.ofSeconds(bearers.size() / KEY_WARM_UP_RATE));
            }
            Map<String, Long> before = cpuMicros(suite);
            LoadGenerator.Result result = load.fixedRate(RATE, PHASE);
            Map<String, Long> after = cpuMicros(suite);
            Map<String, Double> perRequest = new LinkedHashMap<>();
            before.forEach((service, micros) ->
                    perRequest.put(service, (after.get(service) - micros) / (double) result.totalMicros.length));
            return new Row(accounts, Integer.toString(models.size()), directResult, result, perRequest);
        }
    }

    /** Request {@code i} uses key {@code i mod keys} and model {@code i mod models}: round the keys, round the models. */
    private static List<LoadGenerator.Variant> variants(int keys, IntFunction<String> bearer, List<String> models) {
        int count = keys == 1 ? models.size() : keys;
        List<LoadGenerator.Variant> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new LoadGenerator.Variant(
                    Map.of("authorization", bearer.apply(i % keys)), body(models.get(i % models.size()))));
        }
        return out;
    }

    /** Each service's CPU time so far (user plus system, what {@code /proc/<pid>/stat} counts), in microseconds. */
    private static Map<String, Long> cpuMicros(LocalSuite suite) {
        Map<String, Long> out = new LinkedHashMap<>();
        Map<String, Long> pids = suite.pids();
        for (String service : SERVICES) {
            out.put(
                    service,
                    ProcessHandle.of(pids.get(service))
                            .flatMap(p -> p.info().totalCpuDuration())
                            .map(d -> d.toNanos() / 1_000)
                            .orElseThrow(() -> new IllegalStateException("no CPU time for " + service)));
        }
        return out;
    }

    /** The chat models of {@code /v1/models} that answer a request through the suite: what the simulators serve. */
    private static List<String> answeredModels(LocalSuite suite, String bearer) {
        HttpClient http = HttpClient.newHttpClient();
        JsonNode listed = readTree(send(
                http,
                HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/models"))
                        .header("authorization", bearer)
                        .build()));
        List<String> out = new ArrayList<>();
        for (JsonNode model : listed.path("data")) {
            String id = model.path("id").asText();
            HttpResponse<String> answer = sendForResponse(
                    http,
                    HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/chat/completions"))
                            .header("authorization", bearer)
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body(id)))
                            .build());
            if (answer.statusCode() == 200) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * {@link #ACCOUNTS} accounts, each with a key (made by the gateway's key API, which creates the account) and routing
     * settings of its own (routing-service's settings API): strategies and preferred backups vary across accounts.
     * Returns the keys' secrets in account order.
     */
    private static List<String> accounts(LocalSuite suite) throws InterruptedException {
        String admin = "Bearer " + suite.dashboardToken("bench-admin", Set.of(ADMIN_ROLE), Duration.ofHours(1));
        HttpClient http = HttpClient.newBuilder().build();
        Semaphore inFlight = new Semaphore(SETUP_CONCURRENCY);
        List<CompletableFuture<String>> keys = new ArrayList<>(ACCOUNTS);
        List<CompletableFuture<?>> settings = new ArrayList<>(ACCOUNTS);
        for (int i = 0; i < ACCOUNTS; i++) {
            String account = String.format(Locale.ROOT, "scale-%05d", i);
            HttpRequest key = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/api/keys?account=" + account))
                    .header("authorization", admin)
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}"))
                    .build();
            HttpRequest routing = HttpRequest.newBuilder(
                            URI.create(suite.serviceUrl("routing-service") + "/api/routing?account=" + account))
                    .header("authorization", admin)
                    .header("content-type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(settings(i)))
                    .build();
            keys.add(limited(http, key, inFlight, 201)
                    .thenApply(b -> readTree(b).path("key").asText()));
            settings.add(limited(http, routing, inFlight, 200));
        }
        CompletableFuture.allOf(settings.toArray(CompletableFuture[]::new)).join();
        return keys.stream().map(CompletableFuture::join).toList();
    }

    /** Account {@code i}'s settings: every other one routes by latency, and each prefers a different first backup. */
    private static String settings(int i) {
        String first = PROVIDERS.get(i % PROVIDERS.size());
        String second = PROVIDERS.get((i / PROVIDERS.size() + 1 + i) % PROVIDERS.size());
        String preferred = first.equals(second) ? "\"" + first + "\"" : "\"" + first + "\",\"" + second + "\"";
        return "{\"strategy\":\"" + (i % 2 == 0 ? "default" : "latency") + "\",\"fallback\":true,"
                + "\"preferred_backup_providers\":[" + preferred + "]}";
    }

    private static CompletableFuture<String> limited(
            HttpClient http, HttpRequest request, Semaphore inFlight, int expected) throws InterruptedException {
        inFlight.acquire();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> inFlight.release())
                .thenApply(r -> {
                    if (r.statusCode() != expected) {
                        throw new IllegalStateException(
                                request.uri() + " answered " + r.statusCode() + ": " + r.body());
                    }
                    return r.body();
                });
    }

    static void print(PrintStream out, List<Row> rows) {
        out.println("| accounts | models | TokenHub p50 | p90 | p99 | added p50 | added p90 | added p99 | failed "
                + "| CPU µs per request: gateway | routing | billing |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            LoadGenerator.Result d = row.direct();
            LoadGenerator.Result t = row.tokenHub();
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %.0f | %.0f | %.0f |%n",
                    row.accounts(),
                    row.models(),
                    t.totalMillis(50),
                    t.totalMillis(90),
                    t.totalMillis(99),
                    t.totalMillis(50) - d.totalMillis(50),
                    t.totalMillis(90) - d.totalMillis(90),
                    t.totalMillis(99) - d.totalMillis(99),
                    t.failures() + d.failures(),
                    row.cpuMicrosPerRequest().get("gateway-service"),
                    row.cpuMicrosPerRequest().get("routing-service"),
                    row.cpuMicrosPerRequest().get("billing-service"));
        }
    }

    private static String body(String model) {
        return "{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Benchmark: answer at once.\"}]}";
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String send(HttpClient http, HttpRequest request) {
        HttpResponse<String> response = sendForResponse(http, request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static HttpResponse<String> sendForResponse(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
