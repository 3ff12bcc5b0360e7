package io.tokenhub.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins each simulator's wire format to hand-checked fixtures in {@code src/test/resources/wire/}: status, the
 * headers clients act on, and the body with random ids and timestamps normalised. The fixtures were checked against
 * recorded real traffic (see the module README); a change here is a change of what gateways are tested against. On
 * a mismatch the actual output is written to {@code target/wire-actual/} for review.
 */
class WireFormatTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> HEADERS = List.of("content-type", "retry-after");
    private static final Map<String, String> VOLATILE = new LinkedHashMap<>();

    static {
        VOLATILE.put("\"created\":\\d+", "\"created\":0");
        VOLATILE.put("chatcmpl-[A-Za-z0-9]{29}", "chatcmpl-ID");
        VOLATILE.put("call_[A-Za-z0-9]{24}", "call_ID");
        VOLATILE.put("\"obfuscation\":\"[A-Za-z0-9]*\"", "\"obfuscation\":\"PAD\"");
        VOLATILE.put("msg_01[A-Za-z0-9]{22}", "msg_01ID");
        VOLATILE.put("toolu_01[A-Za-z0-9]{22}", "toolu_01ID");
        VOLATILE.put("req_011C[A-Za-z0-9]{20}", "req_011CID");
        VOLATILE.put("\"responseId\":\"[A-Za-z0-9]{23}\"", "\"responseId\":\"ID\"");
        VOLATILE.put("\"id\":\"[0-9a-f]{32}\"", "\"id\":\"HEX32\"");
        VOLATILE.put("\"id\":\"[A-Za-z0-9]{9}\"", "\"id\":\"ID9\"");
    }

    private static SimulatorServer server;

    @BeforeAll
    static void start() {
        server = SimulatorServer.startOnFreePorts();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final String WEATHER_CALLS = """
            "tool_calls":[{"name":"get_weather","arguments":{"city":"Paris"}},
                          {"name":"get_weather","arguments":{"city":"Tokyo"}}]""";
    private static final String OPENAI_ASK = """
            "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"}]""";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "openai/chat-parallel-tools.json",
                        "openai",
                        "/v1/chat/completions",
                        "{\"model\":\"gpt-4o\"," + OPENAI_ASK + "}",
                        "{" + WEATHER_CALLS + "}"),
                Arguments.of(
                        "openai/stream-usage.sse",
                        "openai",
                        "/v1/chat/completions",
                        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                                + OPENAI_ASK + "}",
                        "{\"reply\":\"Sunny and mild.\",\"cached_tokens\":4}"),
                Arguments.of(
                        "openai/error-429.json",
                        "openai",
                        "/v1/chat/completions",
                        "{\"model\":\"gpt-4o\"," + OPENAI_ASK + "}",
                        "{\"error_status\":429}"),
                Arguments.of(
                        "anthropic/message-cached.json",
                        "anthropic",
                        "/v1/messages",
                        """
                        {"model":"claude-3-5-haiku-20241022","max_tokens":512,"system":"Be brief.",
                         "messages":[{"role":"user","content":"Weather in Paris?"}]}""",
                        "{\"cached_tokens\":4,\"cache_creation_tokens\":2}"),
                Arguments.of(
                        "anthropic/stream-tool-use.sse",
                        "anthropic",
                        "/v1/messages",
                        """
                        {"model":"claude-3-5-sonnet-20241022","max_tokens":512,"stream":true,
                         "messages":[{"role":"user","content":"Weather in Paris?"}],
                         "tools":[{"name":"get_weather","input_schema":{"type":"object"}}]}""",
                        "{\"reply\":\"Checking.\",\"tool_calls\":[{\"name\":\"get_weather\","
                                + "\"arguments\":{\"city\":\"Paris\"}}]}"),
                Arguments.of(
                        "anthropic/stream-error.sse", "anthropic", "/v1/messages", """
                        {"model":"claude-3-5-sonnet-20241022","max_tokens":512,"stream":true,
                         "messages":[{"role":"user","content":"Weather in Paris?"}]}""", "{\"fail_mid_stream\":true}"),
                Arguments.of("anthropic/error-529.json", "anthropic", "/v1/messages", "{}", "{\"error_status\":529}"),
                Arguments.of(
                        "google/generate-parallel-calls.json",
                        "google",
                        "/v1beta/models/gemini-1.5-flash:generateContent",
                        """
                        {"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]}],
                         "systemInstruction":{"parts":[{"text":"Be brief."}]}}""",
                        "{" + WEATHER_CALLS + "}"),
                Arguments.of(
                        "google/stream-cached.sse",
                        "google",
                        "/v1beta/models/gemini-1.5-pro:streamGenerateContent?alt=sse",
                        """
                        {"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]}]}""",
                        "{\"reply\":\"Sunny and mild.\",\"cached_tokens\":4}"),
                Arguments.of(
                        "google/error-429.json",
                        "google",
                        "/v1beta/models/gemini-1.5-pro:generateContent",
                        "{}",
                        "{\"error_status\":429,\"retry_after_seconds\":34}"),
                Arguments.of(
                        "mistral/chat-text.json",
                        "mistral",
                        "/v1/chat/completions",
                        "{\"model\":\"mistral-large-latest\"," + OPENAI_ASK + "}",
                        "{\"cached_tokens\":4}"),
                Arguments.of(
                        "mistral/stream-tools.sse",
                        "mistral",
                        "/v1/chat/completions",
                        "{\"model\":\"mistral-small-latest\",\"stream\":true," + OPENAI_ASK + "}",
                        "{" + WEATHER_CALLS + "}"),
                Arguments.of(
                        "mistral/error-422-stream-options.json",
                        "mistral",
                        "/v1/chat/completions",
                        "{\"model\":\"mistral-small-latest\",\"stream\":true,\"stream_options\":"
                                + "{\"include_usage\":true}," + OPENAI_ASK + "}",
                        "{}"),
                Arguments.of(
                        "meta/stream-usage.sse",
                        "meta",
                        "/compat/v1/chat/completions",
                        "{\"model\":\"Llama-3.3-70B-Instruct\",\"stream\":true,\"stream_options\":"
                                + "{\"include_usage\":true}," + OPENAI_ASK + "}",
                        "{\"reply\":\"Sunny.\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheFixture(String fixture, String provider, String path, String body, String behaviour)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl(provider) + path))
                .header("authorization", "Bearer sim")
                .header("x-api-key", "sim")
                .header("anthropic-version", "2023-06-01")
                .header("x-goog-api-key", "sim")
                .header("content-type", "application/json")
                .header(SimulatorServer.BEHAVIOUR_HEADER, behaviour.replace("\n", ""))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        String actual = render(response);
        String expected = read(fixture);
        if (!expected.equals(actual)) {
            Path out = Path.of("target", "wire-actual", fixture);
            Files.createDirectories(out.getParent());
            Files.writeString(out, actual);
        }
        assertEquals(expected, actual, fixture + " differs; actual output written to target/wire-actual/");
    }

    private static String render(HttpResponse<String> response) throws IOException {
        StringBuilder out = new StringBuilder("HTTP " + response.statusCode() + "\n");
        for (String header : HEADERS) {
            response.headers()
                    .firstValue(header)
                    .ifPresent(v -> out.append(header).append(": ").append(v).append('\n'));
        }
        out.append('\n');
        String body = response.body();
        for (Map.Entry<String, String> v : VOLATILE.entrySet()) {
            body = body.replaceAll(v.getKey(), v.getValue());
        }
        if (response.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
            body = Json.MAPPER
                            .writer()
                            .with(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(Json.MAPPER.readTree(body))
                    + "\n";
        }
        return out.append(body).toString();
    }

    private static String read(String fixture) throws IOException {
        try (InputStream in = WireFormatTest.class.getResourceAsStream("/wire/" + fixture)) {
            return in == null ? "(no fixture " + fixture + ")" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
