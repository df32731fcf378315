package io.cairn.fuse.kernel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls the FUSE binding makes, through the JDK's foreign function API. A call that
 * fails returns {@code -errno} (as the kernel's own calls do), so the request loop handles the
 * expected failures (EINTR, ENOENT, ENODEV) without exceptions.
 */
final class Libc {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EBUSY = 16;
    static final int EINVAL = 22;
    static final int ENODEV = 19;
    /** EBADF: what a write to a channel already closed is told. */
    static final int EBADF_CLOSED = 9;

    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 02000000;
    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_SYNCHRONOUS = 16;
    static final long MS_DIRSYNC = 128;
    static final long MS_NOATIME = 1024;
    static final long MS_NODIRATIME = 2048;
    static final int MNT_DETACH = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private static final MethodHandle OPEN = errnoCall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = errnoCall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = errnoCall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MOUNT = errnoCall("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = errnoCall("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETEUID = call("geteuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle STRERROR = call("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    private static MethodHandle call(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment fn = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name));
        return LINKER.downcallHandle(fn, fd, options);
    }

    private static MethodHandle errnoCall(String name, FunctionDescriptor fd, Linker.Option... options) {
        Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = CAPTURE_ERRNO;
        return call(name, fd, all);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException bug(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    /** open(2): a descriptor, or -errno. */
    static int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = STATE.get();
            int fd = (int) OPEN.invokeExact(state, a.allocateFrom(path), flags, 0);
            return fd < 0 ? -errno(state) : fd;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    static int close(int fd) {
        try {
            MemorySegment state = STATE.get();
            int r = (int) CLOSE.invokeExact(state, fd);
            return r < 0 ? -errno(state) : 0;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    /** read(2) into {@code buf}: the bytes read, or -errno. Blocks. */
    static long read(int fd, MemorySegment buf, long len) {
        try {
            MemorySegment state = STATE.get();
            long n = (long) READ.invokeExact(state, fd, buf, len);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    /** write(2) of {@code len} bytes of {@code buf}: the bytes written, or -errno. */
    static long write(int fd, MemorySegment buf, long len) {
        try {
            MemorySegment state = STATE.get();
            long n = (long) WRITE.invokeExact(state, fd, buf, len);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    /** mount(2): 0, or -errno. */
    static int mount(String source, String target, String type, long flags, String data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = STATE.get();
            int r = (int) MOUNT.invokeExact(state, a.allocateFrom(source), a.allocateFrom(target), a.allocateFrom(type), flags,
                    a.allocateFrom(data));
            return r < 0 ? -errno(state) : 0;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    /** umount2(2): 0, or -errno. */
    static int umount2(String target, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = STATE.get();
            int r = (int) UMOUNT2.invokeExact(state, a.allocateFrom(target), flags);
            return r < 0 ? -errno(state) : 0;
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw bug(t);
        }
    }

    /** The C library's text for an errno ("No such device"). */
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw bug(t);
        }
    }
}
