package io.cairn.fuse.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open /dev/fuse of one mount: requests are read from it (one per read, which must offer
 * room for the largest), replies and notifications written to it (one message per write). Many
 * threads read and write at once. Once closed, nothing is written: a descriptor number closed
 * is soon another file's.
 */
final class FuseChannel {
    private static final Logger log = LoggerFactory.getLogger(FuseChannel.class);

    private final int fd;
    /** Held (read) by a write in progress; taken (write) to close, which ends them. */
    private final ReadWriteLock life = new ReentrantReadWriteLock();
    private boolean closed;

    FuseChannel(int fd) {
        this.fd = fd;
    }

    /**
     * Reads the next request into {@code buf}: its length, 0 when the mount has ended (ENODEV),
     * or -1 for a read to retry (interrupted, or a request the kernel took back).
     */
    int read(MemorySegment buf) {
        long n = Libc.read(fd, buf, buf.byteSize());
        if (n > 0) {
            return (int) n;
        }
        int err = (int) -n;
        if (err == Libc.EINTR || err == Libc.EAGAIN || err == Libc.ENOENT) {
            return -1;
        }
        if (err != Libc.ENODEV) {
            log.warn("reading FUSE requests failed: {}; the mount ends", Libc.strerror(err));
        }
        return 0;
    }

    /** Sends one reply; a reply to a request the kernel has dropped (interrupted, ENOENT) is no error. */
    void send(MemorySegment msg, long len) {
        long n = write(msg, len);
        if (n < 0 && n != -Libc.ENOENT && n != -Libc.ENODEV) {
            log.warn("a FUSE reply of {} bytes was refused: {}", len, Libc.strerror((int) -n));
        }
    }

    /** Drops the kernel's cached attributes (offset -1) or data ({@code offset}, {@code len}; 0 len: to the end) of {@code ino}. */
    boolean notifyInvalInode(long ino, long offset, long len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(16 + 24, 8);
            m.set(JAVA_LONG_UNALIGNED, 16, ino);
            m.set(JAVA_LONG_UNALIGNED, 24, offset);
            m.set(JAVA_LONG_UNALIGNED, 32, len);
            return notify(m, Fuse.NOTIFY_INVAL_INODE);
        }
    }

    /** Drops the kernel's entry (found or not) for {@code name} in directory {@code parent}. */
    boolean notifyInvalEntry(long parent, byte[] name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(16 + 16 + name.length + 1, 8);
            m.set(JAVA_LONG_UNALIGNED, 16, parent);
            m.set(JAVA_INT_UNALIGNED, 24, name.length);
            m.set(JAVA_INT_UNALIGNED, 28, 0);
            MemorySegment.copy(name, 0, m, JAVA_BYTE, 32, name.length);
            m.set(JAVA_BYTE, 32 + name.length, (byte) 0);
            return notify(m, Fuse.NOTIFY_INVAL_ENTRY);
        }
    }

    /** Sends a notification; false once the channel is closed. ENOENT (nothing cached) counts as sent. */
    private boolean notify(MemorySegment m, int code) {
        m.set(JAVA_INT_UNALIGNED, 0, (int) m.byteSize());
        m.set(JAVA_INT_UNALIGNED, 4, code);
        m.set(JAVA_LONG_UNALIGNED, 8, 0L);
        long n = write(m, m.byteSize());
        return n != -Libc.EBADF_CLOSED && n != -Libc.ENODEV;
    }

    private long write(MemorySegment msg, long len) {
        life.readLock().lock();
        try {
            if (closed) {
                return -Libc.EBADF_CLOSED;
            }
            return Libc.write(fd, msg, len);
        } finally {
            life.readLock().unlock();
        }
    }

    /** Closes the descriptor once no write is in progress; later writes do nothing. */
    void close() {
        life.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                Libc.close(fd);
            }
        } finally {
            life.writeLock().unlock();
        }
    }
}
