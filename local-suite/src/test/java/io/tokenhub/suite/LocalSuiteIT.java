package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.http.TokenHubHeaders;
import io.tokenhub.infra.ChildProcesses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole suite as command 1 starts it (real Kafka, real PostgreSQL, simulators, four service JVMs), driven as a
 * customer and a dashboard would: the official OpenAI SDK through the gateway, streamed and not, then every request
 * found in the billing ledger at the published price plus the routing fee.
 */
@ExtendWith(SharedSuite.class)
@Order(SharedSuite.ORDER)
class LocalSuiteIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Published rates per 1M tokens (input, output, cached input; null where no cache price is published) of every
     * model this test bills, one or more per provider, written from the providers' price pages as recorded in
     * docs/reference/prices.tsv, never read from the catalog: the figures bills must be made of.
     */
    private static final Map<String, BigDecimal[]> PUBLISHED = Map.of(
            // OpenAI API pricing: gpt-4o, gpt-4o-mini.
            "gpt-4o", rates("2.50", "10.00", "1.25"),
            "gpt-4o-mini", rates("0.15", "0.60", "0.075"),
            // Anthropic pricing: Claude Sonnet 4.5 (claude-sonnet-4-5-20250929) up to 200k prompt tokens, Claude
            // Haiku 4.5 (claude-haiku-4-5-20251001); cache reads at a tenth of the input rate.
            "claude-sonnet-4-5", rates("3.00", "15.00", "0.30"),
            "claude-haiku-4-5", rates("1.00", "5.00", "0.10"),
            // Gemini API pricing: Gemini 2.5 Pro, prompts up to 200k tokens.
            "gemini-2.5-pro", rates("1.25", "10.00", "0.125"),
            // Mistral pricing: the alias names Mistral Small 4 (mistral-small-2603) since 2026-03-16, at 0.15 / 0.60
            // with cache reads at 0.015 (genai-prices @47df840a mistral.yml, mistral-small-2603).
            "mistral-small-latest", rates("0.15", "0.60", "0.015"),
            // Meta publishes no per-token price: the catalog's stand-in is Together AI's Llama 3.3 70B Turbo rate.
            "llama-3.3-70b", rates("0.88", "0.88", null));
    /** billing-service's routing fee per answered request (tokenhub.billing.routing-fee-usd), a literal. */
    private static final BigDecimal ROUTING_FEE = new BigDecimal("0.0001");

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    @TempDir
    static Path data;

    static LocalSuite suite;
    static HttpClient http;
    static String token;

    @BeforeAll
    static void start(LocalSuite shared) {
        // Outages are OutageLoadIT's; here health probes run at their default pace (and pass the SDK tests'
        // one-shot simulator behaviours by).
        suite = shared;
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        token = suite.dashboardToken(suite.demoAccount(), Set.of(), Duration.ofHours(1));
    }

    @Test
    void theOfficialOpenAiSdkWorksThroughTheGatewayAndEveryRequestIsBilled() throws Exception {
        Path conformance = SharedSuite.repoRoot().resolve("conformance");
        assertTrue(
                Files.isDirectory(conformance.resolve("node_modules/openai")),
                "run `npm ci --prefix conformance` first (bin/test does)");
        Path log = data.resolve("sdk-requests.jsonl");
        Files.writeString(log, "");
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
        try (var files = Files.list(conformance.resolve("gateway"))) {
            files.filter(f -> f.toString().endsWith(".test.mjs")).sorted().forEach(f -> command.add(f.toString()));
        }
        ProcessBuilder pb = sdkTests(command, conformance);
        pb.environment().put("TOKENHUB_REQUEST_LOG", log.toString());
        Process node = ChildProcesses.startLogged(pb, data.resolve("node.log"));
        boolean exited = ChildProcesses.awaitExit(node, Duration.ofMinutes(5));
        String output = Files.readString(data.resolve("node.log"));
        System.out.println(output);
        assertTrue(exited, "node did not finish");
        assertEquals(0, node.exitValue(), "official OpenAI SDK tests failed:\n" + output);

        List<String> lines =
                Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty(), "the SDK tests logged no request ids");
        for (String line : lines) {
            JsonNode made = JSON.readTree(line);
            assertBilled(
                    made.path("request_id").asText(),
                    made.path("model").asText(),
                    made.path("prompt_tokens").asLong(),
                    made.path("completion_tokens").asLong());
        }
    }

    @Test
    void theOfficialJavaSdkWorksThroughTheGateway() throws Exception {
        new OpenAiJavaSdkChecks(suite.gatewayUrl() + "/v1", suite.demoKey(), suite.simulators()).run();
    }

    @Test
    void theOfficialPythonSdksWorkThroughTheGateway() throws Exception {
        Path conformance = SharedSuite.repoRoot().resolve("conformance");
        Path python = conformance.resolve(".venv/bin/python");
        assertTrue(
                Files.isExecutable(python),
                "no Python virtual environment at " + python + ": bin/test makes it from "
                        + "conformance/python/requirements.txt through this machine's pip index");
        ProcessBuilder pb = sdkTests(
                List.of(python.toString(), "-m", "unittest", "discover", "-v", "-s", "python", "-p", "test_*.py"),
                conformance);
        Process tests = ChildProcesses.startLogged(pb, data.resolve("python.log"));
        boolean exited = ChildProcesses.awaitExit(tests, Duration.ofMinutes(5));
        String output = Files.readString(data.resolve("python.log"));
        System.out.println(output);
        assertTrue(exited, "the Python SDK tests did not finish");
        assertEquals(0, tests.exitValue(), "official Python SDK tests failed:\n" + output);
        assertTrue(output.contains("\nOK"), "unittest reported no success:\n" + output);
    }

    /**
     * An SDK test run in {@code conformance} with what the suites read: the gateway, the demo key, and the
     * simulators' ports, since the provider tests steer the simulators through their control API (the gateway
     * forwards no test headers).
     */
    private static ProcessBuilder sdkTests(List<String> command, Path conformance) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(conformance.toFile());
        pb.environment().put("TOKENHUB_BASE_URL", suite.gatewayUrl() + "/v1");
        pb.environment().put("TOKENHUB_API_KEY", suite.demoKey());
        for (String provider : List.of("openai", "anthropic", "google", "mistral", "meta")) {
            pb.environment()
                    .put(
                            "TOKENHUB_SIM_" + provider.toUpperCase(Locale.ROOT) + "_PORT",
                            Integer.toString(suite.simulators().port(provider)));
        }
        return pb;
    }

    @Test
    void streamedAndUnstreamedRequestsAreBilledAtPublishedRatesPlusTheFee() throws Exception {
        HttpResponse<String> plain = chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"How much is this?\"}]}");
        assertEquals(200, plain.statusCode(), plain.body());
        JsonNode usage = JSON.readTree(plain.body()).path("usage");
        assertBilled(
                plain.headers().firstValue("X-Inferoute-Request-Id").orElseThrow(),
                "gpt-4o-mini",
                usage.path("prompt_tokens").asLong(),
                usage.path("completion_tokens").asLong());

        HttpResponse<String> streamed = chat("{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":"
                + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Stream it\"}]}");
        assertEquals(200, streamed.statusCode());
        assertTrue(streamed.body().endsWith("data: [DONE]\n\n"), streamed.body());
        String[] frames = streamed.body().strip().split("\n\n");
        JsonNode usageChunk = JSON.readTree(frames[frames.length - 2].substring("data: ".length()))
                .path("usage");
        assertBilled(
                streamed.headers().firstValue("X-Inferoute-Request-Id").orElseThrow(),
                "gpt-4o",
                usageChunk.path("prompt_tokens").asLong(),
                usageChunk.path("completion_tokens").asLong());
    }

    @Test
    void anotherAccountCannotReadTheDemoAccountsRequests() throws Exception {
        HttpResponse<String> plain =
                chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\"," + "\"content\":\"mine\"}]}");
        String requestId = plain.headers().firstValue("X-Inferoute-Request-Id").orElseThrow();
        ledgerLine(requestId);
        String stranger = suite.dashboardToken("someone-else", Set.of(), Duration.ofMinutes(5));
        HttpResponse<String> foreign =
                get(suite.serviceUrl("billing-service") + "/api/billing/requests/" + requestId, stranger);
        assertEquals(404, foreign.statusCode(), foreign.body());
        assertFalse(foreign.body().contains("gpt-4o-mini"));
    }

    @Test
    void providerStatusIsServed() throws Exception {
        HttpResponse<String> status = get(suite.serviceUrl("health-monitor") + "/api/providers/status", token);
        assertEquals(200, status.statusCode(), status.body());
        assertTrue(status.body().contains("openai"), status.body());
        assertEquals(
                401,
                get(suite.serviceUrl("health-monitor") + "/api/providers/status", null)
                        .statusCode());
    }

    /**
     * A newcomer pastes the banner's {@code export} lines and copies the README's examples as they stand: every shell
     * example and the Node one must succeed against the running suite (only the ports are the test's own). The
     * placeholders {@code <request-id>} and {@code <your-id>} become ids of requests the first example made.
     */
    @Test
    void theReadmeExamplesRunAsTheyStandWithTheBannersExports() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Banner.print(
                suite,
                new Banner.Tokens(
                        suite.dashboardToken(suite.demoAccount(), Set.of("tokenhub-member"), Duration.ofHours(1)),
                        suite.dashboardToken(null, Set.of("tokenhub-member", "tokenhub-admin"), Duration.ofHours(1)),
                        Instant.now().plus(Duration.ofHours(1))),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        Map<String, String> exports = new LinkedHashMap<>();
        Matcher export =
                Pattern.compile("(?m)^\\s*export (\\w+)=(\\S+)$").matcher(printed.toString(StandardCharsets.UTF_8));
        while (export.find()) {
            exports.put(export.group(1), export.group(2));
        }
        assertEquals(Set.of("TOKENHUB_KEY", "DASHBOARD_TOKEN", "ADMIN_TOKEN"), exports.keySet(), printed.toString());
        assertEquals(suite.demoKey(), exports.get("TOKENHUB_KEY"));

        String readme = Files.readString(SharedSuite.repoRoot().resolve("README.md"));
        List<String> shell = codeBlocks(readme, "sh").stream()
                .filter(block -> block.lines()
                        .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith(" "))
                        .allMatch(line -> line.startsWith("curl ")))
                .map(LocalSuiteIT::onThisSuitesPorts)
                .toList();
        assertTrue(shell.size() >= 3, "the README's curl examples were not found: " + shell);
        String clientId = "readme-" + UUID.randomUUID();
        HttpResponse<String> correlated = http.send(
                HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + suite.demoKey())
                        .header("content-type", "application/json")
                        .header("X-Inferoute-Request-Id", clientId)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, correlated.statusCode(), correlated.body());
        // The client's own id is echoed in place of TokenHub's, so the ledger's id comes from a request without one.
        HttpResponse<String> plain =
                chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, plain.statusCode(), plain.body());
        String requestId =
                plain.headers().firstValue(TokenHubHeaders.REQUEST_ID).orElseThrow();
        ledgerLine(requestId);
        try {
            for (String block : shell) {
                String script = block.replace("<request-id>", requestId).replace("<your-id>", clientId);
                String output = run(
                        List.of(
                                "bash",
                                "-c",
                                "set -euo pipefail\ncurl() { command curl --fail-with-body -sS \"$@\"; }\n" + script),
                        SharedSuite.repoRoot(),
                        exports);
                assertFalse(output.contains("\"error\""), block + "\n" + output);
            }
            List<String> node = codeBlocks(readme, "js");
            assertEquals(1, node.size(), "the README's Node example");
            String streamed = run(
                    List.of("node", "--input-type=module", "-e", onThisSuitesPorts(node.get(0))),
                    SharedSuite.repoRoot().resolve("conformance"),
                    exports);
            assertFalse(streamed.isBlank(), "the README's streamed Node example printed no answer");
            List<String> python = codeBlocks(readme, "python");
            assertEquals(1, python.size(), "the README's Python example");
            String answered = run(
                    List.of(
                            SharedSuite.repoRoot()
                                    .resolve("conformance/.venv/bin/python")
                                    .toString(),
                            "-c",
                            onThisSuitesPorts(python.get(0))),
                    SharedSuite.repoRoot(),
                    exports);
            assertTrue(answered.contains("Hello from the TokenHub provider simulator."), answered);
        } finally {
            // One example switches the demo account to the latency strategy; the other tests expect the default.
            HttpResponse<String> reset = http.send(
                    HttpRequest.newBuilder(URI.create(suite.serviceUrl("routing-service") + "/api/routing"))
                            .header("Authorization", "Bearer " + exports.get("DASHBOARD_TOKEN"))
                            .header("content-type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"strategy\":\"default\",\"fallback\":true}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reset.statusCode(), reset.body());
        }
    }

    /** The bodies of the README's fenced blocks in {@code language}. */
    private static List<String> codeBlocks(String markdown, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher block = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```").matcher(markdown);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return blocks;
    }

    /** The README names the contract's ports; this suite runs on free ones. */
    private static String onThisSuitesPorts(String example) {
        return example.replace("http://localhost:8080", suite.gatewayUrl())
                .replace("http://localhost:8081", suite.serviceUrl("routing-service"))
                .replace("http://localhost:8082", suite.serviceUrl("billing-service"))
                .replace("http://localhost:8083", suite.serviceUrl("health-monitor"));
    }

    /** Runs {@code command} in {@code dir} with {@code environment} added; it must exit 0. Returns its output. */
    private static String run(List<String> command, Path dir, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(environment);
        Path log = Files.createTempFile(data, "example", ".log");
        Process process = ChildProcesses.startLogged(builder, log);
        boolean exited = ChildProcesses.awaitExit(process, Duration.ofMinutes(1));
        String output = Files.readString(log);
        assertTrue(exited, "did not finish: " + command + "\n" + output);
        assertEquals(0, process.exitValue(), "failed: " + command + "\n" + output);
        return output;
    }

    private static void assertBilled(String requestId, String model, long inputTokens, long outputTokens)
            throws Exception {
        JsonNode line = ledgerLine(requestId);
        assertEquals(model, line.path("model").asText(), line.toString());
        // The demo key is named "demo" (DemoAccountBootstrap); the name rides from the gateway to the ledger.
        assertEquals("demo", line.path("key_name").asText(), line.toString());
        assertEquals(inputTokens, line.path("input_tokens").asLong(), line.toString());
        assertEquals(outputTokens, line.path("output_tokens").asLong(), line.toString());
        long cached = line.path("cached_tokens").asLong();
        BigDecimal[] published = PUBLISHED.get(model);
        assertNotNull(published, "no published price in this test for " + model + ": add it from the provider's page");
        BigDecimal cachedRate = published[2] != null ? published[2] : published[0];
        BigDecimal cost = published[0]
                .multiply(BigDecimal.valueOf(inputTokens - cached))
                .add(cachedRate.multiply(BigDecimal.valueOf(cached)))
                .add(published[1].multiply(BigDecimal.valueOf(outputTokens)))
                .divide(MILLION);
        assertEquals(
                0,
                cost.setScale(8, RoundingMode.HALF_EVEN).compareTo(money(line, "provider_cost_usd")),
                "provider cost of " + line);
        assertEquals(0, ROUTING_FEE.compareTo(money(line, "routing_fee_usd")), line.toString());
        assertEquals(
                0,
                money(line, "provider_cost_usd").add(ROUTING_FEE).compareTo(money(line, "total_usd")),
                line.toString());
    }

    private static BigDecimal[] rates(String input, String output, String cachedInput) {
        return new BigDecimal[] {
            new BigDecimal(input), new BigDecimal(output), cachedInput == null ? null : new BigDecimal(cachedInput)
        };
    }

    private static BigDecimal money(JsonNode node, String field) {
        JsonNode value = node.path(field);
        assertTrue(value.isTextual(), field + " must be a decimal string: " + node);
        return new BigDecimal(value.asText());
    }

    private static JsonNode ledgerLine(String requestId) throws Exception {
        return SuiteTests.ledgerLine(suite, http, token, requestId);
    }

    private static HttpResponse<String> chat(String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + suite.demoKey())
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
