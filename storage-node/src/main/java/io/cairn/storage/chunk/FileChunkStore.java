package io.cairn.storage.chunk;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import io.cairn.common.CairnException;
import io.cairn.common.ChecksumMismatchException;
import io.cairn.common.Crc32c;
import io.cairn.common.DurableFiles;
import io.cairn.common.ErrorCode;
import io.cairn.common.SparseFiles;
import io.cairn.common.StaleEpochException;
import io.cairn.common.brick.BrickLayout;
import io.cairn.common.brick.ReplicaHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A {@link ChunkStore} of one brick as plain files ({@link BrickLayout}): one data file and one
 * meta file ({@link ReplicaHeader}) per replica. A write puts the bytes first, then the block
 * checksums, then the header, so a crash in between leaves checksums that do not match, which
 * the next read or scrub detects; the replica is then marked suspect and never served.
 */
public final class FileChunkStore implements ChunkStore {
    private static final int STRIPES = 256;

    private final BrickLayout layout;
    private final boolean syncEveryWrite;
    private final Object[] locks = new Object[STRIPES];
    private volatile LongConsumer changes = id -> { };
    /** Replicas created since their shard directory was last synced: their names are not yet durable. */
    private final java.util.Set<Long> newNames = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Replicas changed since their last sync: what {@link #syncDirty} forces to disk. */
    private final java.util.Set<Long> dirty = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Runnable full = () -> { };
    /** Replicas' files kept open between writes and reads, two per lock stripe. */
    private final OpenReplicas open = new OpenReplicas(STRIPES, 2);

    private FileChunkStore(BrickLayout layout, boolean syncEveryWrite) {
        this.layout = layout;
        this.syncEveryWrite = syncEveryWrite;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** Opens the store of a brick directory, which must exist and be writable. */
    public static FileChunkStore open(Path brick, boolean syncEveryWrite) throws CairnException {
        BrickLayout layout = new BrickLayout(brick);
        if (!Files.isDirectory(brick)) {
            throw new CairnException(ErrorCode.NOT_FOUND, "brick directory " + brick + " does not exist; create it first");
        }
        if (!Files.isWritable(brick)) {
            throw new CairnException(ErrorCode.PERMISSION_DENIED, "brick directory " + brick
                    + " is not writable by this storage node; fix its owner or mode");
        }
        try {
            DurableFiles.createDirectories(layout.chunksDir());
            DurableFiles.createDirectories(layout.tmpDir());
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(layout.tmpDir())) {
                for (Path p : leftovers) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw io(brick, "cannot prepare brick " + brick, e);
        }
        return new FileChunkStore(layout, syncEveryWrite);
    }

    /**
     * Called with a chunk id after its replica was created, deleted, moved to a new epoch or
     * found corrupt: what the node's incremental replica report carries.
     */
    public void onChange(LongConsumer listener) {
        this.changes = listener;
    }

    /**
     * Called when an operation failed because the brick's file system is full, so the node tells
     * the meta leader at once rather than at its next heartbeat. Called on the failing thread;
     * it must not block.
     */
    public void onFull(Runnable listener) {
        this.full = listener;
    }

    public BrickLayout layout() {
        return layout;
    }

    private Object lock(long chunkId) {
        return locks[stripe(chunkId)];
    }

    private static int stripe(long chunkId) {
        return (int) (chunkId & (STRIPES - 1));
    }

    /** Closes the replica's kept files before something other than write, read or sync changes them. */
    private void forget(long chunkId) {
        open.drop(stripe(chunkId), chunkId);
    }

    /** The replica's files, open (kept from an earlier call or opened now); the caller holds its lock. */
    private OpenReplicas.Open opened(long chunkId) throws CairnException {
        OpenReplicas.Open o = open.get(stripe(chunkId), chunkId);
        if (o != null) {
            return o;
        }
        ReplicaHeader h = existing(chunkId);
        FileChannel data = null;
        try {
            data = FileChannel.open(layout.dataFile(chunkId), READ, WRITE);
            o = new OpenReplicas.Open(data, FileChannel.open(layout.metaFile(chunkId), READ, WRITE), h);
        } catch (IOException e) {
            if (data != null) {
                try {
                    data.close();
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
            }
            throw failure("cannot open the replica of chunk " + Long.toHexString(chunkId), e);
        }
        open.put(stripe(chunkId), chunkId, o);
        return o;
    }

    @Override
    public ReplicaInfo create(long chunkId, long epoch, long chunkSize, long inode, long index) throws CairnException {
        if (chunkSize <= 0 || chunkSize % Crc32c.BLOCK_SIZE != 0 || epoch < 1) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "invalid replica: chunk size " + chunkSize + " must be a multiple of 64 KiB, epoch " + epoch + " positive");
        }
        synchronized (lock(chunkId)) {
            forget(chunkId);
            Path meta = layout.metaFile(chunkId);
            if (Files.exists(meta)) {
                throw new CairnException(ErrorCode.ALREADY_EXISTS, "chunk " + Long.toHexString(chunkId) + " already has a replica here");
            }
            ReplicaHeader h = new ReplicaHeader(chunkId, epoch, 0, chunkSize, 0, inode, index);
            try {
                DurableFiles.createDirectories(layout.shard(chunkId));
                Files.deleteIfExists(layout.dataFile(chunkId));
                Files.createFile(layout.dataFile(chunkId));
                // The meta file appears whole or not at all: built in tmp/, then renamed.
                Path tmp = layout.tmpDir().resolve(Long.toHexString(chunkId) + ".meta");
                try (FileChannel ch = FileChannel.open(tmp, CREATE_NEW, WRITE)) {
                    ReplicaIo.writeFully(ch, h.encode(), 0);
                    ch.truncate(ReplicaHeader.crcOffset(h.blockCount()));
                    if (syncEveryWrite) {
                        ch.force(true);
                    }
                }
                Files.move(tmp, meta, StandardCopyOption.ATOMIC_MOVE);
                if (syncEveryWrite) {
                    DurableFiles.syncDirectory(layout.shard(chunkId));
                } else {
                    newNames.add(chunkId);
                    dirty.add(chunkId);
                }
            } catch (IOException e) {
                throw failure("cannot create a replica of chunk " + Long.toHexString(chunkId), e);
            }
            changes.accept(chunkId);
            return info(h);
        }
    }

    @Override
    public Optional<ReplicaInfo> info(long chunkId) throws CairnException {
        synchronized (lock(chunkId)) {
            return Optional.ofNullable(header(chunkId)).map(FileChunkStore::info);
        }
    }

    @Override
    public ReplicaInfo write(long chunkId, long epoch, long offset, ByteBuffer data, int[] crcs) throws CairnException {
        int length = data.remaining();
        ReplicaIo.checkPieces(chunkId, offset, data, crcs);
        synchronized (lock(chunkId)) {
            OpenReplicas.Open o = opened(chunkId);
            ReplicaHeader h = checked(chunkId, o.header, epoch, true);
            if (offset < 0 || offset > h.chunkSize() - length) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "write of " + length + " bytes at offset " + offset
                        + " is outside chunk " + Long.toHexString(chunkId) + " of size " + h.chunkSize());
            }
            if (length == 0) {
                return info(h);
            }
            long newLength = Math.max(h.length(), offset + length);
            try {
                FileChannel dataCh = o.data;
                FileChannel metaCh = o.meta;
                if (dataCh.size() > h.length()) {
                    // Bytes past the length are left over from a truncate or a torn write: a gap
                    // this write opens must read as zeros, so cut them off first.
                    dataCh.truncate(h.length());
                }
                ReplicaIo.writeFully(dataCh, data.duplicate(), offset);
                long firstBlock = Math.min(offset, h.length()) / Crc32c.BLOCK_SIZE;
                long lastBlock = (offset + length - 1) / Crc32c.BLOCK_SIZE;
                ByteBuffer sums = ByteBuffer.allocate((int) (lastBlock - firstBlock + 1) * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (long b = firstBlock; b <= lastBlock; b++) {
                    sums.putInt(ReplicaIo.blockCrc(dataCh, b, h.length(), newLength, offset, length, crcs));
                }
                sums.flip();
                ReplicaIo.writeFully(metaCh, sums, ReplicaHeader.crcOffset((int) firstBlock));
                ReplicaHeader next = h.withLength(newLength).withFlags(h.flags() & ~ReplicaHeader.FLAG_TRIMMED);
                if (!next.equals(h)) {
                    ReplicaIo.writeFully(metaCh, next.encode(), 0);
                    o.header = next;
                }
                if (syncEveryWrite) {
                    dataCh.force(false);
                    metaCh.force(false);
                } else {
                    dirty.add(chunkId);
                }
                return info(next);
            } catch (IOException e) {
                forget(chunkId);  // the header kept may not be what the file holds now
                throw failure("write to chunk " + Long.toHexString(chunkId) + " failed", e);
            }
        }
    }

    @Override
    public ByteBuffer read(long chunkId, long epoch, long offset, int length) throws CairnException {
        if (offset < 0 || length < 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid read: offset " + offset + ", length " + length);
        }
        synchronized (lock(chunkId)) {
            OpenReplicas.Open o = opened(chunkId);
            ReplicaHeader h = checked(chunkId, o.header, epoch, false);
            long end = Math.min(offset + length, h.length());
            if (offset >= end) {
                return ByteBuffer.allocate(0);
            }
            long first = offset / Crc32c.BLOCK_SIZE;
            long last = (end - 1) / Crc32c.BLOCK_SIZE;
            ByteBuffer out = ByteBuffer.allocate((int) (end - offset));
            try {
                int[] stored = ReplicaIo.readCrcs(o.meta, first, last);
                for (long b = first; b <= last; b++) {
                    long start = b * Crc32c.BLOCK_SIZE;
                    int len = (int) (Math.min(start + Crc32c.BLOCK_SIZE, h.length()) - start);
                    ByteBuffer block = ReplicaIo.readBlock(o.data, start, len);
                    if (Crc32c.of(block) != stored[(int) (b - first)]) {
                        ReplicaIo.markSuspect(o.meta, h);
                        forget(chunkId);
                        changes.accept(chunkId);
                        throw new ChecksumMismatchException(chunkId, start, "the replica on this brick is corrupt;"
                                + " it is marked for repair and another replica must serve the read");
                    }
                    long from = Math.max(start, offset);
                    long to = Math.min(start + len, end);
                    block.position((int) (from - start)).limit((int) (to - start));
                    out.put(block);
                }
            } catch (IOException e) {
                forget(chunkId);
                throw failure("read of chunk " + Long.toHexString(chunkId) + " failed", e);
            }
            return out.flip();
        }
    }

    @Override
    public ReplicaInfo zero(long chunkId, long epoch, long offset, long length) throws CairnException {
        synchronized (lock(chunkId)) {
            OpenReplicas.Open o = opened(chunkId);
            ReplicaHeader h = checked(chunkId, o.header, epoch, true);
            if (offset < 0 || length < 0 || offset > h.chunkSize() - length) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "zeroing " + length + " bytes at offset " + offset
                        + " is outside chunk " + Long.toHexString(chunkId) + " of size " + h.chunkSize());
            }
            long end = Math.min(offset + length, h.length());
            if (offset >= end) {
                return info(h);
            }
            try {
                // A crash in the middle would leave blocks whose checksums disagree with their bytes,
                // which the check after a crash cuts off with everything after them: the range is
                // written down first, and that check zeroes it again instead.
                DurableFiles.write(layout.zeroingFile(chunkId), offset + " " + end);
                ReplicaZeroing.zero(layout.dataFile(chunkId), o.data, o.meta, h, offset, end);
                Files.deleteIfExists(layout.zeroingFile(chunkId));
                return info(h);
            } catch (IOException e) {
                forget(chunkId);
                throw failure("zeroing a range of chunk " + Long.toHexString(chunkId) + " failed", e);
            }
        }
    }

    @Override
    public List<SparseFiles.Range> dataRanges(long chunkId, long epoch) throws CairnException {
        synchronized (lock(chunkId)) {
            ReplicaHeader h = checked(chunkId, opened(chunkId).header, epoch, false);
            try {
                return SparseFiles.dataRanges(layout.dataFile(chunkId), 0, h.length());
            } catch (IOException e) {
                throw failure("finding the data of chunk " + Long.toHexString(chunkId) + " failed", e);
            }
        }
    }

    @Override
    public ReplicaInfo truncate(long chunkId, long epoch, long length) throws CairnException {
        synchronized (lock(chunkId)) {
            forget(chunkId);
            ReplicaHeader h = current(chunkId, epoch, true);
            if (length < 0 || length > h.length()) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "cannot truncate chunk " + Long.toHexString(chunkId)
                        + " of length " + h.length() + " to " + length + ": a replica only gets shorter");
            }
            try (FileChannel dataCh = FileChannel.open(layout.dataFile(chunkId), READ, WRITE);
                 FileChannel metaCh = FileChannel.open(layout.metaFile(chunkId), READ, WRITE)) {
                dataCh.truncate(length);
                if (length % Crc32c.BLOCK_SIZE != 0) {
                    long b = length / Crc32c.BLOCK_SIZE;
                    ByteBuffer block = ReplicaIo.readBlock(dataCh, b * Crc32c.BLOCK_SIZE, (int) (length % Crc32c.BLOCK_SIZE));
                    ByteBuffer sum = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, Crc32c.of(block));
                    ReplicaIo.writeFully(metaCh, sum, ReplicaHeader.crcOffset((int) b));
                }
                ReplicaHeader next = h.withLength(length);
                ReplicaIo.writeFully(metaCh, next.encode(), 0);
                if (syncEveryWrite) {
                    dataCh.force(false);
                    metaCh.force(false);
                } else {
                    dirty.add(chunkId);
                }
                return info(next);
            } catch (IOException e) {
                throw failure("truncate of chunk " + Long.toHexString(chunkId) + " failed", e);
            }
        }
    }

    @Override
    public ReplicaInfo setEpoch(long chunkId, long epoch) throws CairnException {
        synchronized (lock(chunkId)) {
            forget(chunkId);
            ReplicaHeader h = existing(chunkId);
            if (epoch < h.epoch()) {
                throw new StaleEpochException("chunk " + Long.toHexString(chunkId) + " is at epoch " + h.epoch()
                        + " here; it cannot go back to " + epoch, h.epoch());
            }
            ReplicaHeader next = h.withEpoch(epoch);
            writeHeader(chunkId, next);
            if (epoch != h.epoch()) {
                changes.accept(chunkId);
            }
            return info(next);
        }
    }

    @Override
    public void sync(long chunkId) throws CairnException {
        synchronized (lock(chunkId)) {
            OpenReplicas.Open o = opened(chunkId);
            try {
                o.data.force(false);  // fdatasync: the data and the file's size, not its times
                o.meta.force(false);
                dirty.remove(chunkId);
                if (newNames.remove(chunkId)) {
                    // A new replica's files are durable only once their names are.
                    DurableFiles.syncDirectory(layout.shard(chunkId));
                }
            } catch (IOException e) {
                forget(chunkId);
                throw failure("sync of chunk " + Long.toHexString(chunkId) + " failed", e);
            }
        }
    }

    @Override
    public int syncDirty() throws CairnException {
        int n = 0;
        for (long chunkId : List.copyOf(dirty)) {
            try {
                sync(chunkId);
                n++;
            } catch (CairnException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
                dirty.remove(chunkId);  // deleted meanwhile
            }
        }
        return n;
    }

    @Override
    public Optional<ReplicaInfo> trimToIntactPrefix(long chunkId) throws CairnException {
        synchronized (lock(chunkId)) {
            forget(chunkId);
            ReplicaHeader h = header(chunkId);
            if (h == null || h.suspect() || h.length() == 0) {
                return Optional.empty();  // nothing, torn (reported as such), or nothing to check
            }
            try (FileChannel dataCh = FileChannel.open(layout.dataFile(chunkId), READ, WRITE);
                 FileChannel metaCh = FileChannel.open(layout.metaFile(chunkId), READ, WRITE)) {
                ReplicaZeroing.redo(layout.zeroingFile(chunkId), layout.dataFile(chunkId), dataCh, metaCh, h);
                long intact = ReplicaIo.intactPrefix(dataCh, metaCh, h);
                if (intact == h.length()) {
                    return Optional.empty();
                }
                dataCh.truncate(intact);
                ReplicaHeader next = h.withLength(intact).withFlags(h.flags() | ReplicaHeader.FLAG_TRIMMED);
                ReplicaIo.writeFully(metaCh, next.encode(), 0);
                dataCh.force(true);
                metaCh.force(true);
                changes.accept(chunkId);
                return Optional.of(info(next));
            } catch (IOException e) {
                throw failure("check of chunk " + Long.toHexString(chunkId) + " after a crash failed", e);
            }
        }
    }

    @Override
    public void delete(long chunkId) throws CairnException {
        synchronized (lock(chunkId)) {
            forget(chunkId);
            try {
                // The meta file goes first: without it the data file is not a replica.
                Files.deleteIfExists(layout.metaFile(chunkId));
                Files.deleteIfExists(layout.dataFile(chunkId));
                Files.deleteIfExists(layout.zeroingFile(chunkId));
                newNames.remove(chunkId);
                dirty.remove(chunkId);
                changes.accept(chunkId);
            } catch (IOException e) {
                throw failure("delete of chunk " + Long.toHexString(chunkId) + " failed", e);
            }
        }
    }

    @Override
    public boolean verify(long chunkId) throws CairnException {
        synchronized (lock(chunkId)) {
            forget(chunkId);
            ReplicaHeader h = existing(chunkId);
            if (h.suspect()) {
                return false;
            }
            if (h.length() == 0) {
                return true;
            }
            try (FileChannel dataCh = FileChannel.open(layout.dataFile(chunkId), READ);
                 FileChannel metaCh = FileChannel.open(layout.metaFile(chunkId), READ, WRITE)) {
                if (ReplicaIo.intactPrefix(dataCh, metaCh, h) < h.length()) {
                    ReplicaIo.markSuspect(metaCh, h);
                    changes.accept(chunkId);
                    return false;
                }
                return true;
            } catch (IOException e) {
                throw failure("verify of chunk " + Long.toHexString(chunkId) + " failed", e);
            }
        }
    }

    @Override
    public List<ReplicaInfo> list() throws CairnException {
        List<ReplicaInfo> out = new ArrayList<>();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(layout.chunksDir())) {
            for (Path shard : shards) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard, "*.meta")) {
                    for (Path f : files) {
                        long id = BrickLayout.chunkIdOf(f.getFileName().toString());
                        if (id != -1) {
                            info(id).ifPresent(out::add);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw failure("cannot list replicas of brick " + layout.root(), e);
        }
        return out;
    }

    /** Closes the replicas' files kept open; a later call opens what it needs again. */
    @Override
    public void close() {
        for (int i = 0; i < STRIPES; i++) {
            synchronized (locks[i]) {
                open.clear(i);
            }
        }
    }

    /**
     * The replica's header, checked against the caller's epoch: an older epoch is a fenced
     * writer or a reader with a stale placement, a newer one means this replica missed a
     * placement change and must be repaired before it takes part again.
     */
    private ReplicaHeader current(long chunkId, long epoch, boolean forWrite) throws CairnException {
        return checked(chunkId, existing(chunkId), epoch, forWrite);
    }

    private static ReplicaHeader checked(long chunkId, ReplicaHeader h, long epoch, boolean forWrite) throws CairnException {
        if (h.suspect()) {
            throw new CairnException(ErrorCode.IO_ERROR, "the replica of chunk " + Long.toHexString(chunkId)
                    + " on this brick failed a checksum and awaits repair");
        }
        if (epoch != h.epoch()) {
            String who = forWrite ? "writer" : "reader";
            throw new StaleEpochException("chunk " + Long.toHexString(chunkId) + " is at epoch " + h.epoch()
                    + " on this brick, the " + who + " is at epoch " + epoch, h.epoch());
        }
        return h;
    }

    private ReplicaHeader existing(long chunkId) throws CairnException {
        ReplicaHeader h = header(chunkId);
        if (h == null) {
            throw new CairnException(ErrorCode.NOT_FOUND, "chunk " + Long.toHexString(chunkId) + " has no replica on this brick");
        }
        return h;
    }

    /** The header, or null if there is no replica; a torn or corrupt header reads as a suspect replica at epoch 0. */
    private ReplicaHeader header(long chunkId) throws CairnException {
        try (FileChannel ch = FileChannel.open(layout.metaFile(chunkId), READ)) {
            ByteBuffer raw = ByteBuffer.allocate(ReplicaHeader.HEADER_BYTES);
            while (raw.hasRemaining() && ch.read(raw, raw.position()) > 0) {
                // keep reading
            }
            ReplicaHeader h = ReplicaHeader.decode(raw.flip());
            return h != null ? h : new ReplicaHeader(chunkId, 0, 0, Crc32c.BLOCK_SIZE, ReplicaHeader.FLAG_SUSPECT, 0, 0);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure("cannot read the header of chunk " + Long.toHexString(chunkId), e);
        }
    }

    private void writeHeader(long chunkId, ReplicaHeader h) throws CairnException {
        try (FileChannel ch = FileChannel.open(layout.metaFile(chunkId), READ, WRITE)) {
            ReplicaIo.writeFully(ch, h.encode(), 0);
            if (syncEveryWrite) {
                ch.force(false);
            } else {
                dirty.add(chunkId);
            }
        } catch (IOException e) {
            throw failure("cannot write the header of chunk " + Long.toHexString(chunkId), e);
        }
    }

 

 

 
    private static ReplicaInfo info(ReplicaHeader h) {
        return new ReplicaInfo(h.chunkId(), h.epoch(), h.length(), h.suspect(), h.inode(), h.index(), h.trimmed());
    }

    /** As {@link #io}, for this brick; a full file system is also told to the {@link #onFull} listener. */
    private CairnException failure(String what, IOException e) {
        CairnException c = io(layout.root(), what, e);
        if (c.code() == ErrorCode.NO_SPACE && c != e) {
            full.run();
        }
        return c;
    }

    /**
     * An I/O failure as IO_ERROR, or as NO_SPACE naming the brick when its file system is full;
     * a CairnException (itself an IOException) passes through as it is.
     */
    private static CairnException io(Path brick, String what, IOException e) {
        if (e instanceof CairnException ce) {
            return ce;
        }
        if (DiskErrors.isNoSpace(e)) {
            return new CairnException(ErrorCode.NO_SPACE, DiskErrors.fullMessage(brick, what, e), e);
        }
        return new CairnException(ErrorCode.IO_ERROR, what + ": " + e, e);
    }
}
