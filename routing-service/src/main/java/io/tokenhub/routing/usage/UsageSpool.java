package io.tokenhub.routing.usage;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only log of usage events on local disk, so that an answered request's bill survives a Kafka outage and a
 * SIGKILL of this process: the event is written here before the client gets the last byte, and one sender reads it
 * back, publishes it and {@link #acknowledge acknowledges} it once Kafka has. A plain {@code write} lands in the OS
 * page cache, which outlives the process; {@code force} is optional ({@link #sync}) for power loss.
 *
 * <p>Positions are byte offsets in one endless stream cut into segment files named after their first position
 * ({@code 00000000000000001234.seg}). A record is {@code [length][crc32c][key length][key][value]}; a crash can tear
 * only the record being written at the end of the newest segment, which {@link #open} cuts off. Reopening always starts
 * a new segment, so a closed segment never changes. The checkpoint file holds the position up to which Kafka has
 * acknowledged; it is replaced atomically, at most twice a second while events flow, and one that is missing or older
 * only means events are sent again, which billing absorbs (one ledger line per request id).
 *
 * <p>Appends come from any event loop and are serialised by a lock held for one {@code write}; reading,
 * acknowledging and syncing belong to the one sender thread.
 */
public final class UsageSpool implements AutoCloseable {

    /** Length and checksum before each record. */
    private static final int HEADER = 8;
    /** Larger than any usage event can be; a larger length is a torn or foreign record. */
    private static final int MAX_RECORD = 1 << 20;

    /**
     * How often the checkpoint file is rewritten while Kafka acknowledges: a rewrite is a file written and renamed,
     * which once per batch cost routing-service 3 % of its CPU. A file older than the acknowledgements only means the
     * events after it are sent again after a crash, which billing absorbs.
     */
    private static final long CHECKPOINT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private static final String SUFFIX = ".seg";
    private static final String CHECKPOINT = "checkpoint";

    /** One record read back: its Kafka key and value, and the position right after it. */
    public record Entry(String key, String value, long next) {}

    /** What is written and not yet acknowledged by Kafka. */
    public record Backlog(long events, long bytes) {}

    private final Path dir;
    private final long segmentBytes;
    private final boolean forceEachAppend;
    private final NavigableMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final Object writeLock = new Object();
    private final AtomicLong appendedEvents = new AtomicLong();
    private final AtomicLong acknowledgedEvents = new AtomicLong();
    private FileChannel out;
    private long outBase;
    private volatile long end;
    private volatile long checkpoint;
    private long checkpointWritten;
    private long checkpointWrittenAt = System.nanoTime() - CHECKPOINT_EVERY_NANOS;
    private volatile boolean dirty;
    private long readBase = -1;
    private FileChannel in;

    private UsageSpool(Path dir, long segmentBytes, boolean forceEachAppend) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.forceEachAppend = forceEachAppend;
    }

    /**
     * Opens the spool in {@code dir} (created when missing): reads the checkpoint, deletes segments wholly before it,
     * checks every record after it and cuts a torn last record off, then starts a new segment for appends.
     */
    public static UsageSpool open(Path dir, long segmentBytes, boolean forceEachAppend) throws IOException {
        UsageSpool spool = new UsageSpool(dir, segmentBytes, forceEachAppend);
        spool.recover();
        return spool;
    }

    private void recover() throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).forEach(f -> segments.put(base(f), f));
        }
        long first = segments.isEmpty() ? 0 : segments.firstKey();
        checkpoint = Math.max(first, readCheckpoint());
        checkpointWritten = checkpoint;
        long position = checkpoint;
        long pending = 0;
        for (Map.Entry<Long, Path> segment : new ArrayList<>(segments.entrySet())) {
            Long next = segments.higherKey(segment.getKey());
            if (next != null && next <= checkpoint) {
                Files.deleteIfExists(segment.getValue());
                segments.remove(segment.getKey());
                continue;
            }
            long from = Math.max(segment.getKey(), checkpoint);
            try (FileChannel channel = FileChannel.open(segment.getValue(), StandardOpenOption.READ)) {
                long at = from;
                Entry entry;
                while ((entry = readRecord(channel, segment.getKey(), at, Long.MAX_VALUE)) != null) {
                    at = entry.next();
                    pending++;
                }
                long valid = at - segment.getKey();
                if (channel.size() > valid) {
                    if (next == null) {
                        Log.warnf(
                                "usage spool: cutting %d bytes of a torn record off %s",
                                channel.size() - valid, segment.getValue());
                        try (FileChannel cut = FileChannel.open(segment.getValue(), StandardOpenOption.WRITE)) {
                            cut.truncate(valid);
                        }
                    } else {
                        // Only the record being written at a crash can be torn, and that one is in the newest segment.
                        Log.errorf(
                                "usage spool: %s is damaged after %d bytes; the rest of it cannot be sent",
                                segment.getValue(), valid);
                    }
                }
                position = next == null ? at : next;
            }
        }
        end = Math.max(position, checkpoint);
        appendedEvents.set(pending);
        Path last = segments.isEmpty() ? null : segments.lastEntry().getValue();
        if (last != null && segments.lastKey() == end) {
            // An empty newest segment sits exactly where the new one would start.
            Files.delete(last);
            segments.remove(end);
        }
        startSegment(end);
        if (pending > 0) {
            Log.infof("usage spool: %d events (%d bytes) from before the restart to send", pending, end - checkpoint);
        }
    }

    /**
     * Appends one event. Returns once the record is in the page cache (and on disk when forcing each append), so the
     * caller may then hand the answer to the client.
     */
    public void append(String key, String value) throws IOException {
        append(key, value, null);
    }

    /**
     * Appends one event like {@link #append(String, String)}; {@code written}, when given, gets the position right
     * after the record (what {@link Entry#next()} will say) while the write lock is held, before a reader can see the
     * record, so what the caller keeps by position is there when the sender reads it.
     */
    public void append(String key, String value, LongConsumer written) throws IOException {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
        int length = 2 + keyBytes.length + valueBytes.length;
        if (length > MAX_RECORD || keyBytes.length > Short.MAX_VALUE) {
            throw new IOException("usage event of " + length + " bytes is too large to spool");
        }
        ByteBuffer record = ByteBuffer.allocate(HEADER + length);
        record.putInt(length)
                .putInt(0)
                .putShort((short) keyBytes.length)
                .put(keyBytes)
                .put(valueBytes);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), HEADER, length);
        record.putInt(4, (int) crc.getValue());
        record.flip();
        synchronized (writeLock) {
            long size = end - outBase;
            if (size > 0 && size + record.remaining() > segmentBytes) {
                roll();
            }
            while (record.hasRemaining()) {
                out.write(record);
            }
            if (forceEachAppend) {
                out.force(false);
            }
            dirty = true;
            appendedEvents.incrementAndGet();
            if (written != null) {
                written.accept(end + HEADER + length);
            }
            end += HEADER + length;
        }
    }

    private void roll() throws IOException {
        out.force(false);
        out.close();
        startSegment(end);
    }

    private void startSegment(long base) throws IOException {
        Path file = dir.resolve(String.format("%020d%s", base, SUFFIX));
        out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        outBase = base;
        segments.put(base, file);
    }

    /** Up to {@code max} records from {@code from} on, as far as they are written; empty when there are none yet. */
    public List<Entry> read(long from, int max) throws IOException {
        List<Entry> entries = new ArrayList<>();
        long at = from;
        long limit = end;
        while (entries.size() < max && at < limit) {
            Map.Entry<Long, Path> segment = segments.floorEntry(at);
            if (segment == null) {
                break;
            }
            Long next = segments.higherKey(segment.getKey());
            long segmentEnd = next == null ? limit : next;
            FileChannel channel = reader(segment.getKey(), segment.getValue());
            Entry entry = readRecord(channel, segment.getKey(), at, segmentEnd);
            if (entry == null) {
                if (next == null) {
                    break;
                }
                // A damaged closed segment (logged at open): what follows the damage cannot be found again.
                at = next;
                continue;
            }
            entries.add(entry);
            at = entry.next();
        }
        return entries;
    }

    private FileChannel reader(long base, Path file) throws IOException {
        if (readBase != base || in == null) {
            if (in != null) {
                in.close();
            }
            in = FileChannel.open(file, StandardOpenOption.READ);
            readBase = base;
        }
        return in;
    }

    /** The record at {@code position}, or null when none is whole and valid before {@code limit}. */
    private static Entry readRecord(FileChannel channel, long base, long position, long limit) throws IOException {
        long offset = position - base;
        if (position + HEADER > limit) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        if (!readFully(channel, header, offset)) {
            return null;
        }
        int length = header.getInt(0);
        if (length < 2 || length > MAX_RECORD || position + HEADER + length > limit) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        if (!readFully(channel, body, offset + HEADER)) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(body.array(), 0, length);
        if ((int) crc.getValue() != header.getInt(4)) {
            return null;
        }
        int keyLength = body.getShort(0);
        if (keyLength < 0 || 2 + keyLength > length) {
            return null;
        }
        String key = new String(body.array(), 2, keyLength, StandardCharsets.UTF_8);
        String value = new String(body.array(), 2 + keyLength, length - 2 - keyLength, StandardCharsets.UTF_8);
        return new Entry(key, value, position + HEADER + length);
    }

    private static boolean readFully(FileChannel channel, ByteBuffer buffer, long offset) throws IOException {
        long at = offset;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                return false;
            }
            at += n;
        }
        return true;
    }

    /**
     * Records that Kafka acknowledged everything before {@code position} ({@code events} records since the last
     * call) and deletes segments wholly before it. The checkpoint file follows at most every
     * {@link #CHECKPOINT_EVERY_NANOS} while events flow, and at once through {@link #flushCheckpoint} when they stop.
     */
    public void acknowledge(long position, long events) throws IOException {
        checkpoint = position;
        acknowledgedEvents.addAndGet(events);
        if (System.nanoTime() - checkpointWrittenAt >= CHECKPOINT_EVERY_NANOS) {
            flushCheckpoint();
        }
        while (segments.size() > 1) {
            Map.Entry<Long, Path> oldest = segments.firstEntry();
            Long next = segments.higherKey(oldest.getKey());
            if (next == null || next > position) {
                break;
            }
            if (readBase == oldest.getKey() && in != null) {
                in.close();
                in = null;
            }
            Files.deleteIfExists(oldest.getValue());
            segments.remove(oldest.getKey());
        }
    }

    /** Replaces the checkpoint file atomically with the position acknowledged last, unless it holds that already. */
    public synchronized void flushCheckpoint() throws IOException {
        long position = checkpoint;
        if (position == checkpointWritten) {
            return;
        }
        Path tmp = dir.resolve(CHECKPOINT + ".tmp");
        Files.writeString(tmp, Long.toString(position));
        Files.move(tmp, dir.resolve(CHECKPOINT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        checkpointWritten = position;
        checkpointWrittenAt = System.nanoTime();
    }

    /** Forces what was appended since the last call to disk; for the periodic fsync policy. */
    public void sync() throws IOException {
        if (!dirty) {
            return;
        }
        dirty = false;
        FileChannel channel;
        synchronized (writeLock) {
            channel = out;
        }
        try {
            channel.force(false);
        } catch (ClosedChannelException e) {
            // Rolled meanwhile, and a roll forces the segment it closes.
        }
    }

    /** The position up to which Kafka has acknowledged; where a restarted sender begins. */
    public long checkpoint() {
        return checkpoint;
    }

    /** The position after the last whole record written. */
    public long end() {
        return end;
    }

    /** Bytes written and not yet acknowledged: what the disk bound is measured against, without allocating. */
    public long pendingBytes() {
        return Math.max(0, end - checkpoint);
    }

    public Backlog backlog() {
        return new Backlog(Math.max(0, appendedEvents.get() - acknowledgedEvents.get()), Math.max(0, end - checkpoint));
    }

    /** The segment files, oldest first; for tests and diagnostics. */
    public List<Path> segmentFiles() {
        return List.copyOf(segments.values());
    }

    private long readCheckpoint() {
        try {
            return Long.parseLong(Files.readString(dir.resolve(CHECKPOINT)).trim());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            // Sending everything again is safe: billing keeps one line per request id.
            Log.warnf("usage spool: unreadable checkpoint, sending every spooled event again: %s", e.toString());
            return 0;
        }
    }

    private static long base(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }

    @Override
    public void close() throws IOException {
        flushCheckpoint();
        synchronized (writeLock) {
            out.force(false);
            out.close();
        }
        if (in != null) {
            in.close();
        }
    }
}
