package io.cairn.fuse.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * One request as the kernel sent it, read in place from a worker's buffer (struct
 * fuse_in_header, then the opcode's arguments: fixed fields, then NUL-terminated names or data).
 * Offsets given to the accessors count from the start of the arguments. A worker reuses its
 * request for the next one, so nothing may keep it past the reply.
 */
public final class FuseRequest {
    static final int HEADER = 40;

    private MemorySegment buf;
    private int length;
    private int opcode;
    private long unique;
    private long nodeid;
    private int uid;
    private int gid;
    private int pid;
    /** The unique of a request the kernel asked to interrupt, if it is this one's. */
    private volatile long interrupt = -1;

    FuseRequest(MemorySegment buf) {
        this.buf = buf;
    }

    /** Takes the next request, read into the buffer: {@code length} bytes. */
    void load(int length) {
        this.length = length;
        this.opcode = buf.get(JAVA_INT_UNALIGNED, 4);
        this.unique = buf.get(JAVA_LONG_UNALIGNED, 8);
        this.nodeid = buf.get(JAVA_LONG_UNALIGNED, 16);
        this.uid = buf.get(JAVA_INT_UNALIGNED, 24);
        this.gid = buf.get(JAVA_INT_UNALIGNED, 28);
        this.pid = buf.get(JAVA_INT_UNALIGNED, 32);
    }

    MemorySegment buffer() {
        return buf;
    }

    public int opcode() {
        return opcode;
    }

    public long unique() {
        return unique;
    }

    /** The node the request is about (a directory for name operations). */
    public long nodeid() {
        return nodeid;
    }

    /** The calling process's fs uid, gid and thread group id, as unsigned ints widened. */
    public long uid() {
        return uid & 0xFFFFFFFFL;
    }

    public long gid() {
        return gid & 0xFFFFFFFFL;
    }

    public int pid() {
        return pid;
    }

    /** Bytes of arguments after the header. */
    public int argsLength() {
        return length - HEADER;
    }

    public int i32(int offset) {
        check(offset, 4);
        return buf.get(JAVA_INT_UNALIGNED, HEADER + offset);
    }

    public long i64(int offset) {
        check(offset, 8);
        return buf.get(JAVA_LONG_UNALIGNED, HEADER + offset);
    }

    /** The bytes of the NUL-terminated string at {@code offset}, without the NUL. */
    public byte[] cstring(int offset) {
        int end = cstringEnd(offset) - 1;
        byte[] b = new byte[end - offset];
        MemorySegment.copy(buf, JAVA_BYTE, HEADER + offset, b, 0, b.length);
        return b;
    }

    /** The offset just past the NUL of the string at {@code offset}. */
    public int cstringEnd(int offset) {
        for (int i = HEADER + offset; i < length; i++) {
            if (buf.get(JAVA_BYTE, i) == 0) {
                return i - HEADER + 1;
            }
        }
        throw new IllegalArgumentException("unterminated name in FUSE request " + opcode);
    }

    /** Copies {@code len} bytes of the arguments from {@code offset}. */
    public byte[] bytes(int offset, int len) {
        check(offset, len);
        byte[] b = new byte[len];
        MemorySegment.copy(buf, JAVA_BYTE, HEADER + offset, b, 0, len);
        return b;
    }

    /** Copies {@code len} bytes of the arguments from {@code offset} into the start of {@code dst}. */
    public void copy(int offset, byte[] dst, int len) {
        check(offset, len);
        MemorySegment.copy(buf, JAVA_BYTE, HEADER + offset, dst, 0, len);
    }

    /** Whether the kernel has asked to interrupt this request (the caller got a signal). */
    public boolean interrupted() {
        return interrupt == unique;
    }

    void interrupt(long target) {
        interrupt = target;
    }

    private void check(int offset, int len) {
        if (offset < 0 || HEADER + (long) offset + len > length) {
            throw new IllegalArgumentException("FUSE request " + opcode + " of " + length + " bytes has no " + len
                    + " bytes at " + offset);
        }
    }
}
