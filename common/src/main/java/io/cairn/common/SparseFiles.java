package io.cairn.common;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Holes in local files, which the JDK's file API cannot make or see: fallocate(2) with
 * FALLOC_FL_PUNCH_HOLE frees a range's blocks, lseek(2) with SEEK_DATA and SEEK_HOLE finds where
 * the allocated ranges are. Both through the JDK's foreign function API on a descriptor of their
 * own, so any FileChannel open on the same file sees the change (they share the page cache).
 */
public final class SparseFiles {
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 02000000;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int ENXIO = 6;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = call("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FALLOCATE = call("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle LSEEK = call("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private SparseFiles() {
    }

    /** A range of a file, from {@code start} to before {@code end}. */
    public record Range(long start, long end) {
    }

    private static MethodHandle call(String name, FunctionDescriptor fd, Linker.Option... options) {
        Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = Linker.Option.captureCallState("errno");
        MemorySegment fn = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name));
        return LINKER.downcallHandle(fn, fd, all);
    }

    /**
     * Frees the blocks of {@code [offset, offset + length)} of {@code file}, which then reads as
     * zeros; its size stays. Returns false, changing nothing, when the file system cannot punch
     * holes (EOPNOTSUPP): the caller writes zeros instead.
     */
    public static boolean punchHole(Path file, long offset, long length) throws IOException {
        return withFd(file, O_RDWR, (state, fd) -> {
            int r = (int) FALLOCATE.invokeExact(state, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
            if (r == 0) {
                return true;
            }
            int errno = errno(state);
            if (errno == Errno.EOPNOTSUPP) {
                return false;
            }
            throw failure("punching a hole of " + length + " bytes at " + offset + " in " + file, errno);
        });
    }

    /**
     * The allocated ranges of {@code file} within {@code [from, to)}, in order; everything between
     * them is a hole and reads as zeros. A file system that cannot tell (no SEEK_DATA) has the
     * whole range as data.
     */
    public static List<Range> dataRanges(Path file, long from, long to) throws IOException {
        if (from >= to) {
            return List.of();
        }
        return withFd(file, O_RDONLY, (state, fd) -> {
            List<Range> out = new ArrayList<>();
            long pos = from;
            while (pos < to) {
                long data = (long) LSEEK.invokeExact(state, fd, pos, SEEK_DATA);
                if (data < 0) {
                    int errno = errno(state);
                    if (errno == ENXIO) {
                        break;  // no data at or after pos
                    }
                    if (errno == Errno.EINVAL && out.isEmpty()) {
                        return List.of(new Range(from, to));
                    }
                    throw failure("finding data in " + file, errno);
                }
                if (data >= to) {
                    break;
                }
                long hole = (long) LSEEK.invokeExact(state, fd, data, SEEK_HOLE);
                if (hole < 0) {
                    throw failure("finding a hole in " + file, errno(state));
                }
                out.add(new Range(data, Math.min(hole, to)));
                pos = hole;
            }
            return out;
        });
    }

    /** A call on an open descriptor: its errno lands in {@code state}. */
    private interface FdCall<T> {
        T run(MemorySegment state, int fd) throws Throwable;
    }

    /** Opens {@code file}, runs {@code call} on it, closes it. */
    private static <T> T withFd(Path file, int flags, FdCall<T> call) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int fd = open(a, state, file, flags);
            try {
                return call.run(state, fd);
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int open(Arena a, MemorySegment state, Path file, int flags) throws Throwable {
        int fd = (int) OPEN.invokeExact(state, a.allocateFrom(file.toString()), flags | O_CLOEXEC, 0);
        if (fd < 0) {
            throw failure("cannot open " + file, errno(state));
        }
        return fd;
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * An errno as an IOException with the C library's text, as the JDK's own file calls give it
     * (so a full disk reads "No space left on device" here too).
     */
    private static IOException failure(String what, int errno) throws Throwable {
        String text = ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
        return errno == Errno.ENOENT ? new java.nio.file.NoSuchFileException(what + ": " + text)
                : new IOException(what + ": " + text);
    }
}
