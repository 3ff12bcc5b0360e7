package io.tokenhub.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests the real APIs refuse are refused by the simulators too, with the provider's status and error body, so a
 * gateway that translates badly fails its tests instead of production. {@code auth=false} sends no credentials.
 */
class RequestValidationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SimulatorServer server;

    @BeforeAll
    static void start() {
        server = SimulatorServer.startOnFreePorts();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final String USER = "{\"role\":\"user\",\"content\":\"Hi\"}";
    private static final String OPENAI_TOOL_TURN = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"
            + "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},"
            + "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}";
    private static final String ANTHROPIC_TOOL_TURN = "{\"role\":\"assistant\",\"content\":"
            + "[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}]}";
    private static final String GEMINI_USER = "{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}";
    private static final String GEMINI_CALLS = "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\","
            + "\"args\":{}}},{\"functionCall\":{\"name\":\"f\",\"args\":{}}}]}";

    static Stream<Arguments> refusals() {
        return Stream.of(
                // OpenAI
                Arguments.of("openai", "POST /v1/chat/completions", false, "{}", 401, "You didn't provide an API key"),
                Arguments.of("openai", "POST /v1/chat/completions", true, "{nope", 400, "could not parse the JSON"),
                Arguments.of(
                        "openai",
                        "POST /v1/chat/completions",
                        true,
                        "{\"messages\":[" + USER + "]}",
                        400,
                        "you must provide a model parameter"),
                Arguments.of(
                        "openai",
                        "POST /v1/chat/completions",
                        true,
                        "{\"model\":\"o3\",\"max_tokens\":5," + "\"messages\":[" + USER + "]}",
                        400,
                        "\"code\":\"unsupported_parameter\""),
                Arguments.of(
                        "openai",
                        "POST /v1/chat/completions",
                        true,
                        "{\"model\":\"gpt-4o\",\"messages\":["
                                + USER + "," + OPENAI_TOOL_TURN + ",{\"role\":\"tool\",\"tool_call_id\":\"call_1\","
                                + "\"content\":\"x\"}," + USER + "]}",
                        400,
                        "The following tool_call_ids did not have response messages: call_2"),
                Arguments.of(
                        "openai",
                        "POST /v1/embeddings",
                        true,
                        "{\"model\":\"text-embedding-3-small\"," + "\"input\":[]}",
                        400,
                        "'$.input' is invalid"),
                Arguments.of("openai", "GET /v1/models/gpt-9", true, "", 404, "model_not_found"),
                Arguments.of("openai", "POST /v1/completions", true, "{}", 404, "Invalid URL"),
                // Anthropic
                Arguments.of("anthropic", "POST /v1/messages", false, "{}", 401, "authentication_error"),
                Arguments.of(
                        "anthropic",
                        "POST /v1/messages",
                        true,
                        "{\"model\":\"claude-3-haiku-20240307\"," + "\"max_tokens\":5,\"messages\":[" + USER
                                + "],\"n\":2}",
                        400,
                        "n: Extra inputs are not permitted"),
                Arguments.of(
                        "anthropic",
                        "POST /v1/messages",
                        true,
                        "{\"model\":\"claude-3-haiku-20240307\","
                                + "\"max_tokens\":5,\"temperature\":1.5,\"messages\":[" + USER + "]}",
                        400,
                        "temperature: Input should be less than or equal to 1"),
                Arguments.of(
                        "anthropic",
                        "POST /v1/messages",
                        true,
                        "{\"model\":\"claude-3-haiku-20240307\"," + "\"max_tokens\":5,\"messages\":[" + USER + ","
                                + ANTHROPIC_TOOL_TURN + "," + USER + "]}",
                        400,
                        "`tool_use` ids were found without `tool_result` blocks immediately after: toolu_1"),
                Arguments.of("anthropic", "GET /v1/models?limit=0", true, "", 400, "limit"),
                // Google
                Arguments.of(
                        "google",
                        "POST /v1beta/models/gemini-1.5-pro:generateContent",
                        false,
                        "{}",
                        403,
                        "PERMISSION_DENIED"),
                Arguments.of(
                        "google",
                        "POST /v1beta/models/gemini-1.5-pro:generateContent",
                        true,
                        "{\"contents\":[" + GEMINI_USER + "],\"system_instruction\":{}}",
                        400,
                        "Unknown name \\\"system_instruction\\\": Cannot find field."),
                Arguments.of(
                        "google",
                        "POST /v1beta/models/gemini-1.5-pro:generateContent",
                        true,
                        "{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"x\"}]}]}",
                        400,
                        "Please use a valid role: user, model."),
                Arguments.of(
                        "google",
                        "POST /v1beta/models/gemini-1.5-pro:generateContent",
                        true,
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[]}]}",
                        400,
                        "contents.parts must not be empty"),
                Arguments.of(
                        "google",
                        "POST /v1beta/models/gemini-1.5-pro:generateContent",
                        true,
                        "{\"contents\":[" + GEMINI_USER + "," + GEMINI_CALLS + ",{\"role\":\"user\",\"parts\":"
                                + "[{\"functionResponse\":{\"name\":\"f\",\"response\":{}}}]}]}",
                        400,
                        "number of function response parts is equal to the number of function call parts"),
                Arguments.of(
                        "google",
                        "POST /v1beta/models/text-embedding-004:batchEmbedContents",
                        true,
                        "{\"requests\":[]}",
                        400,
                        "requests is not specified"),
                Arguments.of("google", "POST /v1beta/models/gemini-1.5-pro:countTokens", true, "{}", 404, "NOT_FOUND"),
                // Mistral
                Arguments.of("mistral", "POST /v1/chat/completions", false, "{}", 401, "Unauthorized"),
                Arguments.of("mistral", "POST /v1/chat/completions", true, "{nope", 422, "json_invalid"),
                Arguments.of(
                        "mistral",
                        "POST /v1/chat/completions",
                        true,
                        "{\"model\":\"mistral-small-latest\","
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\",\"name\":\"bob\"}]}",
                        422,
                        "\"loc\":[\"body\",\"messages\",0,\"user\",\"name\"]"),
                Arguments.of(
                        "mistral",
                        "POST /v1/chat/completions",
                        true,
                        "{\"messages\":[" + USER + "]}",
                        422,
                        "\"type\":\"missing\",\"loc\":[\"body\",\"model\"]"),
                Arguments.of(
                        "mistral",
                        "POST /v1/chat/completions",
                        true,
                        "{\"model\":\"mistral-small-latest\"," + "\"messages\":[" + USER + "," + OPENAI_TOOL_TURN
                                + "]}",
                        400,
                        "Tool call id was call_1 but must be a-z, A-Z, 0-9, with a length of 9."),
                Arguments.of(
                        "mistral",
                        "POST /v1/chat/completions",
                        true,
                        "{\"model\":\"mistral-small-latest\","
                                + "\"messages\":[" + USER + ","
                                + OPENAI_TOOL_TURN
                                        .replace("call_1", "abcdefgh1")
                                        .replace("call_2", "abcdefgh2") + ",{\"role\":\"tool\",\"tool_call_id\":"
                                + "\"abcdefgh1\",\"content\":\"x\"}," + USER + "]}",
                        400,
                        "Not the same number of function calls and responses"),
                Arguments.of(
                        "mistral",
                        "POST /v1/embeddings",
                        true,
                        "{\"model\":\"mistral-embed\",\"input\":\"x\"," + "\"dimensions\":8}",
                        422,
                        "\"loc\":[\"body\",\"dimensions\"]"),
                // Meta
                Arguments.of("meta", "POST /compat/v1/chat/completions", false, "{}", 401, "invalid_api_key"),
                Arguments.of(
                        "meta",
                        "POST /compat/v1/chat/completions",
                        true,
                        "{\"model\":\"x\"}",
                        400,
                        "messages: Field required"),
                Arguments.of("meta", "POST /v1/chat/completions", true, "{}", 404, "not_found"));
    }

    @ParameterizedTest(name = "{0} {1} -> {4}")
    @MethodSource("refusals")
    void refusesLikeTheRealApi(String provider, String route, boolean auth, String body, int status, String snippet)
            throws IOException, InterruptedException {
        String method = route.substring(0, route.indexOf(' '));
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(server.baseUrl(provider) + route.substring(route.indexOf(' ') + 1)))
                .method(
                        method,
                        method.equals("GET")
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body))
                .header("anthropic-version", "2023-06-01");
        if (auth) {
            request.header("authorization", "Bearer k").header("x-api-key", "k").header("x-goog-api-key", "k");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains(snippet), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("successes")
    void acceptsWhatTheRealApiAccepts(String provider, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl(provider) + path))
                        .header("authorization", "Bearer k")
                        .header("x-api-key", "k")
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    static Stream<Arguments> successes() {
        return Stream.of(
                Arguments.of(
                        "google",
                        "/v1beta/models/gemini-1.5-pro:generateContent?key=k",
                        "{\"contents\":[" + GEMINI_USER + "," + GEMINI_CALLS + ",{\"role\":\"user\",\"parts\":["
                                + "{\"functionResponse\":{\"name\":\"f\",\"response\":{\"output\":1}}},"
                                + "{\"functionResponse\":{\"name\":\"f\",\"response\":{\"output\":2}}}]}]}"),
                Arguments.of(
                        "anthropic",
                        "/v1/messages",
                        "{\"model\":\"claude-3-haiku-20240307\",\"max_tokens\":5,"
                                + "\"temperature\":0.5,\"top_k\":3,\"messages\":[" + USER + "," + ANTHROPIC_TOOL_TURN
                                + ",{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                                + "\"content\":\"x\"},{\"type\":\"text\",\"text\":\"thanks\"}]}]}"),
                Arguments.of(
                        "mistral",
                        "/v1/chat/completions",
                        "{\"model\":\"mistral-small-latest\","
                                + "\"random_seed\":1,\"safe_prompt\":false,\"messages\":[" + USER + "]}"),
                Arguments.of(
                        "openai",
                        "/v1/chat/completions",
                        "{\"model\":\"o3\",\"max_completion_tokens\":50," + "\"n\":2,\"messages\":[" + USER + "]}"));
    }
}
