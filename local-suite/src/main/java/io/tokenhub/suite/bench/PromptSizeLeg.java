package io.tokenhub.suite.bench;

import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a request's size costs (issue 18 item 5): sequential non-streamed requests with a 1 KB, 100 KB and 1 MB user
 * message, direct to the OpenAI simulator and through TokenHub, taken in turns so both see the same machine load.
 * Sequential, so the figures are one request's own cost and not a queue. The model is {@code gpt-4.1-mini}, served by
 * the same simulator as the other legs' {@code gpt-4o-mini}: a 1 MB prompt is about 262,000 tokens by TokenHub's
 * estimate, past {@code gpt-4o-mini}'s 128,000-token window, which routing-service refuses before any provider call.
 */
final class PromptSizeLeg {

    /** A size, and how many requests measure it: fewer for larger bodies, which take longer each. */
    record Size(String name, int bytes, int requests) {}

    /** What one size measured for each target. */
    record Row(Size size, LoadGenerator.Result direct, LoadGenerator.Result tokenHub) {}

    static final List<Size> SIZES =
            List.of(new Size("1 KB", 1_024, 400), new Size("100 KB", 102_400, 300), new Size("1 MB", 1_048_576, 150));

    /** Turns taken between the targets per size: load that comes and goes then falls on both alike. */
    private static final int ROUNDS = 5;

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** Enough requests for the JIT to compile the request path on two busy cores before anything is measured. */
    private static final int WARM_UP_RATE = 200;

    private static final Duration WARM_UP = Duration.ofSeconds(20);

    private PromptSizeLeg() {}

    static List<Row> measure(Vertx vertx, LoadGenerator.Target direct, LoadGenerator.Target tokenHub)
            throws InterruptedException {
        try (LoadGenerator warm =
                new LoadGenerator(vertx, tokenHub, body(SIZES.get(0).bytes()), false, 16)) {
            warm.fixedRate(WARM_UP_RATE, WARM_UP);
        }
        List<Row> rows = new ArrayList<>();
        for (Size size : SIZES) {
            String body = body(size.bytes());
            Map<LoadGenerator.Target, List<LoadGenerator.Result>> runs = new LinkedHashMap<>();
            try (LoadGenerator toDirect = new LoadGenerator(vertx, direct, body, false, 1);
                    LoadGenerator toTokenHub = new LoadGenerator(vertx, tokenHub, body, false, 1)) {
                // The first requests of a size warm the code and the buffers particular to it; they are not counted.
                toDirect.sequential(size.requests() / 2, TIMEOUT);
                toTokenHub.sequential(size.requests() / 2, TIMEOUT);
                for (int round = 0; round < ROUNDS; round++) {
                    runs.computeIfAbsent(direct, t -> new ArrayList<>())
                            .add(toDirect.sequential(size.requests() / ROUNDS, TIMEOUT));
                    runs.computeIfAbsent(tokenHub, t -> new ArrayList<>())
                            .add(toTokenHub.sequential(size.requests() / ROUNDS, TIMEOUT));
                }
            }
            rows.add(new Row(
                    size, LoadGenerator.Result.of(runs.get(direct)), LoadGenerator.Result.of(runs.get(tokenHub))));
        }
        return rows;
    }

    static void print(PrintStream out, List<Row> rows) {
        out.println("| user message | requests | direct p50 | direct p90 | TokenHub p50 | TokenHub p90 | added p50 "
                + "| added p90 | failed |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            LoadGenerator.Result d = row.direct();
            LoadGenerator.Result t = row.tokenHub();
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d |%n",
                    row.size().name(),
                    t.totalMicros.length,
                    d.totalMillis(50),
                    d.totalMillis(90),
                    t.totalMillis(50),
                    t.totalMillis(90),
                    t.totalMillis(50) - d.totalMillis(50),
                    t.totalMillis(90) - d.totalMillis(90),
                    d.failures() + t.failures());
        }
    }

    /** A chat request whose one user message is {@code bytes} of plain ASCII prose. */
    private static String body(int bytes) {
        String words = "The quick brown fox jumps over the lazy dog. ";
        String text = words.repeat(bytes / words.length() + 1).substring(0, bytes);
        return "{\"model\":\"gpt-4.1-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }
}
