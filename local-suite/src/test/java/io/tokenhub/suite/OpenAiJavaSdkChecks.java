package io.tokenhub.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseStreamEvent;
import io.tokenhub.simulator.Behaviour;
import io.tokenhub.simulator.SimulatorServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}) against the running suite with only the base URL and
 * key changed: chat completions and the Responses API, streamed and not, the function call round trip, models, and
 * errors (401, 404, and 429 with the retry the SDK makes itself), for every provider with provider-pinned models. The
 * SDK parses every answer into its own typed models and fails on a missing required field, so it checks TokenHub's
 * shapes independently of TokenHub's code. Run from {@link LocalSuiteIT}, which owns the suite.
 */
final class OpenAiJavaSdkChecks {

    private static final String REPLY = "Hello from the TokenHub provider simulator.";
    private static final String TOOL_RESULT_PREFIX = "The tool returned: ";
    private static final String QUESTION = "What is the weather in Paris and Tokyo?";
    private static final Map<String, String> PINNED = Map.of(
            "openai", "openai/gpt-4o-mini",
            "anthropic", "anthropic/claude-sonnet-4-5",
            "google", "google/gemini-2.5-pro",
            "mistral", "mistral/mistral-small-latest",
            "meta", "meta/llama-3.3-70b");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String key;
    private final SimulatorServer simulators;

    OpenAiJavaSdkChecks(String baseUrl, String key, SimulatorServer simulators) {
        this.baseUrl = baseUrl;
        this.key = key;
        this.simulators = simulators;
    }

    private OpenAIClient client(int maxRetries, String apiKey) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey(apiKey)
                .maxRetries(maxRetries)
                .build();
    }

    void run() throws Exception {
        OpenAIClient client = client(0, key);
        for (Map.Entry<String, String> pinned : PINNED.entrySet()) {
            String provider = pinned.getKey();
            String model = pinned.getValue();
            chat(client, provider, model);
            responses(client, provider, model);
            functionRoundTrip(client, provider, model);
        }
        modelsAndErrors(client);
    }

    private void chat(OpenAIClient client, String provider, String model) {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage(QUESTION)
                .build();
        HttpResponseFor<ChatCompletion> raw =
                client.chat().completions().withRawResponse().create(params);
        assertEquals(List.of(provider), raw.headers().values("x-tokenhub-provider"), model);
        assertEquals(Optional.of(REPLY), raw.parse().choices().get(0).message().content(), model);
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            stream.stream()
                    .forEach(chunk -> chunk.choices()
                            .forEach(choice -> choice.delta().content().ifPresent(text::append)));
        }
        assertEquals(REPLY, text.toString(), model + " streamed");
    }

    private void responses(OpenAIClient client, String provider, String model) {
        ResponseCreateParams params =
                ResponseCreateParams.builder().model(model).input(QUESTION).build();
        HttpResponseFor<Response> raw = client.responses().withRawResponse().create(params);
        assertEquals(List.of(provider), raw.headers().values("x-tokenhub-provider"), model);
        Response response = raw.parse();
        assertEquals(REPLY, outputText(response), model);
        assertTrue(response.usage().orElseThrow().outputTokens() > 0, model);

        StringBuilder deltas = new StringBuilder();
        List<Response> completed = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            stream.stream().forEach(event -> {
                event.outputTextDelta().ifPresent(delta -> deltas.append(delta.delta()));
                event.completed().ifPresent(done -> completed.add(done.response()));
            });
        }
        assertEquals(REPLY, deltas.toString(), model + " streamed");
        assertEquals(1, completed.size(), model + ": one response.completed");
        assertEquals(REPLY, outputText(completed.get(0)), model + " streamed");
    }

    private void functionRoundTrip(OpenAIClient client, String provider, String model) throws Exception {
        FunctionTool weather = FunctionTool.builder()
                .name("get_weather")
                .description("Current weather of a city")
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .strict(false)
                .build();
        simulators.behave(
                provider,
                Behaviour.builder()
                        .toolCall("get_weather", JSON.readTree("{\"city\":\"Paris\"}"))
                        .toolCall("get_weather", JSON.readTree("{\"city\":\"Tokyo\"}"))
                        .times(1)
                        .build());
        try {
            Response asked = client.responses()
                    .create(ResponseCreateParams.builder()
                            .model(model)
                            .input(QUESTION)
                            .addTool(weather)
                            .build());
            List<ResponseFunctionToolCall> calls = asked.output().stream()
                    .flatMap(item -> item.functionCall().stream())
                    .toList();
            assertEquals(2, calls.size(), model);
            assertEquals(
                    JSON.readTree("{\"city\":\"Paris\"}"),
                    JSON.readTree(calls.get(0).arguments()),
                    model);
            assertEquals(
                    JSON.readTree("{\"city\":\"Tokyo\"}"),
                    JSON.readTree(calls.get(1).arguments()),
                    model);
            List<String> results = List.of("18C, light rain", "24C, sunny");
            List<ResponseInputItem> input = new ArrayList<>();
            input.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                    .role(EasyInputMessage.Role.USER)
                    .content(QUESTION)
                    .build()));
            calls.forEach(call -> input.add(ResponseInputItem.ofFunctionCall(call)));
            for (int i = 0; i < calls.size(); i++) {
                input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                        .callId(calls.get(i).callId())
                        .output(results.get(i))
                        .build()));
            }
            Response answered = client.responses()
                    .create(ResponseCreateParams.builder()
                            .model(model)
                            .inputOfResponse(input)
                            .addTool(weather)
                            .build());
            assertEquals(TOOL_RESULT_PREFIX + String.join("\n", results), outputText(answered), model);
        } finally {
            simulators.reset(provider);
        }
    }

    private void modelsAndErrors(OpenAIClient client) {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertTrue(ids.contains("gpt-4o"), ids.toString());
        assertEquals("anthropic", client.models().retrieve("claude-sonnet-4-5").ownedBy());

        assertThrows(
                UnauthorizedException.class,
                () -> client(0, "th-not-a-key")
                        .responses()
                        .create(ResponseCreateParams.builder()
                                .model("gpt-4o")
                                .input("Hi")
                                .build()));
        NotFoundException notFound = assertThrows(
                NotFoundException.class,
                () -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("no-such-model")
                                .addUserMessage("Hi")
                                .build()));
        assertEquals(404, notFound.statusCode());

        ResponseCreateParams hi = ResponseCreateParams.builder()
                .model("openai/gpt-4o")
                .input("Hi")
                .build();
        simulators.behave(
                "openai",
                Behaviour.builder()
                        .errorStatus(429)
                        .retryAfterSeconds(1)
                        .times(1)
                        .build());
        try {
            RateLimitException limited = assertThrows(
                    RateLimitException.class, () -> client.responses().create(hi));
            assertEquals(List.of("1"), limited.headers().values("retry-after"));
            simulators.behave(
                    "openai",
                    Behaviour.builder()
                            .errorStatus(429)
                            .retryAfterSeconds(1)
                            .times(1)
                            .build());
            // The SDK waits as Retry-After says and tries again; the second call is answered.
            assertEquals(REPLY, outputText(client(2, key).responses().create(hi)));
        } finally {
            simulators.reset("openai");
        }
    }

    /** The text of every output_text part, as the SDKs' {@code output_text} convenience joins it. */
    private static String outputText(Response response) {
        return response.output().stream()
                .flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream())
                .flatMap(content -> content.outputText().stream())
                .map(ResponseOutputText::text)
                .collect(Collectors.joining());
    }
}
