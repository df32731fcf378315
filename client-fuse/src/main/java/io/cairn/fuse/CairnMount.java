package io.cairn.fuse;

import io.cairn.client.fs.CairnFs;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.fuse.kernel.FuseSession;
import io.cairn.fuse.kernel.KernelMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A volume mounted on a directory through the kernel's FUSE protocol ({@link FuseSession} on
 * /dev/fuse, serving {@link CairnFuse}): mount(2) as root, fuse3's fusermount3 otherwise.
 * Mount options: default_permissions, allow_other when running as root, and the caller's.
 */
public final class CairnMount implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CairnMount.class);
    private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(20);

    private final CairnFs fs;
    private final CairnFuse fuse;
    private final Path mountPoint;
    private FuseSession session;
    private volatile boolean closed;

    private CairnMount(CairnFs fs, Path mountPoint) {
        this.fs = fs;
        this.fuse = new CairnFuse(fs);
        this.mountPoint = mountPoint;
    }

    /** Checks the mount point: it exists, is a directory and nothing is mounted on it yet. */
    public static Path checkMountPoint(Path dir) throws CairnException {
        Path p = dir.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new CairnException(ErrorCode.NOT_FOUND, "mount point " + p + " does not exist; create it with 'mkdir -p " + p + "'");
        }
        if (MountTable.isMounted(p)) {
            String how = MountTable.isCairnMount(p) ? "fusermount -u " : "umount ";
            throw new CairnException(ErrorCode.BUSY, "something is mounted on " + p + " already; unmount it with '" + how
                    + p + "' or choose another directory");
        }
        if (!Files.isDirectory(p)) {
            throw new CairnException(ErrorCode.NOT_A_DIRECTORY, "mount point " + p + " is not a directory");
        }
        return p;
    }

    /**
     * Mounts {@code fs} on {@code dir} and returns once the kernel lists the mount. On failure
     * nothing stays mounted. {@code extraOptions} are passed to FUSE as {@code -o} options.
     */
    public static CairnMount mount(CairnFs fs, Path dir, List<String> extraOptions) throws CairnException {
        Path p = checkMountPoint(dir);
        CairnMount m = new CairnMount(fs, p);
        // default_permissions: the kernel checks access with the attributes it holds, as it must
        // once it keeps names (a path walk through a kept name asks the file system nothing); the
        // meta service checks every change again.
        List<String> opts = new ArrayList<>(List.of("default_permissions",
                "fsname=cairn:" + fs.volume().getName(), "subtype=cairn"));
        if (runningAsRoot()) {
            opts.add("allow_other");
        }
        opts.addAll(extraOptions);
        try {
            m.session = FuseSession.mount(p, opts, m.fuse, 0);
            m.fuse.attach(m.session);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.IO_ERROR, "mounting on " + p + " failed: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + MOUNT_TIMEOUT.toNanos();
        while (!MountTable.isMounted(p)) {
            if (System.nanoTime() > deadline) {
                m.session.unmount();
                throw new CairnException(ErrorCode.TIMEOUT, "the kernel did not list the mount on " + p + " within "
                        + MOUNT_TIMEOUT.toSeconds() + " s");
            }
            pause();
        }
        log.info("volume {} mounted on {} with -o {}", fs.volume().getName(), p, String.join(",", opts));
        return m;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public CairnFs fs() {
        return fs;
    }

    public boolean isMounted() {
        return MountTable.isMounted(mountPoint);
    }

    /** Blocks until the mount is gone (fusermount -u, umount, or {@link #close}). */
    public void awaitUnmounted() {
        while (isMounted() && !closed) {
            pause();
        }
    }

    /** Unmounts (if still mounted) and commits what open files hold; the CairnFs stays the caller's. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (isMounted() && !session.unmount()) {
            // Busy (a process works or has a file open there): detached now; the kernel lets go,
            // and the session ends, when the last of them does.
            lazyUnmount(mountPoint);
        }
        log.info("volume {} unmounted from {}", fs.volume().getName(), mountPoint);
    }

    /** Detaches a mount whose process is gone or stuck ("Transport endpoint is not connected"). */
    public static void lazyUnmount(Path dir) {
        KernelMount.unmount(dir, true);
    }

    static boolean runningAsRoot() {
        try {
            return ProcStatus.effectiveUid(Files.readString(Path.of("/proc/self/status"))) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);  // polling the kernel's mount table: there is no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
