package io.cairn.client.fs;

import io.cairn.common.CairnException;
import io.cairn.common.DaemonThreads;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data operations of open descriptors, each under its file's lock: read, write, the commits
 * of close, fsync and fdatasync, and the commit of a held length the meta leader recalls.
 */
final class FileData implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileData.class);
    private static final Credentials ROOT = Credentials.getDefaultInstance();
    private static final int O_APPEND = 02000;

    private final FileIo io;
    private final BooleanSupplier leaseUsable;
    /** Commits of held file lengths the leader recalled, one at a time, off the session stream. */
    private final ExecutorService recalls = Executors.newSingleThreadExecutor(DaemonThreads.named("cairn-length-recall"));

    /**
     * @param io          the data path; every commit it makes tells the attribute cache itself
     * @param leaseUsable whether this client's session can be recalled now (a file length may be held)
     */
    FileData(FileIo io, BooleanSupplier leaseUsable) {
        this.io = io;
        this.leaseUsable = leaseUsable;
    }

    int read(OpenFiles.Handle h, long offset, byte[] dst, int len) throws CairnException {
        return locked(h.file(), f -> io.read(f, h.cred(), offset, dst, len));
    }

    /** Writes at {@code offset}, or at the end of the file as this client knows it on an O_APPEND handle. */
    void write(OpenFiles.Handle h, long offset, byte[] src, int srcOffset, int len) throws CairnException {
        if (!h.writable()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "the file was opened read-only");
        }
        locked(h.file(), f -> {
            io.write(f, h.cred(), (h.flags() & O_APPEND) != 0 ? f.size : offset, src, srcOffset, len);
            return null;
        });
    }

    /**
     * fallocate's PUNCH_HOLE and ZERO_RANGE: {@code [offset, end)} reads as zeros, up to the file's
     * end as the caller ({@code size}) or this client knows it; the size stays.
     */
    void zero(OpenFiles.Handle h, long offset, long end, long size) throws CairnException {
        OpenInode f = h.file();
        f.lock.lock();
        try {
            io.send(f, h.cred());  // the bytes written before the punch are on the replicas first
            long to = Math.min(end, Math.max(size, f.size));
            if (offset >= to) {
                return;
            }
            if (io.sparse().inline(f, h.cred())) {
                byte[] zeros = new byte[(int) Math.min(to - offset, 1 << 20)];
                for (long at = offset; at < to; at += zeros.length) {
                    io.write(f, h.cred(), at, zeros, 0, (int) Math.min(zeros.length, to - at));
                }
                return;
            }
            io.sparse().zero(f, h.cred(), offset, to);
            if (f.pendingEnd >= 0) {
                f.pendingMtimeNs = FileIo.nowNs();  // the commit of earlier writes must not set an older mtime
            }
        } finally {
            f.lock.unlock();
        }
    }

    /** lseek's SEEK_DATA ({@code data}) and SEEK_HOLE: see {@link SparseIo#seek}. */
    long seek(OpenFiles.Handle h, long offset, boolean data, long size) throws CairnException {
        return locked(h.file(), f -> {
            io.send(f, h.cred());
            return io.sparse().seek(f, h.cred(), offset, data, Math.max(size, f.size));
        });
    }

    /**
     * copy_file_range(2): up to {@code len} bytes from {@code in} at {@code inOffset} to {@code out}
     * at {@code outOffset}; returns how many were copied (fewer at the source's end). Each piece
     * whose source is in a chunk goes from storage node to storage node ({@link FileIo#copyIn});
     * holes, inline bytes and what the storage nodes cannot copy go through this client.
     */
    long copy(OpenFiles.Handle in, long inOffset, OpenFiles.Handle out, long outOffset, long len) throws CairnException {
        if (!out.writable()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "the destination was opened read-only");
        }
        long done = 0;
        byte[] buf = null;
        while (done < len) {
            Piece p = piece(in, inOffset + done, len - done, io.chunkSize() - (outOffset + done) % io.chunkSize());
            if (p == null) {
                break;  // the source ends here
            }
            if (p.source() == null || !copyIn(out, outOffset + done, p)) {
                buf = buf == null ? new byte[COPY_PIECE] : buf;
                int n = read(in, inOffset + done, buf, p.length());
                if (n <= 0) {
                    break;
                }
                write(out, outOffset + done, buf, 0, n);
                done += n;
                continue;
            }
            done += p.length();
        }
        return done;
    }

    private static final int COPY_PIECE = 1 << 20;

    /** A piece of a copy's source: within one chunk (null: a hole or inline bytes), at most 1 MiB. */
    private record Piece(io.cairn.client.data.ChunkRef source, long inChunk, long sourceLength, int length) {
    }

    /** The next piece of the source at {@code offset}, at most {@code max} and {@code room} bytes; null at its end. */
    private Piece piece(OpenFiles.Handle in, long offset, long max, long room) throws CairnException {
        OpenInode f = in.file();
        f.lock.lock();
        try {
            io.send(f, in.cred());  // the source's bytes written here are on its replicas
            if (offset >= f.size) {
                return null;
            }
            long chunk = io.chunkSize();
            long index = offset / chunk;
            long inChunk = offset - index * chunk;
            int n = (int) Math.min(Math.min(Math.min(max, room), COPY_PIECE), Math.min(chunk - inChunk, f.size - offset));
            if (io.sparse().inline(f, in.cred())) {
                return new Piece(null, inChunk, 0, n);
            }
            io.cairn.client.data.ChunkRef ref = io.chunk(f, in.cred(), index);
            long valid = ref == null ? 0 : Math.max(ref.info().getLength(), f.pendingChunkEnds.getOrDefault(index, 0L));
            return new Piece(ref, inChunk, valid, n);
        } finally {
            f.lock.unlock();
        }
    }

    private boolean copyIn(OpenFiles.Handle out, long offset, Piece p) throws CairnException {
        OpenInode f = out.file();
        f.lock.lock();
        try {
            return io.copyIn(f, out.cred(), offset, p.length(), p.source(), p.inChunk(), p.sourceLength());
        } catch (CairnException e) {
            if (e.code() != ErrorCode.IO_ERROR) {
                throw e;
            }
            log.debug("inode {}: the storage nodes could not copy a piece ({}); copying it through this client",
                    f.inode, e.getMessage());
            return false;
        } finally {
            f.lock.unlock();
        }
    }

    /** close (not {@code durable}) or fsync: what was written is committed, ending a held length. */
    void commit(OpenFiles.Handle h, boolean durable) throws CairnException {
        locked(h.file(), f -> io.commit(f, h.cred(), durable));
    }

    /** fdatasync: see {@link FileIo#datasync}. */
    void datasync(OpenFiles.Handle h) throws CairnException {
        locked(h.file(), f -> io.datasync(f, h.cred(), leaseUsable));
    }

    /**
     * The leader recalls this client's hold on the length of {@code f} (null: no open file here):
     * the length is committed, ending the hold, in the background. Returns whether it was an open file.
     */
    boolean recalled(OpenInode f) {
        if (f == null) {
            return false;
        }
        recalls.execute(() -> {
            f.lock.lock();
            try {
                if (f.holdsLength) {
                    io.commit(f, f.writer != null ? f.writer : ROOT, false);
                }
            } catch (CairnException e) {
                log.warn("committing the held length of inode {} on recall failed: {}", f.inode, e.getMessage());
            } finally {
                f.lock.unlock();
            }
        });
        return true;
    }

    /** Work on one open file under its lock. */
    private interface Locked<T> {
        T run(OpenInode f) throws CairnException;
    }

    private static <T> T locked(OpenInode f, Locked<T> work) throws CairnException {
        f.lock.lock();
        try {
            return work.run(f);
        } finally {
            f.lock.unlock();
        }
    }

    @Override
    public void close() {
        recalls.shutdown();
    }
}
