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
        OpenInode f = h.file();
        f.lock.lock();
        try {
            return io.read(f, h.cred(), offset, dst, len);
        } finally {
            f.lock.unlock();
        }
    }

    /** Writes at {@code offset}, or at the end of the file as this client knows it on an O_APPEND handle. */
    void write(OpenFiles.Handle h, long offset, byte[] src, int srcOffset, int len) throws CairnException {
        if (!h.writable()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "the file was opened read-only");
        }
        OpenInode f = h.file();
        f.lock.lock();
        try {
            io.write(f, h.cred(), (h.flags() & O_APPEND) != 0 ? f.size : offset, src, srcOffset, len);
        } finally {
            f.lock.unlock();
        }
    }

    /** close (not {@code durable}) or fsync: what was written is committed, ending a held length. */
    void commit(OpenFiles.Handle h, boolean durable) throws CairnException {
        OpenInode f = h.file();
        f.lock.lock();
        try {
            io.commit(f, h.cred(), durable);
        } finally {
            f.lock.unlock();
        }
    }

    /** fdatasync: see {@link FileIo#datasync}. */
    void datasync(OpenFiles.Handle h) throws CairnException {
        OpenInode f = h.file();
        f.lock.lock();
        try {
            io.datasync(f, h.cred(), leaseUsable);
        } finally {
            f.lock.unlock();
        }
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

    @Override
    public void close() {
        recalls.shutdown();
    }
}
