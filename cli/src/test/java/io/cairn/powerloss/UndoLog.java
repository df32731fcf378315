package io.cairn.powerloss;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * What one file looked like at its last fsync, kept as an undo log: the file's length then, and
 * the old bytes of every 4 KiB block changed since, saved just before the first write or
 * truncation that changes the block. {@link #undo} puts the saved bytes back and cuts the file to
 * that length, so the file holds exactly what it held at its last fsync (a file created since
 * comes back empty). {@link #synced} forgets the log: everything written so far is durable.
 *
 * <p>The log keeps its own channel to the file, so a rename or an unlink of a name does not lose
 * it. Thread-safe: every method holds the log's lock, so a block's old bytes are saved before any
 * write to it lands, whatever the number of writers.
 */
final class UndoLog implements AutoCloseable {
    static final int BLOCK = 4096;

    private final FileChannel file;
    private final Map<Long, byte[]> saved = new HashMap<>();
    private long syncedLength;

    private UndoLog(FileChannel file) throws IOException {
        this.file = file;
        this.syncedLength = file.size();
    }

    /** Starts the log of a file as it is now (its state at its "last fsync"). */
    static UndoLog open(Path path) throws IOException {
        return new UndoLog(FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    /** Call before writing {@code length} bytes at {@code offset}. */
    synchronized void beforeWrite(long offset, long length) throws IOException {
        if (length <= 0) {
            return;
        }
        save(offset, offset + length);
    }

    /** Call before cutting or extending the file to {@code newLength}. */
    synchronized void beforeTruncate(long newLength) throws IOException {
        save(newLength, Math.max(newLength, file.size()));
    }

    /** Saves the blocks holding bytes in [from, to) that existed at the last fsync, once each. */
    private void save(long from, long to) throws IOException {
        long end = Math.min(to, syncedLength);
        for (long block = from / BLOCK; block * BLOCK < end; block++) {
            if (!saved.containsKey(block)) {
                saved.put(block, read(block * BLOCK, (int) (Math.min((block + 1) * BLOCK, syncedLength) - block * BLOCK)));
            }
        }
    }

    private byte[] read(long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining() && file.read(b, at + b.position()) >= 0) {
            // a short read: go on from where it stopped
        }
        return b.array();  // unsaved blocks are unchanged, so the whole range is there
    }

    /** The file was fsynced (or fdatasynced): everything written to it is durable now. */
    synchronized void synced() throws IOException {
        saved.clear();
        syncedLength = file.size();
    }

    /** True when the file changed since its last fsync. */
    synchronized boolean dirty() throws IOException {
        return !saved.isEmpty() || file.size() != syncedLength;
    }

    /** The power cut: the file goes back to what it held at its last fsync. */
    synchronized void undo() throws IOException {
        for (Map.Entry<Long, byte[]> e : saved.entrySet()) {
            ByteBuffer b = ByteBuffer.wrap(e.getValue());
            while (b.hasRemaining()) {
                file.write(b, e.getKey() * BLOCK + b.position());
            }
        }
        file.truncate(syncedLength);
        saved.clear();
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}
