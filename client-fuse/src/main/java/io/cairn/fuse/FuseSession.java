package io.cairn.fuse;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One low-level FUSE mount: fuse_mount (the kernel mount, options checked by libfuse), a session
 * with the file system's callbacks, and libfuse's multithreaded loop on its own thread. The loop
 * ends when the mount goes (fusermount -u, umount, or {@link #unmount}); the thread then frees
 * the session and the channel.
 */
final class FuseSession {
    private static final Logger log = LoggerFactory.getLogger(FuseSession.class);

    /** libfuse.so.2 (Debian package libfuse2), loaded once. */
    static final LowLevel LIB = LibraryLoader.create(LowLevel.class).failImmediately().load("fuse");
    static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIB);

    private final Path mountPoint;
    private final Pointer chan;
    private final Pointer session;
    private final Thread loop;

    private FuseSession(Path mountPoint, Pointer chan, Pointer session) {
        this.mountPoint = mountPoint;
        this.chan = chan;
        this.session = session;
        this.loop = new Thread(this::run, "fuse-loop " + mountPoint);
        this.loop.setDaemon(true);
    }

    /**
     * Mounts on {@code mountPoint} with {@code options} (-o, comma-joined) and starts serving
     * {@code ops}, which the caller keeps reachable for as long as the mount lives.
     */
    static FuseSession start(Path mountPoint, LowLevel.Ops ops, List<String> options) throws CairnException {
        // struct fuse_args {int argc; char **argv; int allocated;}: libfuse fills it in.
        Pointer args = Memory.allocateDirect(RUNTIME, 24, true);
        LIB.fuse_opt_add_arg(args, "cairn");
        LIB.fuse_opt_add_arg(args, "-o");
        LIB.fuse_opt_add_arg(args, String.join(",", options));
        try {
            Pointer chan = LIB.fuse_mount(mountPoint.toString(), args);
            if (chan == null) {
                throw new CairnException(ErrorCode.IO_ERROR, "fuse_mount on " + mountPoint + " failed (libfuse printed why)");
            }
            Pointer session = LIB.fuse_lowlevel_new(args, ops, Struct.size(ops), null);
            if (session == null) {
                LIB.fuse_unmount(mountPoint.toString(), chan);
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "libfuse refused the options " + options
                        + " (libfuse printed which)");
            }
            LIB.fuse_session_add_chan(session, chan);
            FuseSession s = new FuseSession(mountPoint, chan, session);
            s.loop.start();
            return s;
        } finally {
            LIB.fuse_opt_free_args(args);
        }
    }

    /** The kernel channel, for notifications (invalidating cached entries and attributes). */
    Pointer channel() {
        return chan;
    }

    private void run() {
        int r = LIB.fuse_session_loop_mt(session);
        if (r != 0) {
            log.warn("the FUSE loop on {} ended with {}", mountPoint, r);
        }
        LIB.fuse_session_remove_chan(chan);
        LIB.fuse_session_destroy(session);
        LIB.fuse_unmount(mountPoint.toString(), chan);  // closes the device; unmounts if still mounted
    }

    /** Asks the loop to end and the kernel to unmount; waits a little for the loop to finish. */
    void unmount() {
        LIB.fuse_session_exit(session);
        fusermount(mountPoint, "-u");
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code fusermount OPTIONS DIR} (fuse3's, which libfuse 2 uses too) and waits for it. */
    static void fusermount(Path dir, String... options) {
        List<String> cmd = new java.util.ArrayList<>(List.of("fusermount"));
        cmd.addAll(List.of(options));
        cmd.add(dir.toString());
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            log.warn("{} failed: {}", String.join(" ", cmd), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
