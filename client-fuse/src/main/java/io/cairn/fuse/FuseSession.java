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
 * with the file system's callbacks, and the workers that read the kernel's requests and process
 * them. The workers are Java threads that live as long as the mount: libfuse 2's own
 * multithreaded loop starts a native thread whenever none is idle and ends it when more than ten
 * are, and each such thread is attached to the JVM on its first callback, so under a stream of
 * small requests it made and attached one thread per request or so (36,763 thread starts in 16 s
 * of small-file creates, JFR). Here a worker is added when the last idle one takes a request (a
 * callback may block, e.g. on a lock wait), up to {@link #MAX_WORKERS}, and none ends before the
 * mount does. The loop ends when the mount goes (fusermount -u, umount, or {@link #unmount}); the
 * first worker then waits for the others and frees the session and the channel.
 */
final class FuseSession {
    private static final Logger log = LoggerFactory.getLogger(FuseSession.class);

    /** libfuse.so.2 (Debian package libfuse2), loaded once. */
    static final LowLevel LIB = LibraryLoader.create(LowLevel.class).failImmediately().load("fuse");
    static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIB);

    /** Workers at most: each holds a request buffer (about 132 KiB) and may block in a callback. */
    static final int MAX_WORKERS = 256;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;

    private final Path mountPoint;
    private final Pointer chan;
    private final Pointer session;
    private final Thread loop;
    private final long bufferSize;
    /** Workers waiting for a request in fuse_chan_recv. */
    private final java.util.concurrent.atomic.AtomicInteger idle = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private FuseSession(Path mountPoint, Pointer chan, Pointer session) {
        this.mountPoint = mountPoint;
        this.chan = chan;
        this.session = session;
        this.bufferSize = LIB.fuse_chan_bufsize(chan);
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

    /** Held (read) by a kernel notification in progress; taken (write) by the teardown, which ends them. */
    private final java.util.concurrent.locks.ReadWriteLock life = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private boolean ended;

    /**
     * Runs {@code call} with the kernel channel (a notification: invalidating cached entries and
     * attributes) unless the session has ended: libfuse frees the channel's session at the end,
     * and a notification after that would touch freed memory. Returns whether it ran.
     */
    boolean notify(java.util.function.Consumer<Pointer> call) {
        life.readLock().lock();
        try {
            if (ended) {
                return false;
            }
            call.accept(chan);
            return true;
        } finally {
            life.readLock().unlock();
        }
    }

    private void run() {
        serve();
        boolean idle = true;
        for (Thread w : workers) {
            try {
                w.join(30_000);  // a callback in progress finishes before the session goes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            idle &= !w.isAlive();
        }
        life.writeLock().lock();
        try {
            ended = true;  // no notification from now on
        } finally {
            life.writeLock().unlock();
        }
        if (!idle) {
            // A callback still runs and will reply through the session: freeing it would crash the
            // process later, so it is left allocated (the mount is gone either way).
            log.warn("a FUSE request on {} was still being served 30 s after the mount ended; its session is not freed",
                    mountPoint);
            return;
        }
        LIB.fuse_session_remove_chan(chan);
        LIB.fuse_session_destroy(session);
        LIB.fuse_unmount(mountPoint.toString(), chan);  // closes the device; unmounts if still mounted
    }

    /**
     * Makes the kernel ask for {@code ino}'s attributes again before it next uses them (it reads
     * no further than the size it holds).
     */
    void forgetAttrs(long ino) {
        notify(ch -> LIB.fuse_lowlevel_notify_inval_inode(ch, ino, -1, 0));  // a negative offset: attributes only
    }

    /** Drops the kernel's entries (found or not) of {@code names} in directory {@code ino}, and its listing and attributes. */
    void forgetNames(long ino, java.util.Collection<String> names) {
        for (String name : names) {
            byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (!notify(ch -> LIB.fuse_lowlevel_notify_inval_entry(ch, ino, b, b.length))) {  // ENOENT if not cached
                return;  // unmounted
            }
        }
        notify(ch -> LIB.fuse_lowlevel_notify_inval_inode(ch, ino, 0, 0));
    }

    /** One worker: reads a request, processes it, until the session ends; adds a worker when none is left idle. */
    private void serve() {
        Pointer buf = Memory.allocateDirect(RUNTIME, (int) bufferSize);
        Pointer chanRef = Memory.allocateDirect(RUNTIME, RUNTIME.addressSize());  // struct fuse_chan **
        while (LIB.fuse_session_exited(session) == 0) {
            chanRef.putPointer(0, chan);
            idle.incrementAndGet();
            int n = LIB.fuse_chan_recv(chanRef, buf, bufferSize);
            if (idle.decrementAndGet() == 0 && n > 0) {
                addWorker();
            }
            if (n == -EINTR || n == -EAGAIN) {
                continue;
            }
            if (n <= 0) {
                if (n < 0) {
                    log.warn("reading FUSE requests on {} failed with errno {}: the mount ends", mountPoint, -n);
                    LIB.fuse_session_exit(session);
                }
                break;
            }
            LIB.fuse_session_process(session, buf, n, chanRef.getPointer(0));
        }
    }

    private synchronized void addWorker() {
        if (workers.size() + 1 >= MAX_WORKERS || LIB.fuse_session_exited(session) != 0) {
            return;
        }
        Thread w = new Thread(this::serve, "fuse-worker-" + (workers.size() + 1) + " " + mountPoint.getFileName());
        w.setDaemon(true);
        workers.add(w);
        w.start();
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
