package io.cairn.fuse.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The reply to one request, written into a worker's buffer (struct fuse_out_header, then the
 * opcode's result) and sent to the kernel in one write. Each request gets exactly one reply;
 * FORGET gets none.
 */
public final class FuseReply {
    static final int HEADER = 16;
    private static final int ATTR = 88;
    private static final int ENTRY = 40 + ATTR;

    private final FuseChannel channel;
    private MemorySegment buf;
    private long unique;
    private boolean sent;

    FuseReply(FuseChannel channel) {
        this.channel = channel;
        this.buf = Arena.ofAuto().allocate(64 * 1024, 8);
    }

    /** Starts the reply to request {@code unique}. */
    void start(long unique) {
        this.unique = unique;
        this.sent = false;
    }

    /** Whether the request has been answered. */
    public boolean sent() {
        return sent;
    }

    /** A failure: {@code errno} is positive (ENOENT is 2). */
    public void err(int errno) {
        send(-errno, 0);
    }

    /** Success with nothing to say. */
    public void ok() {
        send(0, 0);
    }

    /** A node found or made: {@code nodeid} names it until the kernel forgets it. */
    public void entry(long nodeid, FuseAttr a, long entryNanos, long attrNanos) {
        putEntry(HEADER, nodeid, a, entryNanos, attrNanos);
        send(0, ENTRY);
    }

    /** A file made and opened (CREATE): its entry, then its open handle. */
    public void create(long nodeid, FuseAttr a, long entryNanos, long attrNanos, long fh, int openFlags) {
        putEntry(HEADER, nodeid, a, entryNanos, attrNanos);
        putOpen(HEADER + ENTRY, fh, openFlags);
        send(0, ENTRY + 16);
    }

    public void attr(FuseAttr a, long attrNanos) {
        putTimeout(HEADER, attrNanos);
        buf.set(JAVA_INT_UNALIGNED, HEADER + 12, 0);
        putAttr(HEADER + 16, a);
        send(0, 16 + ATTR);
    }

    public void open(long fh, int openFlags) {
        putOpen(HEADER, fh, openFlags);
        send(0, 16);
    }

    /** WRITE: how many bytes were taken. */
    public void written(int count) {
        buf.set(JAVA_INT_UNALIGNED, HEADER, count);
        buf.set(JAVA_INT_UNALIGNED, HEADER + 4, 0);
        send(0, 8);
    }

    /** LSEEK: the offset found (struct fuse_lseek_out). */
    public void offset(long offset) {
        buf.set(JAVA_LONG_UNALIGNED, HEADER, offset);
        send(0, 8);
    }

    /** Data (READ, READLINK, GETXATTR, LISTXATTR with a size). */
    public void bytes(byte[] data, int offset, int len) {
        MemorySegment.copy(data, offset, ensure(HEADER + len), JAVA_BYTE, HEADER, len);
        send(0, len);
    }

    /** A buffer of {@code size} bytes to read data into; send the first n of them with {@link #sendPayload}. */
    public MemorySegment payload(int size) {
        return ensure(HEADER + size).asSlice(HEADER, size);
    }

    public void sendPayload(int len) {
        send(0, len);
    }

    /** GETXATTR or LISTXATTR asked with size 0: the size the value needs. */
    public void xattrSize(int size) {
        buf.set(JAVA_INT_UNALIGNED, HEADER, size);
        buf.set(JAVA_INT_UNALIGNED, HEADER + 4, 0);
        send(0, 8);
    }

    /** GETLK: the lock that conflicts ({@code type} F_UNLCK if none); {@code end} inclusive, -1 for to the end. */
    public void lock(long start, long end, int type, int pid) {
        buf.set(JAVA_LONG_UNALIGNED, HEADER, start);
        buf.set(JAVA_LONG_UNALIGNED, HEADER + 8, end);
        buf.set(JAVA_INT_UNALIGNED, HEADER + 16, type);
        buf.set(JAVA_INT_UNALIGNED, HEADER + 20, pid);
        send(0, 24);
    }

    /** STATFS (struct fuse_kstatfs). */
    public void statfs(long blocks, long bfree, long bavail, long files, long ffree, int bsize, int namelen) {
        MemorySegment b = buf.asSlice(HEADER, 80).fill((byte) 0);
        b.set(JAVA_LONG_UNALIGNED, 0, blocks);
        b.set(JAVA_LONG_UNALIGNED, 8, bfree);
        b.set(JAVA_LONG_UNALIGNED, 16, bavail);
        b.set(JAVA_LONG_UNALIGNED, 24, files);
        b.set(JAVA_LONG_UNALIGNED, 32, ffree);
        b.set(JAVA_INT_UNALIGNED, 40, bsize);
        b.set(JAVA_INT_UNALIGNED, 44, namelen);
        b.set(JAVA_INT_UNALIGNED, 48, bsize);  // frsize
        send(0, 80);
    }

    /** INIT's reply, laid out by {@link Init}. */
    MemorySegment initOut() {
        return buf.asSlice(HEADER, Init.OUT_SIZE).fill((byte) 0);
    }

    void sendInit() {
        send(0, Init.OUT_SIZE);
    }

    /** A directory listing of at most {@code size} bytes (READDIR): add entries, then send. */
    public Dirents dirents(int size) {
        return new Dirents(ensure(HEADER + size), size);
    }

    /** struct fuse_dirent records packed into the reply, each 8-byte aligned. */
    public final class Dirents {
        private final MemorySegment out;
        private final int size;
        private int used;

        private Dirents(MemorySegment out, int size) {
            this.out = out;
            this.size = size;
        }

        /** Adds one entry ({@code type} the file type bits of a mode) unless it does not fit; says whether it did. */
        public boolean add(long ino, long nextOffset, int type, byte[] name) {
            int need = (24 + name.length + 7) & ~7;
            if (used + need > size) {
                return false;
            }
            int at = HEADER + used;
            out.set(JAVA_LONG_UNALIGNED, at, ino);
            out.set(JAVA_LONG_UNALIGNED, at + 8, nextOffset);
            out.set(JAVA_INT_UNALIGNED, at + 16, name.length);
            out.set(JAVA_INT_UNALIGNED, at + 20, (type & 0170000) >> 12);
            MemorySegment.copy(name, 0, out, JAVA_BYTE, at + 24, name.length);
            out.asSlice(at + 24 + name.length, need - 24 - name.length).fill((byte) 0);
            used += need;
            return true;
        }

        public void send() {
            FuseReply.this.send(0, used);
        }
    }

    private MemorySegment ensure(long size) {
        if (buf.byteSize() < size) {
            buf = Arena.ofAuto().allocate(Math.max(size, buf.byteSize() * 2), 8);
        }
        return buf;
    }

    private void putTimeout(int at, long nanos) {
        buf.set(JAVA_LONG_UNALIGNED, at, nanos / 1_000_000_000L);
        buf.set(JAVA_INT_UNALIGNED, at + 8, (int) (nanos % 1_000_000_000L));
    }

    private void putEntry(int at, long nodeid, FuseAttr a, long entryNanos, long attrNanos) {
        buf.set(JAVA_LONG_UNALIGNED, at, nodeid);
        buf.set(JAVA_LONG_UNALIGNED, at + 8, 0);  // generation: node ids are never reused
        buf.set(JAVA_LONG_UNALIGNED, at + 16, entryNanos / 1_000_000_000L);
        buf.set(JAVA_LONG_UNALIGNED, at + 24, attrNanos / 1_000_000_000L);
        buf.set(JAVA_INT_UNALIGNED, at + 32, (int) (entryNanos % 1_000_000_000L));
        buf.set(JAVA_INT_UNALIGNED, at + 36, (int) (attrNanos % 1_000_000_000L));
        putAttr(at + 40, a);
    }

    private void putAttr(int at, FuseAttr a) {
        buf.set(JAVA_LONG_UNALIGNED, at, a.ino());
        buf.set(JAVA_LONG_UNALIGNED, at + 8, a.size());
        buf.set(JAVA_LONG_UNALIGNED, at + 16, a.blocks());
        buf.set(JAVA_LONG_UNALIGNED, at + 24, Math.floorDiv(a.atimeNs(), 1_000_000_000L));
        buf.set(JAVA_LONG_UNALIGNED, at + 32, Math.floorDiv(a.mtimeNs(), 1_000_000_000L));
        buf.set(JAVA_LONG_UNALIGNED, at + 40, Math.floorDiv(a.ctimeNs(), 1_000_000_000L));
        buf.set(JAVA_INT_UNALIGNED, at + 48, (int) Math.floorMod(a.atimeNs(), 1_000_000_000L));
        buf.set(JAVA_INT_UNALIGNED, at + 52, (int) Math.floorMod(a.mtimeNs(), 1_000_000_000L));
        buf.set(JAVA_INT_UNALIGNED, at + 56, (int) Math.floorMod(a.ctimeNs(), 1_000_000_000L));
        buf.set(JAVA_INT_UNALIGNED, at + 60, a.mode());
        buf.set(JAVA_INT_UNALIGNED, at + 64, a.nlink());
        buf.set(JAVA_INT_UNALIGNED, at + 68, a.uid());
        buf.set(JAVA_INT_UNALIGNED, at + 72, a.gid());
        buf.set(JAVA_INT_UNALIGNED, at + 76, a.rdev());
        buf.set(JAVA_INT_UNALIGNED, at + 80, a.blksize());
        buf.set(JAVA_INT_UNALIGNED, at + 84, 0);
    }

    private void putOpen(int at, long fh, int openFlags) {
        buf.set(JAVA_LONG_UNALIGNED, at, fh);
        buf.set(JAVA_INT_UNALIGNED, at + 8, openFlags);
        buf.set(JAVA_INT_UNALIGNED, at + 12, 0);
    }

    /** Writes the header and sends header + {@code len} bytes of result. */
    private void send(int error, int len) {
        if (sent) {
            throw new IllegalStateException("FUSE request " + unique + " answered twice");
        }
        sent = true;
        buf.set(JAVA_INT_UNALIGNED, 0, HEADER + (error == 0 ? len : 0));
        buf.set(JAVA_INT_UNALIGNED, 4, error);
        buf.set(JAVA_LONG_UNALIGNED, 8, unique);
        channel.send(buf, HEADER + (error == 0 ? len : 0));
    }
}
