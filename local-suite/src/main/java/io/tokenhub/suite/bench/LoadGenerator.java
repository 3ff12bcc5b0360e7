package io.tokenhub.suite.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends one fixed chat request (or several in turn, such as one per API key) to one target, either at a fixed rate
 * (open loop: latency is measured from when each request was due, so a stall is charged to every request that waited
 * behind it), as fast as a fixed number of connections allow (closed loop, for throughput), one at a time
 * (sequential, for the cost of one request), or all at once (a burst of concurrent calls). For each request it
 * times the first body bytes and the last, so a stream's time to first chunk and to its end are both measured; a
 * request counts as failed unless it got a 200 and, for a stream, its body ended in {@code [DONE]}.
 */
final class LoadGenerator implements AutoCloseable {

    /** Where requests go: a URL and the headers that target needs besides the body's content type. */
    record Target(String name, String url, Map<String, String> headers) {}

    /** One of the requests a generator takes in turn: the headers it adds to its target's, and its body. */
    record Variant(Map<String, String> headers, String body) {}

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final Vertx vertx;
    private final HttpClient http;
    private final RequestOptions[] options;
    private final Buffer[] bodies;
    private final AtomicLong sent = new AtomicLong();
    private final boolean stream;

    LoadGenerator(Vertx vertx, Target target, String body, boolean stream, int connections) {
        this(vertx, target, List.of(new Variant(Map.of(), body)), stream, connections);
    }

    /** Sends {@code variants} in turn, round-robin, each with the target's headers and then its own. */
    LoadGenerator(Vertx vertx, Target target, List<Variant> variants, boolean stream, int connections) {
        this.vertx = vertx;
        URI uri = URI.create(target.url());
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout(30_000),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        this.options = new RequestOptions[variants.size()];
        this.bodies = new Buffer[variants.size()];
        for (int i = 0; i < variants.size(); i++) {
            options[i] = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(uri.getHost())
                    .setPort(uri.getPort())
                    .setURI(uri.getRawPath())
                    .putHeader("content-type", "application/json");
            target.headers().forEach(options[i]::putHeader);
            variants.get(i).headers().forEach(options[i]::putHeader);
            bodies[i] = Buffer.buffer(variants.get(i).body());
        }
        this.stream = stream;
    }

    /** {@code rate} requests per second for {@code duration}. */
    Result fixedRate(int rate, Duration duration) throws InterruptedException {
        int total = (int) (rate * duration.toSeconds());
        Result result = new Result(total);
        CountDownLatch done = new CountDownLatch(total);
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        AtomicInteger next = new AtomicInteger();
        // A 1 ms tick fires every request that has fallen due, so sends stay on schedule without a thread per request.
        long timer = vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (true) {
                int i = next.get();
                if (i >= total) {
                    return;
                }
                long due = start + i * intervalNanos;
                if (due > now || !next.compareAndSet(i, i + 1)) {
                    return;
                }
                exchange(due, result, i, done::countDown);
            }
        });
        done.await(duration.toSeconds() + 60, TimeUnit.SECONDS);
        vertx.cancelTimer(timer);
        result.elapsedNanos = duration.toNanos();
        return result;
    }

    /** As fast as {@code concurrency} requests in flight allow, for {@code duration}. */
    Result maxThroughput(int concurrency, Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        Result result = new Result(0);
        CountDownLatch stopped = new CountDownLatch(concurrency);
        long begin = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            loop(end, result, stopped);
        }
        stopped.await(duration.toSeconds() + 60, TimeUnit.SECONDS);
        result.elapsedNanos = System.nanoTime() - begin;
        return result;
    }

    /** {@code count} requests sent at once, each on its own connection when the pool allows; waits for all. */
    Result burst(int count, Duration timeout) throws InterruptedException {
        Result result = new Result(count);
        CountDownLatch done = new CountDownLatch(count);
        long begin = System.nanoTime();
        vertx.runOnContext(v -> {
            for (int i = 0; i < count; i++) {
                exchange(begin, result, i, done::countDown);
            }
        });
        boolean all = done.await(timeout.toSeconds(), TimeUnit.SECONDS);
        result.elapsedNanos = System.nanoTime() - begin;
        if (!all) {
            result.failures.addAndGet((int) done.getCount());
        }
        return result;
    }

    /** {@code count} requests one after the other, each sent when the previous one ended: latency without queueing. */
    Result sequential(int count, Duration timeout) throws InterruptedException {
        Result result = new Result(count);
        CountDownLatch done = new CountDownLatch(1);
        long begin = System.nanoTime();
        vertx.runOnContext(v -> next(0, result, done));
        if (!done.await(timeout.toSeconds(), TimeUnit.SECONDS)) {
            result.failures.addAndGet(count - (int) result.completed.get() - result.failures());
        }
        result.elapsedNanos = System.nanoTime() - begin;
        return result;
    }

    private void next(int index, Result result, CountDownLatch done) {
        if (index == result.totalMicros.length) {
            done.countDown();
            return;
        }
        exchange(System.nanoTime(), result, index, () -> next(index + 1, result, done));
    }

    private void loop(long end, Result result, CountDownLatch stopped) {
        if (System.nanoTime() >= end) {
            stopped.countDown();
            return;
        }
        exchange(System.nanoTime(), result, -1, () -> loop(end, result, stopped));
    }

    /** One request; its latencies go to {@code index} of the result's arrays (none when negative). */
    private void exchange(long startNanos, Result result, int index, Runnable then) {
        int variant = (int) (sent.getAndIncrement() % options.length);
        http.request(options[variant]).compose(req -> req.send(bodies[variant])).onComplete(ar -> {
            if (ar.failed()) {
                finish(result, index, startNanos, false, then);
                return;
            }
            HttpClientResponse response = ar.result();
            boolean[] first = {true};
            byte[] tail = new byte[DONE.length + 4];
            response.handler(chunk -> {
                if (first[0]) {
                    first[0] = false;
                    if (index >= 0) {
                        result.firstByteMicros[index] = (System.nanoTime() - startNanos) / 1_000;
                    }
                }
                keepTail(tail, chunk);
            });
            response.exceptionHandler(e -> finish(result, index, startNanos, false, then));
            response.endHandler(v -> finish(
                    result,
                    index,
                    startNanos,
                    response.statusCode() == 200 && (!stream || contains(tail, DONE)),
                    then));
        });
    }

    private static void finish(Result result, int index, long startNanos, boolean ok, Runnable then) {
        if (index >= 0) {
            result.totalMicros[index] = (System.nanoTime() - startNanos) / 1_000;
        }
        if (ok) {
            result.completed.incrementAndGet();
        } else {
            result.failures.incrementAndGet();
        }
        then.run();
    }

    /** Keeps the last bytes seen, enough to find {@code [DONE]} and the blank line after it. */
    private static void keepTail(byte[] tail, Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        int keep = Math.min(bytes.length, tail.length);
        System.arraycopy(tail, keep, tail, 0, tail.length - keep);
        System.arraycopy(bytes, bytes.length - keep, tail, tail.length - keep, keep);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        http.close();
    }

    /** What one run measured: per request (in send order) the time to the first body bytes and to the last. */
    static final class Result {

        final long[] firstByteMicros;
        final long[] totalMicros;
        final AtomicInteger failures = new AtomicInteger();
        final AtomicLong completed = new AtomicLong();
        long elapsedNanos;

        Result(int requests) {
            this.firstByteMicros = new long[requests];
            this.totalMicros = new long[requests];
        }

        /** Several runs' requests as one run's, so runs taken in turns with another target compare as a whole. */
        static Result of(List<Result> runs) {
            Result all =
                    new Result(runs.stream().mapToInt(r -> r.totalMicros.length).sum());
            int at = 0;
            for (Result run : runs) {
                System.arraycopy(run.firstByteMicros, 0, all.firstByteMicros, at, run.firstByteMicros.length);
                System.arraycopy(run.totalMicros, 0, all.totalMicros, at, run.totalMicros.length);
                at += run.totalMicros.length;
                all.failures.addAndGet(run.failures());
                all.completed.addAndGet(run.completed.get());
                all.elapsedNanos += run.elapsedNanos;
            }
            return all;
        }

        double totalMillis(double p) {
            return percentile(totalMicros, p);
        }

        double firstByteMillis(double p) {
            return percentile(firstByteMicros, p);
        }

        int failures() {
            return failures.get();
        }

        double perSecond() {
            return completed.get() * 1e9 / elapsedNanos;
        }

        private static double percentile(long[] micros, double p) {
            if (micros.length == 0) {
                return Double.NaN;
            }
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
        }
    }
}
