package io.tokenhub.routing.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenhub.common.events.EventJson;
import io.tokenhub.common.events.UsageEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool on its own: what is appended is read back in order across segments, an acknowledgement survives a
 * reopen and deletes what it covers, a crash before the acknowledgement sends everything again, and a record torn by
 * a crash mid-write is cut off while every whole one before it is kept.
 */
class UsageSpoolTest {

    /** Small segments, so a few dozen events roll several times. */
    private static final long SEGMENT = 1_000;

    @TempDir
    Path dir;

    @Test
    void appendedEventsComeBackInOrderAcrossSegments() throws IOException {
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, false)) {
            for (int i = 0; i < 50; i++) {
                spool.append("acct-" + (i % 3), event(i));
            }
            assertTrue(spool.segmentFiles().size() >= 3, "50 events of ~60 bytes roll 1,000-byte segments");
            List<UsageSpool.Entry> all = readAll(spool, spool.checkpoint());
            assertEquals(50, all.size());
            for (int i = 0; i < 50; i++) {
                assertEquals("acct-" + (i % 3), all.get(i).key());
                assertEquals(event(i), all.get(i).value());
            }
            assertEquals(spool.end(), all.get(49).next());
            assertEquals(new UsageSpool.Backlog(50, spool.end()), spool.backlog());
        }
    }

    @Test
    void anAcknowledgementSurvivesAReopenAndDeletesWhatItCovers() throws IOException {
        long acknowledged;
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, false)) {
            for (int i = 0; i < 40; i++) {
                spool.append("a", event(i));
            }
            List<UsageSpool.Entry> first = spool.read(spool.checkpoint(), 30);
            acknowledged = first.get(29).next();
            int before = spool.segmentFiles().size();
            spool.acknowledge(acknowledged, 30);
            assertTrue(spool.segmentFiles().size() < before, "segments wholly acknowledged are deleted");
            assertEquals(10, spool.backlog().events());
        }
        // A restart sends only what Kafka had not acknowledged, and appends go on after it.
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, false)) {
            assertEquals(acknowledged, spool.checkpoint());
            assertEquals(10, spool.backlog().events());
            spool.append("a", event(40));
            List<String> values = readAll(spool, spool.checkpoint()).stream()
                    .map(UsageSpool.Entry::value)
                    .toList();
            List<String> expected = new ArrayList<>();
            for (int i = 30; i <= 40; i++) {
                expected.add(event(i));
            }
            assertEquals(expected, values);
        }
    }

    @Test
    void aCrashBeforeTheAcknowledgementSendsEverythingAgain() throws IOException {
        UsageSpool crashed = UsageSpool.open(dir, SEGMENT, false);
        for (int i = 0; i < 20; i++) {
            crashed.append("a", event(i));
        }
        crashed.read(crashed.checkpoint(), 20);
        // No acknowledge and no close: what a SIGKILL leaves is what the writes put in the page cache.
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, false)) {
            assertEquals(20, readAll(spool, spool.checkpoint()).size());
            assertEquals(20, spool.backlog().events());
        }
    }

    /**
     * The checkpoint file is rewritten at most twice a second while acknowledgements flow: a crash right after one
     * that is not in the file yet sends its events again (billing absorbs them), and a flush when the sender is idle
     * writes it.
     */
    @Test
    void aCheckpointNotYetInItsFileOnlySendsEventsAgain() throws IOException {
        UsageSpool crashed = UsageSpool.open(dir, SEGMENT, false);
        for (int i = 0; i < 10; i++) {
            crashed.append("a", event(i));
        }
        List<UsageSpool.Entry> sent = crashed.read(crashed.checkpoint(), 10);
        crashed.acknowledge(sent.get(4).next(), 5);
        crashed.acknowledge(sent.get(9).next(), 5);
        assertEquals(sent.get(9).next(), crashed.checkpoint());
        // No close: the second acknowledgement came within the interval, so only the first is on disk.
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, false)) {
            assertEquals(sent.get(4).next(), spool.checkpoint());
            assertEquals(5, readAll(spool, spool.checkpoint()).size());
        }
        crashed.flushCheckpoint();
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, false)) {
            assertEquals(sent.get(9).next(), spool.checkpoint());
        }
    }

    @Test
    void aTornLastRecordIsCutOffAndEveryWholeOneKept() throws IOException {
        UsageSpool crashed = UsageSpool.open(dir, SEGMENT, false);
        for (int i = 0; i < 30; i++) {
            crashed.append("a", event(i));
        }
        Path newest = crashed.segmentFiles().get(crashed.segmentFiles().size() - 1);
        long whole = Files.size(newest);
        // Half a record more, as a process killed inside a write would leave it.
        try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 90, 1, 2, 3, 4, 0, 1, 'a'}));
        }
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, false)) {
            assertEquals(whole, Files.size(newest), "the torn tail is cut off");
            spool.append("a", event(30));
            List<UsageSpool.Entry> all = readAll(spool, spool.checkpoint());
            assertEquals(31, all.size());
            assertEquals(event(29), all.get(29).value());
            assertEquals(event(30), all.get(30).value());
        }
    }

    @Test
    void aCorruptedRecordIsNeverSentAsAnEvent() throws IOException {
        UsageSpool crashed = UsageSpool.open(dir, SEGMENT, false);
        for (int i = 0; i < 3; i++) {
            crashed.append("a", event(i));
        }
        Path newest = crashed.segmentFiles().get(0);
        byte[] bytes = Files.readAllBytes(newest);
        // Flip one byte of the last record's value: the checksum must refuse it.
        bytes[bytes.length - 3] ^= 0x20;
        Files.write(newest, bytes);
        try (UsageSpool spool = UsageSpool.open(dir, SEGMENT, false)) {
            List<UsageSpool.Entry> all = readAll(spool, spool.checkpoint());
            assertEquals(
                    List.of(event(0), event(1)),
                    all.stream().map(UsageSpool.Entry::value).toList());
        }
    }

    /**
     * The cost an answer pays, as {@code UsagePublisher.publish} spends it: serialise the event, then a lock and one
     * {@code write} into the page cache. Printed for the docs and bounded loosely (a busy 2-core CI machine), so a
     * change that adds an fsync or a copy per event shows.
     */
    @Test
    void anAppendCostsMicroseconds() throws IOException {
        UsageEvent event = SampleUsageEvents.answered("req_0123456789abcdef0123456789");
        try (UsageSpool spool = UsageSpool.open(dir, 16 << 20, false)) {
            int warmUp = 20_000;
            int n = 50_000;
            long appendNanos = 0;
            long start = System.nanoTime();
            for (int i = 0; i < warmUp + n; i++) {
                if (i == warmUp) {
                    appendNanos = 0;
                    start = System.nanoTime();
                }
                String json = EventJson.MAPPER.writeValueAsString(event);
                long before = System.nanoTime();
                spool.append(event.accountId(), json);
                appendNanos += System.nanoTime() - before;
            }
            double total = (System.nanoTime() - start) / 1_000.0 / n;
            double append = appendNanos / 1_000.0 / n;
            System.out.printf(
                    "usage spool: %.2f µs per event (%.2f µs of it the append), %d-byte events%n",
                    total, append, EventJson.MAPPER.writeValueAsString(event).length());
            assertTrue(total < 200, "spooling an event took " + total + " µs");
        }
    }

    private static List<UsageSpool.Entry> readAll(UsageSpool spool, long from) throws IOException {
        List<UsageSpool.Entry> all = new ArrayList<>();
        long at = from;
        while (true) {
            List<UsageSpool.Entry> batch = spool.read(at, 7);
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
            at = batch.get(batch.size() - 1).next();
        }
    }

    private static String event(int i) {
        return "{\"request_id\":\"req-" + i + "\",\"input_tokens\":" + (i * 7) + "}";
    }
}
