package io.cairn.fuse.kernel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mount made by fuse3's set-uid helper, for a process that may not call mount(2) itself: it is
 * started with one end of a socket pair as descriptor {@code _FUSE_COMMFD}, mounts, and sends the
 * opened /dev/fuse back over the socket (SCM_RIGHTS). The helper is started with posix_spawn
 * rather than ProcessBuilder, which closes every descriptor but the standard three in the child.
 */
final class Fusermount {
    static final String HELPER = "fusermount3";
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKETPAIR = call("socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SPAWNP = call("posix_spawnp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FA_INIT = call("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DUP2 = call("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_DESTROY = call("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle WAITPID = call("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = call("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

    private Fusermount() {
    }

    private static MethodHandle call(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }

    /** Whether the helper is on the PATH. */
    static boolean installed() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, HELPER))) {
                return true;
            }
        }
        return false;
    }

    /** Mounts {@code dir} with {@code options} (fusermount3's -o) and returns the /dev/fuse descriptor. */
    static int mount(Path dir, String options) throws IOException {
        if (!installed()) {
            throw new IOException("mounting as a user other than root needs " + HELPER + "; install it with 'apt-get install fuse3'"
                    + " (or mount as root)");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pair = a.allocate(JAVA_INT, 2);
            if ((int) SOCKETPAIR.invokeExact(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
                throw new IOException("socketpair failed");
            }
            int mine = pair.getAtIndex(JAVA_INT, 0);
            int theirs = pair.getAtIndex(JAVA_INT, 1);
            try {
                int commFd = theirs == 3 ? 4 : 3;  // dup2 onto itself would keep close-on-exec
                int status = spawnAndWait(a, commFd, theirs, List.of(HELPER, "-o", options, "--", dir.toString()));
                if (status != 0) {
                    throw new IOException(HELPER + " -o " + options + " " + dir + " failed (exit " + status
                            + "; it printed why on standard error)");
                }
                return receiveFd(a, mine);
            } finally {
                Libc.close(theirs);
                Libc.close(mine);
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Unmounts {@code dir} through the helper ({@code -z}: detach now, let go when unused). */
    static boolean unmount(Path dir, boolean lazy) {
        List<String> cmd = new ArrayList<>(List.of(HELPER, "-u"));
        if (lazy) {
            cmd.add("-z");
        }
        cmd.add(dir.toString());
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code argv} with {@code fd} as descriptor {@code commFd} and _FUSE_COMMFD naming it; returns its exit code. */
    private static int spawnAndWait(Arena a, int commFd, int fd, List<String> argv) throws Throwable {
        MemorySegment actions = a.allocate(256);  // posix_spawn_file_actions_t: 80 bytes in glibc
        int r = (int) FA_INIT.invokeExact(actions);
        r |= (int) FA_DUP2.invokeExact(actions, fd, commFd);
        if (r != 0) {
            throw new IOException("posix_spawn_file_actions failed");
        }
        try {
            List<String> env = new ArrayList<>();
            for (Map.Entry<String, String> e : System.getenv().entrySet()) {
                env.add(e.getKey() + "=" + e.getValue());
            }
            env.add("_FUSE_COMMFD=" + commFd);
            MemorySegment pid = a.allocate(JAVA_INT);
            int err = (int) SPAWNP.invokeExact(pid, a.allocateFrom(HELPER), actions, MemorySegment.NULL,
                    strings(a, argv), strings(a, env));
            if (err != 0) {
                throw new IOException("starting " + HELPER + " failed: " + Libc.strerror(err));
            }
            MemorySegment status = a.allocate(JAVA_INT);
            int waited;
            do {
                waited = (int) WAITPID.invokeExact(pid.get(JAVA_INT, 0), status, 0);
            } while (waited < 0);  // EINTR
            int s = status.get(JAVA_INT, 0);
            return (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f);
        } finally {
            int ignored = (int) FA_DESTROY.invokeExact(actions);
        }
    }

    /** A NULL-terminated char *[] of {@code values}. */
    private static MemorySegment strings(Arena a, List<String> values) {
        MemorySegment array = a.allocate(ADDRESS, values.size() + 1);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, a.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    /** Receives one descriptor sent with SCM_RIGHTS on {@code socket}. */
    private static int receiveFd(Arena a, int socket) throws Throwable {
        MemorySegment data = a.allocate(8);
        MemorySegment iov = a.allocate(16);  // struct iovec
        iov.set(ADDRESS, 0, data);
        iov.set(JAVA_LONG, 8, 1);
        MemorySegment control = a.allocate(64);  // struct cmsghdr with room for one int
        MemorySegment msg = a.allocate(56);  // struct msghdr
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, 1);
        msg.set(ADDRESS, 32, control);
        msg.set(JAVA_LONG, 40, control.byteSize());
        long n = (long) RECVMSG.invokeExact(socket, msg, 0);
        long controlLen = msg.get(JAVA_LONG, 40);
        if (n <= 0 || controlLen < 20 || control.get(JAVA_INT, 8) != SOL_SOCKET || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
            throw new IOException(HELPER + " mounted but sent no /dev/fuse descriptor");
        }
        return control.get(JAVA_INT, 16);
    }
}
