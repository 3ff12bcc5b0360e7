package io.tokenhub.routing.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenhub.common.catalog.Catalog;
import io.tokenhub.common.catalog.CatalogLoader;
import io.tokenhub.common.catalog.CatalogModel;
import io.tokenhub.common.catalog.Provider;
import io.tokenhub.routing.chat.ChatRequest;
import io.tokenhub.routing.errors.OpenAiError;
import io.tokenhub.routing.provider.openai.OpenAiAdapter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every provider adapter over its recorded fixture files in {@code fixtures/<provider>/}: OpenAI request to
 * native request, native response to OpenAI response, native stream to OpenAI chunks (with and without the usage the
 * client asked for, and with a provider error in the middle), and native errors to OpenAI errors.
 */
class TranslationFixtureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Catalog CATALOG = CatalogLoader.load(Optional.empty());

    @TestFactory
    Stream<DynamicTest> everyProviderFixture() throws IOException, URISyntaxException {
        Path root = Path.of(TranslationFixtureTest.class.getResource("/fixtures").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Provider provider = Provider.fromWireName(dir.getFileName().toString());
                ProviderAdapter adapter = adapter(provider);
                tests.add(DynamicTest.dynamicTest(provider.wireName() + ": request", () -> request(dir, adapter,
                        "request.json", "native-request.json")));
                tests.add(DynamicTest.dynamicTest(provider.wireName() + ": stream request", () -> request(dir,
                        adapter, "stream-request.json", "stream-native-request.json")));
                tests.add(DynamicTest.dynamicTest(provider.wireName() + ": response", () -> response(dir, adapter)));
                tests.add(DynamicTest.dynamicTest(provider.wireName() + ": stream", () -> stream(dir, adapter,
                        false, "stream-native.sse", "stream-openai.sse", "stream-usage.json", false)));
                tests.add(DynamicTest.dynamicTest(provider.wireName() + ": stream with usage", () -> stream(dir,
                        adapter, true, "stream-native.sse", "stream-openai-with-usage.sse", "stream-usage.json",
                        false)));
                tests.add(DynamicTest.dynamicTest(provider.wireName() + ": stream cut by an error", () -> stream(dir,
                        adapter, false, "stream-error-native.sse", "stream-error-openai.sse", null, true)));
                try (Stream<Path> errors = Files.list(dir)) {
                    errors.filter(p -> p.getFileName().toString().startsWith("error-")).sorted().forEach(p ->
                            tests.add(DynamicTest.dynamicTest(provider.wireName() + ": " + p.getFileName(), () ->
                                    error(p, adapter))));
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
            case ANTHROPIC, GOOGLE, MISTRAL, META ->
                    throw new AssertionError("fixtures exist for " + provider + " but it has no adapter");
        };
    }

    private static void request(Path dir, ProviderAdapter adapter, String requestFile, String nativeFile)
            throws IOException {
        ChatRequest request = ChatRequest.parse(JSON, Files.readAllBytes(dir.resolve(requestFile)));
        NativeRequest nativeRequest = adapter.toNativeRequest(request, model(request), "test-provider-key");
        assertEquals(JSON.readTree(dir.resolve(nativeFile).toFile()), JSON.readTree(nativeRequest.body()),
                requestFile + " -> " + nativeFile);
        assertTrue(nativeRequest.headers().values().stream().anyMatch(v -> v.contains("test-provider-key")),
                "the provider key is sent");
    }

    private static void response(Path dir, ProviderAdapter adapter) throws IOException {
        ChatRequest request = ChatRequest.parse(JSON, Files.readAllBytes(dir.resolve("request.json")));
        TranslatedResponse translated = adapter.toOpenAiResponse(request, model(request),
                Files.readAllBytes(dir.resolve("native-response.json")));
        assertEquals(JSON.readTree(dir.resolve("openai-response.json").toFile()), JSON.readTree(translated.body()));
        assertEquals(usage(dir.resolve("usage.json")), translated.usage());
    }

    private static void stream(Path dir, ProviderAdapter adapter, boolean includeUsage, String nativeFile,
            String expectedFile, String usageFile, boolean expectFailure) throws IOException {
        ChatRequest base = ChatRequest.parse(JSON, Files.readAllBytes(dir.resolve("stream-request.json")));
        ChatRequest request = new ChatRequest(base.body(), base.model(), true, includeUsage);
        SseTranslation translation = new SseTranslation(adapter.newStreamTranslator(request, model(request)));
        byte[] nativeStream = Files.readAllBytes(dir.resolve(nativeFile));
        Buffer out = Buffer.buffer();
        // Network reads split streams anywhere, multi-byte characters included: feed it in awkward pieces.
        for (int i = 0; i < nativeStream.length; i += 7) {
            out.appendBuffer(translation.feed(Buffer.buffer(Arrays.copyOfRange(nativeStream, i,
                    Math.min(nativeStream.length, i + 7)))));
        }
        out.appendBuffer(translation.end());
        assertEquals(frames(Files.readString(dir.resolve(expectedFile))), frames(out.toString(StandardCharsets.UTF_8)),
                nativeFile + " -> " + expectedFile);
        assertEquals(expectFailure, translation.failed());
        if (usageFile != null) {
            assertEquals(usage(dir.resolve(usageFile)), translation.usage());
        }
    }

    private static void error(Path file, ProviderAdapter adapter) throws IOException {
        JsonNode fixture = JSON.readTree(file.toFile());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        fixture.path("headers").fields().forEachRemaining(h -> headers.add(h.getKey(), h.getValue().asText()));
        OpenAiError error = adapter.toOpenAiError(fixture.path("status").asInt(), headers,
                JSON.writeValueAsBytes(fixture.path("body")));
        JsonNode expected = fixture.path("expected");
        assertEquals(expected.path("status").asInt(), error.status());
        assertEquals(expected.path("retry_after").isNull() ? null : expected.path("retry_after").asLong(),
                error.retryAfterSeconds());
        assertEquals(expected.path("body"), JSON.readTree(error.toJson()));
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
        return new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
                u.path("cached_tokens").asLong());
    }

    private static CatalogModel model(ChatRequest request) {
        return CATALOG.resolve(request.model()).orElseThrow().model();
    }
}
