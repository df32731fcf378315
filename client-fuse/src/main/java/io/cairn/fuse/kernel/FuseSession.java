package io.cairn.fuse.kernel;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FUSE mount served by Java threads that read the kernel's requests from /dev/fuse, hand
 * them to the {@link FuseHandler} and write its replies. Workers live as long as the mount; one is
 * added whenever the last idle one takes a request (a request may block, e.g. waiting for a
 * lock), up to {@link #MAX_WORKERS}. The session answers INIT itself (1 MiB requests, the
 * capabilities in {@link #DEFAULT_WANT}), marks requests the kernel interrupts, and ends when the
 * mount goes (umount, fusermount -u, or {@link #unmount}): the first worker then waits for the
 * others and closes the device.
 */
public final class FuseSession {
    private static final Logger log = LoggerFactory.getLogger(FuseSession.class);

    /** Workers at most: each holds a request buffer of {@link #MAX_WRITE} plus a page. */
    public static final int MAX_WORKERS = 256;
    /** The largest write (and read) the kernel sends in one request. */
    public static final int MAX_WRITE = 1 << 20;
    /**
     * Asynchronous reads (read-ahead beside a reader), remote POSIX and flock locks, 1 MiB requests,
     * parallel lookups and listings in one directory, cached symlink targets, page-cache
     * invalidation when a file's size or mtime is seen to change, and setuid/setgid dropped by
     * the file system (HANDLE_KILLPRIV_V2: without it the kernel asks for security.capability
     * before every write).
     */
    public static final long DEFAULT_WANT = Fuse.ASYNC_READ | Fuse.POSIX_LOCKS | Fuse.BIG_WRITES | Fuse.FLOCK_LOCKS
            | Fuse.AUTO_INVAL_DATA | Fuse.PARALLEL_DIROPS | Fuse.MAX_PAGES | Fuse.CACHE_SYMLINKS | Fuse.HANDLE_KILLPRIV_V2;
    private static final int EIO = 5;

    private final Path mountPoint;
    private final FuseChannel channel;
    private final FuseHandler handler;
    private final long want;
    private final Thread loop;
    private final Map<Long, FuseRequest> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger idle = new AtomicInteger();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private volatile boolean ending;

    private FuseSession(Path mountPoint, FuseChannel channel, FuseHandler handler, long want) {
        this.mountPoint = mountPoint;
        this.channel = channel;
        this.handler = handler;
        this.want = want;
        this.loop = new Thread(this::run, "fuse-loop " + mountPoint);
        this.loop.setDaemon(true);
    }

    /**
     * Mounts on {@code dir} with {@code options} (see {@link KernelMount}) and serves {@code handler};
     * {@code extraWant} adds INIT capabilities to {@link #DEFAULT_WANT}.
     */
    public static FuseSession mount(Path dir, List<String> options, FuseHandler handler, long extraWant) throws IOException {
        int fd = KernelMount.mount(dir, options);
        FuseSession s = new FuseSession(dir, new FuseChannel(fd), handler, DEFAULT_WANT | extraWant);
        s.loop.start();
        return s;
    }

    /** Waits until the mount has ended (unmounted by anyone) and its workers are done. */
    public void awaitEnd() throws InterruptedException {
        loop.join();
    }

    /** See {@link FuseChannel#notifyInvalInode}; false once the session ended. */
    public boolean notifyInvalInode(long ino, long offset, long len) {
        return channel.notifyInvalInode(ino, offset, len);
    }

    /** See {@link FuseChannel#notifyInvalEntry}; false once the session ended. */
    public boolean notifyInvalEntry(long parent, byte[] name) {
        return channel.notifyInvalEntry(parent, name);
    }

    /** Unmounts and waits a little for the workers to finish; says whether the kernel let go. */
    public boolean unmount() {
        boolean done = KernelMount.unmount(mountPoint, false);
        if (done) {
            try {
                loop.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return done;
    }

    private void run() {
        serve();
        ending = true;
        for (Thread w : workers) {
            try {
                w.join(30_000);  // a request in progress finishes; its reply after the close would go nowhere
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channel.close();
        log.debug("FUSE session on {} ended", mountPoint);
    }

    /** One worker: reads a request, serves it, until the mount ends; adds a worker when none is left idle. */
    private void serve() {
        try (Arena arena = Arena.ofConfined()) {
            FuseRequest req = new FuseRequest(arena.allocate(MAX_WRITE + Init.PAGE, Init.PAGE));
            FuseReply reply = new FuseReply(channel);
            while (!ending) {
                idle.incrementAndGet();
                int n = channel.read(req.buffer());
                if (idle.decrementAndGet() == 0 && n > 0) {
                    addWorker();
                }
                if (n < 0) {
                    continue;
                }
                if (n == 0) {
                    ending = true;
                    break;
                }
                req.load(n);
                dispatch(req, reply);
            }
        }
    }

    private void dispatch(FuseRequest req, FuseReply reply) {
        reply.start(req.unique());
        switch (req.opcode()) {
            case Fuse.INIT -> {
                log.debug("FUSE INIT on {}: {}", mountPoint, Init.answer(req, reply, want, MAX_WRITE));
            }
            case Fuse.INTERRUPT -> {
                long target = req.i64(0);
                FuseRequest r = inFlight.get(target);
                if (r != null) {
                    r.interrupt(target);
                } else {
                    reply.err(Libc.EAGAIN);  // not read yet, or done: the kernel asks again if it is still waiting
                }
            }
            case Fuse.FORGET -> handler.forget(req.nodeid(), req.i64(0));
            case Fuse.BATCH_FORGET -> {
                int count = req.i32(0);
                for (int i = 0; i < count; i++) {
                    handler.forget(req.i64(8 + 16 * i), req.i64(16 + 16 * i));
                }
            }
            case Fuse.DESTROY -> reply.ok();
            default -> serveRequest(req, reply);
        }
    }

    private void serveRequest(FuseRequest req, FuseReply reply) {
        long unique = req.unique();
        inFlight.put(unique, req);
        try {
            handler.handle(req, reply);
        } catch (Throwable t) {
            log.error("FUSE request {} (opcode {}) failed unexpectedly", unique, req.opcode(), t);
        } finally {
            inFlight.remove(unique);
        }
        if (!reply.sent()) {
            reply.err(EIO);
        }
    }

    private synchronized void addWorker() {
        if (workers.size() + 1 >= MAX_WORKERS || ending) {
            return;
        }
        Thread w = new Thread(this::serve, "fuse-worker-" + (workers.size() + 1) + " " + mountPoint.getFileName());
        w.setDaemon(true);
        workers.add(w);
        w.start();
    }
}
