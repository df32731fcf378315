package io.cairn.fuse.kernel;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * The INIT handshake, the first request of every mount: the kernel offers its protocol version
 * and capabilities, the reply takes the ones wanted that it offers and sets the limits (largest
 * write, pages per request, background requests).
 */
final class Init {
    static final int OUT_SIZE = 64;
    static final int PAGE = 4096;
    /** Background requests (read-ahead, async reads) the kernel may keep outstanding. */
    static final int MAX_BACKGROUND = 64;
    private static final int EPROTO = 71;

    /** What both sides agreed: the minor version, the capability flags (flags2 as bits 32-63), the largest write. */
    record Negotiated(int minor, long flags, int maxWrite, int maxReadahead) {
        boolean has(long flag) {
            return (flags & flag) != 0;
        }
    }

    private Init() {
    }

    /**
     * Answers INIT: {@code want} the capabilities wanted, {@code maxWrite} the largest write (a
     * multiple of the page size). Returns what was agreed, or null when the kernel must ask again
     * (a newer major version) or cannot be served (an older one).
     */
    static Negotiated answer(FuseRequest req, FuseReply reply, long want, int maxWrite) {
        int major = req.i32(0);
        int minor = req.i32(4);
        int maxReadahead = req.i32(8);
        long offered = req.i32(12) & 0xFFFFFFFFL;
        if ((offered & Fuse.INIT_EXT) != 0 && req.argsLength() >= 20) {
            offered |= (req.i32(16) & 0xFFFFFFFFL) << 32;
        }
        if (major < Fuse.MAJOR) {
            reply.err(EPROTO);
            return null;
        }
        MemorySegment out = reply.initOut();
        out.set(JAVA_INT_UNALIGNED, 0, Fuse.MAJOR);
        out.set(JAVA_INT_UNALIGNED, 4, Fuse.MAX_MINOR);
        if (major > Fuse.MAJOR) {
            reply.sendInit();  // the kernel asks again with our major
            return null;
        }
        long flags = offered & (want | Fuse.INIT_EXT);
        int agreedMinor = Math.min(minor, Fuse.MAX_MINOR);
        out.set(JAVA_INT_UNALIGNED, 4, agreedMinor);
        out.set(JAVA_INT_UNALIGNED, 8, maxReadahead);
        out.set(JAVA_INT_UNALIGNED, 12, (int) flags);
        out.set(JAVA_SHORT_UNALIGNED, 16, (short) MAX_BACKGROUND);
        out.set(JAVA_SHORT_UNALIGNED, 18, (short) (MAX_BACKGROUND * 3 / 4));  // congestion threshold
        out.set(JAVA_INT_UNALIGNED, 20, maxWrite);
        out.set(JAVA_INT_UNALIGNED, 24, 1);  // time granularity: nanoseconds
        out.set(JAVA_SHORT_UNALIGNED, 28, (short) ((flags & Fuse.MAX_PAGES) != 0 ? maxWrite / PAGE : 0));
        out.set(JAVA_INT_UNALIGNED, 32, (int) (flags >>> 32));
        reply.sendInit();
        return new Negotiated(agreedMinor, flags, maxWrite, maxReadahead);
    }
}
