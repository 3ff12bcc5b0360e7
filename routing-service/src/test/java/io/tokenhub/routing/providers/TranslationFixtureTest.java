package io.tokenhub.routing.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.openai.ChatRequest;
import io.tokenhub.routing.openai.InvalidRequestException;
import io.tokenhub.routing.openai.OpenAiError;
import io.tokenhub.routing.providers.anthropic.AnthropicAdapter;
import io.tokenhub.routing.providers.google.GoogleAdapter;
import io.tokenhub.routing.providers.meta.MetaAdapter;
import io.tokenhub.routing.providers.mistral.MistralAdapter;
import io.tokenhub.routing.providers.openai.OpenAiAdapter;
import io.tokenhub.routing.spi.NativeRequest;
import io.tokenhub.routing.spi.ProviderAdapter;
import io.tokenhub.routing.spi.TranslatedResponse;
import io.tokenhub.routing.spi.Usage;
import io.tokenhub.routing.stream.SseTranslation;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every provider adapter over its fixture files in {@code fixtures/<provider>/}. Each case is a pair of files
 * named by the same suffix ({@code request-json.json} goes with {@code native-request-json.json}):
 * <ul>
 * <li>{@code request*.json} / {@code stream-request*.json}: the client's request, to the provider's native request
 * {@code native-request*.json} / {@code stream-native-request*.json}, with the path from {@code native-paths.json};</li>
 * <li>{@code native-response*.json}: a provider answer, to {@code openai-response*.json} and the usage billed
 * {@code usage*.json} (read with {@code request<suffix>.json}, else {@code request.json});</li>
 * <li>{@code stream-native*.sse}: a provider stream, fed in awkward seven-byte pieces, to
 * {@code stream-openai*.sse} without the usage chunk and {@code stream-openai*-with-usage.sse} with it, and to
 * {@code stream-usage*.json}; a stream whose expected output ends in an error event must fail;</li>
 * <li>{@code error-*.json}: a provider error response to the OpenAI error and status;</li>
 * <li>{@code invalid-*.json}: a request this provider cannot take, to the 400 the client gets.</li>
 * </ul>
 * A mismatch writes the actual output to {@code target/fixtures-actual/<provider>/} for review.
 */
class TranslationFixtureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Catalog CATALOG = CatalogLoader.load(Optional.empty());
    /** {@code created} where a provider sends no timestamp, fixed so the fixtures can hold it. */
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1741569952), ZoneOffset.UTC);

    private static final Path ACTUAL = Path.of("target", "fixtures-actual");

    @TestFactory
    Stream<DynamicTest> everyProviderFixture() throws IOException, URISyntaxException {
        Path root =
                Path.of(TranslationFixtureTest.class.getResource("/fixtures").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Provider provider = Provider.fromWireName(dir.getFileName().toString());
                ProviderAdapter adapter = adapter(provider);
                List<String> files;
                try (Stream<Path> list = Files.list(dir)) {
                    files = list.map(p -> p.getFileName().toString()).sorted().toList();
                }
                assertTrue(
                        files.contains("request.json")
                                && files.contains("stream-native.sse")
                                && files.contains("stream-error-native.sse"),
                        dir + " lacks the basic cases");
                for (String file : files) {
                    String name = provider.wireName() + ": " + file;
                    if (file.startsWith("request") || file.startsWith("stream-request")) {
                        tests.add(DynamicTest.dynamicTest(name, () -> request(dir, adapter, file)));
                    } else if (file.startsWith("native-response")) {
                        tests.add(DynamicTest.dynamicTest(name, () -> response(dir, adapter, file)));
                    } else if ((file.startsWith("stream-native") || file.startsWith("stream-error-native"))
                            && file.endsWith(".sse")) {
                        tests.add(DynamicTest.dynamicTest(name, () -> stream(dir, adapter, file, false)));
                        String withUsage = expectedStream(file, true);
                        if (files.contains(withUsage)) {
                            tests.add(DynamicTest.dynamicTest(
                                    name + " with usage", () -> stream(dir, adapter, file, true)));
                        }
                    } else if (file.startsWith("error-")) {
                        tests.add(DynamicTest.dynamicTest(name, () -> error(dir.resolve(file), adapter)));
                    } else if (file.startsWith("invalid-")) {
                        tests.add(DynamicTest.dynamicTest(name, () -> invalid(dir.resolve(file), adapter)));
                    }
                }
            }
        }
        assertFalse(tests.isEmpty(), "no fixtures found");
        return tests.stream();
    }

    /** The adapter under test per provider; a fixture folder for a provider without one fails the build. */
    private static ProviderAdapter adapter(Provider provider) {
        return switch (provider) {
            case OPENAI -> new OpenAiAdapter(JSON);
            case ANTHROPIC -> new AnthropicAdapter(JSON, CLOCK);
            case GOOGLE -> new GoogleAdapter(JSON, CLOCK);
            case MISTRAL -> new MistralAdapter(JSON, CLOCK);
            case META -> new MetaAdapter(JSON, CLOCK);
        };
    }

    private static void request(Path dir, ProviderAdapter adapter, String requestFile) throws IOException {
        String nativeFile = requestFile.startsWith("stream-")
                ? "stream-native-" + requestFile.substring(7)
                : "native-" + requestFile;
        ChatRequest request = ChatRequest.parse(JSON, Files.readAllBytes(dir.resolve(requestFile)));
        NativeRequest nativeRequest = adapter.toNativeRequest(request, model(request), "test-provider-key");
        assertJson(dir, nativeFile, JSON.readTree(nativeRequest.body()));
        assertTrue(
                nativeRequest.headers().values().stream().anyMatch(v -> v.contains("test-provider-key")),
                "the provider key is sent");
        JsonNode paths = JSON.readTree(dir.resolve("native-paths.json").toFile());
        assertTrue(paths.has(requestFile), "native-paths.json names the path of " + requestFile);
        assertEquals(paths.get(requestFile).asText(), nativeRequest.path(), requestFile + " path");
    }

    private static void response(Path dir, ProviderAdapter adapter, String nativeFile) throws IOException {
        String suffix = nativeFile.substring("native-response".length());
        String requestFile = Files.exists(dir.resolve("request" + suffix)) ? "request" + suffix : "request.json";
        ChatRequest request = ChatRequest.parse(JSON, Files.readAllBytes(dir.resolve(requestFile)));
        TranslatedResponse translated =
                adapter.toOpenAiResponse(request, model(request), Files.readAllBytes(dir.resolve(nativeFile)));
        assertJson(dir, "openai-response" + suffix, JSON.readTree(translated.body()));
        assertEquals(usage(dir.resolve("usage" + suffix)), translated.usage());
    }

    private static void stream(Path dir, ProviderAdapter adapter, String nativeFile, boolean includeUsage)
            throws IOException {
        // stream-native-<case>.sse reads stream-request-<case>.json if there is one; error streams the plain one.
        String suffix = nativeFile.startsWith("stream-error-")
                ? "-error"
                : nativeFile.substring("stream-native".length(), nativeFile.length() - ".sse".length());
        String requestFile = Files.exists(dir.resolve("stream-request" + suffix + ".json"))
                ? "stream-request" + suffix + ".json"
                : "stream-request.json";
        ChatRequest base = ChatRequest.parse(JSON, Files.readAllBytes(dir.resolve(requestFile)));
        ChatRequest request =
                new ChatRequest(base.body(), base.model(), true, includeUsage, base.routing(), base.source());
        SseTranslation translation = new SseTranslation(adapter.newStreamTranslator(request, model(request)));
        byte[] nativeStream = Files.readAllBytes(dir.resolve(nativeFile));
        Buffer out = Buffer.buffer();
        // Network reads split streams anywhere, multi-byte characters included: feed it in awkward pieces.
        for (int i = 0; i < nativeStream.length; i += 7) {
            out.appendBuffer(translation.feed(
                    Buffer.buffer(Arrays.copyOfRange(nativeStream, i, Math.min(nativeStream.length, i + 7)))));
        }
        out.appendBuffer(translation.end());
        out.appendBuffer(translation.closing(UnaryOperator.identity()));
        String expectedFile = expectedStream(nativeFile, includeUsage);
        String actual = out.toString(StandardCharsets.UTF_8);
        Path expected = dir.resolve(expectedFile);
        if (!Files.exists(expected) || !frames(Files.readString(expected)).equals(frames(actual))) {
            writeActual(dir, expectedFile, actual);
        }
        assertTrue(Files.exists(expected), "missing " + expectedFile);
        List<JsonNode> expectedFrames = frames(Files.readString(expected));
        assertEquals(expectedFrames, frames(actual), nativeFile + " -> " + expectedFile);
        assertEquals(
                expectedFrames.get(expectedFrames.size() - 1).has("error"),
                translation.failed(),
                "a stream ends with an error event exactly when it failed");
        // Written into the fixtures by hand (UTF-16 units of content, tool names and arguments), not counted by the
        // code under test: what a cancelled stream is billed on.
        JsonNode answerChars =
                JSON.readTree(dir.resolve("stream-answer-chars.json").toFile());
        assertTrue(answerChars.has(nativeFile), "stream-answer-chars.json has no entry for " + nativeFile);
        assertEquals(
                answerChars.path(nativeFile).asLong(),
                translation.answerChars(),
                nativeFile + ": the answer a cancelled stream would be billed on");
        Path usageFile = dir.resolve("stream-usage" + suffix + ".json");
        if (Files.exists(usageFile)) {
            assertEquals(usage(usageFile), translation.usage());
        }
    }

    private static String expectedStream(String nativeFile, boolean includeUsage) {
        String expected = nativeFile.startsWith("stream-error-")
                ? nativeFile.replace("-native", "-openai")
                : "stream-openai" + nativeFile.substring("stream-native".length());
        return includeUsage ? expected.replace(".sse", "-with-usage.sse") : expected;
    }

    private static void error(Path file, ProviderAdapter adapter) throws IOException {
        JsonNode fixture = JSON.readTree(file.toFile());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        fixture.path("headers")
                .fields()
                .forEachRemaining(h -> headers.add(h.getKey(), h.getValue().asText()));
        JsonNode body = fixture.path("body");
        OpenAiError error = adapter.toOpenAiError(
                fixture.path("status").asInt(),
                headers,
                body.isTextual() ? body.asText().getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body));
        JsonNode expected = fixture.path("expected");
        assertEquals(expected.path("status").asInt(), error.status());
        assertEquals(
                expected.path("retry_after").isNull()
                        ? null
                        : expected.path("retry_after").asLong(),
                error.retryAfterSeconds());
        assertEquals(expected.path("body"), JSON.readTree(error.toJson()));
    }

    private static void invalid(Path file, ProviderAdapter adapter) throws IOException {
        JsonNode fixture = JSON.readTree(file.toFile());
        ChatRequest request = ChatRequest.parse(JSON, JSON.writeValueAsBytes(fixture.path("request")));
        InvalidRequestException refused = assertThrows(
                InvalidRequestException.class,
                () -> adapter.toNativeRequest(request, model(request), "test-provider-key"));
        assertEquals(400, refused.error().status());
        assertEquals(fixture.path("expected"), JSON.readTree(refused.error().toJson()));
    }

    private static void assertJson(Path dir, String expectedFile, JsonNode actual) throws IOException {
        Path expected = dir.resolve(expectedFile);
        if (!Files.exists(expected) || !JSON.readTree(expected.toFile()).equals(actual)) {
            writeActual(dir, expectedFile, PRETTY.writeValueAsString(actual) + "\n");
        }
        assertTrue(Files.exists(expected), "missing " + expectedFile);
        assertEquals(JSON.readTree(expected.toFile()), actual, expectedFile);
    }

    private static void writeActual(Path dir, String file, String content) throws IOException {
        Path out = ACTUAL.resolve(dir.getFileName().toString()).resolve(file);
        Files.createDirectories(out.getParent());
        Files.writeString(out, content);
    }

    /** Each SSE frame as JSON when it is JSON, so key order and spacing do not matter. */
    private static List<JsonNode> frames(String sse) {
        List<JsonNode> out = new ArrayList<>();
        for (String frame : sse.strip().split("\n\n")) {
            String data = frame.strip();
            assertTrue(data.startsWith("data: "), "frame without data: " + data);
            String payload = data.substring("data: ".length());
            try {
                out.add("[DONE]".equals(payload) ? JSON.getNodeFactory().textNode(payload) : JSON.readTree(payload));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static Usage usage(Path file) throws IOException {
        JsonNode u = JSON.readTree(file.toFile());
        return new Usage(
                u.path("input_tokens").asLong(),
                u.path("output_tokens").asLong(),
                u.path("cached_tokens").asLong(),
                u.path("cache_write_5m_tokens").asLong(),
                u.path("cache_write_1h_tokens").asLong());
    }

    private static CatalogModel model(ChatRequest request) {
        return CATALOG.resolve(request.model()).orElseThrow().model();
    }
}
