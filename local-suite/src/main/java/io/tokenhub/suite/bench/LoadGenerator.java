package io.tokenhub.suite.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends one fixed chat request to one target, either at a fixed rate (open loop: latency is measured from when each
 * request was due, so a stall is charged to every request that waited behind it) or as fast as a fixed number of
 * connections allow (closed loop, for throughput).
 */
final class LoadGenerator implements AutoCloseable {

    private final Vertx vertx;
    private final HttpClient http;
    private final RequestOptions options;
    private final Buffer body;

    LoadGenerator(Vertx vertx, String url, String apiKey, String body, int connections) {
        this.vertx = vertx;
        URI uri = URI.create(url);
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        this.options = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(uri.getPort())
                .setURI(uri.getRawPath()).putHeader("authorization", "Bearer " + apiKey)
                .putHeader("content-type", "application/json");
        this.body = Buffer.buffer(body);
    }

    /** {@code rate} requests per second for {@code duration}; latencies in microseconds. */
    Result fixedRate(int rate, Duration duration) throws InterruptedException {
        int total = (int) (rate * duration.toSeconds());
        long[] latencies = new long[total];
        AtomicInteger failures = new AtomicInteger();
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
                send(due, latencies, i, failures, done);
            }
        });
        done.await(duration.toSeconds() + 60, TimeUnit.SECONDS);
        vertx.cancelTimer(timer);
        return new Result(latencies, failures.get(), duration.toNanos());
    }

    /** As fast as {@code concurrency} requests in flight allow, for {@code duration}. */
    Result maxThroughput(int concurrency, Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong completed = new AtomicLong();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch stopped = new CountDownLatch(concurrency);
        long begin = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            loop(end, completed, failures, stopped);
        }
        stopped.await(duration.toSeconds() + 60, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - begin;
        return new Result(new long[0], failures.get(), elapsed, completed.get());
    }

    private void loop(long end, AtomicLong completed, AtomicInteger failures, CountDownLatch stopped) {
        if (System.nanoTime() >= end) {
            stopped.countDown();
            return;
        }
        http.request(options).compose(req -> req.send(body)).compose(res -> res.body().map(b -> res.statusCode()))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() == 200) {
                        completed.incrementAndGet();
                    } else {
                        failures.incrementAndGet();
                    }
                    loop(end, completed, failures, stopped);
                });
    }

    private void send(long due, long[] latencies, int index, AtomicInteger failures, CountDownLatch done) {
        http.request(options).compose(req -> req.send(body)).compose(res -> res.body().map(b -> res.statusCode()))
                .onComplete(ar -> {
                    latencies[index] = (System.nanoTime() - due) / 1_000;
                    if (ar.failed() || ar.result() != 200) {
                        failures.incrementAndGet();
                    }
                    done.countDown();
                });
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * What one run measured.
     *
     * @param latenciesMicros per request, in send order
     * @param failures requests that did not get a 200
     * @param elapsedNanos how long the run took
     * @param completed successful requests (closed loop)
     */
    record Result(long[] latenciesMicros, int failures, long elapsedNanos, long completed) {

        Result(long[] latenciesMicros, int failures, long elapsedNanos) {
            this(latenciesMicros, failures, elapsedNanos, latenciesMicros.length - failures);
        }

        double percentileMillis(double p) {
            long[] sorted = latenciesMicros.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
        }

        double perSecond() {
            return completed * 1e9 / elapsedNanos;
        }
    }
}
