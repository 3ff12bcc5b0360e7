package io.tokenhub.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// No case needs more than a few seconds; a hung socket must fail the build, not stall it.
@Timeout(60)
class SimulatorServerTest {

    private static final String CHAT = """
            {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""";
    private static final String STREAM = """
            {"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}""";

    private static SimulatorServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = SimulatorServer.startOnFreePorts();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        SimulatorServer.DEFAULT_PORTS.keySet().forEach(server::reset);
    }

    private static HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl("openai") + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("authorization", "Bearer test");
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> chat(String body, Map<String, String> headers) throws Exception {
        return send("POST", "/v1/chat/completions", body, headers);
    }

    @Test
    void baseUrlsFollowTheContract() {
        assertEquals(server.baseUrl("openai") + "/v1", server.sdkBaseUrl("openai"));
        assertEquals(server.baseUrl("meta") + "/compat/v1", server.sdkBaseUrl("meta"));
        for (String p : List.of("anthropic", "google", "mistral")) {
            assertEquals(server.baseUrl(p), server.sdkBaseUrl(p));
        }
        assertThrows(IllegalArgumentException.class, () -> SimulatorServer.start(Map.of("bedrock", 0)));
    }

    @Test
    void controlApiSetsReadsAndClearsTheBehaviour() throws Exception {
        HttpResponse<String> put = send("PUT", "/__sim/behaviour", "{\"error_status\":503,\"times\":2}", Map.of());
        assertEquals(204, put.statusCode());
        JsonNode current = Json.MAPPER.readTree(
                send("GET", "/__sim/behaviour", null, Map.of()).body());
        assertEquals(503, current.get("error_status").asInt());
        assertEquals(2, current.get("remaining").asInt());
        assertEquals(503, chat(CHAT, Map.of()).statusCode());
        assertEquals(204, send("DELETE", "/__sim/behaviour", null, Map.of()).statusCode());
        assertEquals(200, chat(CHAT, Map.of()).statusCode());

        HttpResponse<String> bad = send("PUT", "/__sim/behaviour", "{\"eror_status\":503}", Map.of());
        assertEquals(400, bad.statusCode());
        assertTrue(Json.MAPPER.readTree(bad.body()).get("error").asText().contains("eror_status"));
        assertEquals(404, send("POST", "/__sim/nothing", "", Map.of()).statusCode());
    }

    @Test
    void aLimitedBehaviourAppliesToExactlyThatManyConcurrentRequests() throws Exception {
        server.behave("openai", Behaviour.builder().errorStatus(503).times(5).build());
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(HTTP.sendAsync(
                    HttpRequest.newBuilder(URI.create(server.sdkBaseUrl("openai") + "/chat/completions"))
                            .header("authorization", "Bearer t")
                            .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long failed = calls.stream()
                .map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 503)
                .count();
        assertEquals(5, failed);
        assertEquals(20, server.requestCount("openai"));
    }

    @Test
    void modelListingsPassALimitedBehaviourByButNotALastingOne() throws Exception {
        server.behave("openai", Behaviour.builder().errorStatus(503).times(1).build());
        assertEquals(
                200,
                send("GET", "/v1/models", null, Map.of()).statusCode(),
                "a health probe must not use up a test's one-shot behaviour");
        assertEquals(503, chat(CHAT, Map.of()).statusCode());
        assertEquals(200, chat(CHAT, Map.of()).statusCode());

        server.behave("openai", Behaviour.builder().errorStatus(503).build());
        assertEquals(503, send("GET", "/v1/models", null, Map.of()).statusCode(), "an outage reaches the probes");
    }

    @Test
    void theRequestHeaderOverridesForOneRequest() throws Exception {
        HttpResponse<String> limited = chat(
                CHAT, Map.of(SimulatorServer.BEHAVIOUR_HEADER, "{\"error_status\":429,\"retry_after_seconds\":4}"));
        assertEquals(429, limited.statusCode());
        assertEquals("4", limited.headers().firstValue("retry-after").orElseThrow());
        assertEquals(200, chat(CHAT, Map.of()).statusCode());
        HttpResponse<String> bad = chat(CHAT, Map.of(SimulatorServer.BEHAVIOUR_HEADER, "{not json"));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains(SimulatorServer.BEHAVIOUR_HEADER));
    }

    @Test
    void statsAndTheLastRequest() throws Exception {
        assertEquals(404, send("GET", "/__sim/last-request", null, Map.of()).statusCode());
        assertTrue(server.lastRequest("openai").isEmpty());
        chat(CHAT, Map.of("x-extra", "1"));
        JsonNode stats =
                Json.MAPPER.readTree(send("GET", "/__sim/stats", null, Map.of()).body());
        assertEquals(1, stats.get("requests").asLong());
        JsonNode last = Json.MAPPER.readTree(
                send("GET", "/__sim/last-request", null, Map.of()).body());
        assertEquals("POST", last.get("method").asText());
        assertEquals("/v1/chat/completions", last.get("path").asText());
        assertEquals("1", last.get("headers").get("x-extra").asText());
        assertEquals(CHAT, last.get("body").asText());
        RecordedRequest recorded = server.lastRequest("openai").orElseThrow();
        assertEquals("gpt-4o", recorded.bodyJson().get("model").asText());
        assertEquals("Bearer test", recorded.header("Authorization"));
        assertEquals(204, send("DELETE", "/__sim/stats", null, Map.of()).statusCode());
        assertEquals(0, server.requestCount("openai"));
    }

    @Test
    void latencyStallsTheHead() throws Exception {
        server.behave("openai", Behaviour.builder().latencyMs(300).build());
        long start = System.nanoTime();
        assertEquals(200, chat(CHAT, Map.of()).statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300);
    }

    @Test
    void aDroppedConnectionGivesNoResponse() {
        server.behave("openai", Behaviour.builder().dropConnection().build());
        assertThrows(IOException.class, () -> chat(CHAT, Map.of()));
    }

    @Test
    // Once hung 11 minutes reading a dropped stream; a separate thread lets JUnit give up on a read that ignores
    // interrupts.
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aStreamCanFailOrBreakAfterItsFirstContent() throws Exception {
        server.behave("openai", Behaviour.builder().failMidStream().build());
        String failed = chat(STREAM, Map.of()).body();
        assertTrue(failed.contains("\"content\":\"Hello\""));
        // OpenAI's error event for a failure mid-stream, written out here rather than asked of the simulator.
        assertTrue(failed.endsWith("data: {\"error\":{\"message\":\"The server had an error while processing your "
                + "request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));
        assertFalse(failed.contains("[DONE]"));

        // Read off the socket, not through an HTTP client: the JDK's client once waited forever for a body whose
        // connection had been closed. A cut stream ends at EOF without [DONE] and without the last empty chunk.
        server.behave("openai", Behaviour.builder().dropMidStream().build());
        URI base = URI.create(server.sdkBaseUrl("openai"));
        byte[] body = STREAM.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + base.getPath() + "/chat/completions HTTP/1.1\r\nHost: " + base.getHost()
                + "\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n";
        String dropped;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            dropped = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(dropped.startsWith("HTTP/1.1 200"), dropped);
        assertTrue(dropped.contains("\"content\":\"Hello\""), "the cut comes after the first content: " + dropped);
        assertFalse(dropped.contains("[DONE]"), dropped);
        assertFalse(dropped.endsWith("0\r\n\r\n"), "a cut stream has no last chunk: " + dropped);
    }

    @Test
    void chunkDelaySpacesTheEvents() throws Exception {
        server.behave(
                "openai", Behaviour.builder().chunkDelayMs(50).reply("a b").build());
        long start = System.nanoTime();
        String body = chat(STREAM, Map.of()).body();
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
        long events = body.split("\n\n").length;
        assertEquals(5, events, "role, two pieces, finish, [DONE]");
        assertTrue(elapsed >= (events - 1) * 50, "took " + elapsed + " ms");
    }
}
