package io.cairn.powerloss;

import io.cairn.fuse.CairnMount;
import io.cairn.fuse.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link PowerLossFs} mounted over a backing directory: what the processes under test see as
 * their disk. {@link #drop} is the power cut (call it once every process using the mount has been
 * killed); {@link #close} unmounts, lazily when the mount is busy, so a test that fails never
 * leaves a hung mount behind.
 */
public final class PowerLossMount implements AutoCloseable {
    /** No attribute or entry caching (the backing directory is the truth); 128 KiB writes. */
    private static final String[] OPTIONS = {"-o",
        "attr_timeout=0,entry_timeout=0,negative_timeout=0,big_writes,max_write=131072,use_ino,fsname=powerloss"};
    private static final long MOUNT_TIMEOUT_MS = 10_000;

    private final Path backing;
    private final Path mountPoint;
    private PowerLossFs fs;

    private PowerLossMount(Path backing, Path mountPoint) {
        this.backing = backing;
        this.mountPoint = mountPoint;
    }

    /** Mounts the layer over {@code backing} (an existing directory) on {@code mountPoint} (created if missing). */
    public static PowerLossMount mount(Path backing, Path mountPoint) throws IOException {
        Files.createDirectories(mountPoint);
        PowerLossMount m = new PowerLossMount(backing.toAbsolutePath(), mountPoint.toAbsolutePath());
        m.start();
        return m;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    private void start() throws IOException {
        try {
            fs = new PowerLossFs(backing);
            fs.mount(mountPoint, false, false, OPTIONS);
        } catch (UnsatisfiedLinkError e) {
            // The one test tool on libfuse 2 (the Cairn mount needs no library): say what to install.
            throw new IOException("the power-cut passthrough (jnr-fuse) needs libfuse.so.2: apt-get install -y libfuse2"
                    + " (.ci/run installs it)", e);
        }
        long deadline = System.currentTimeMillis() + MOUNT_TIMEOUT_MS;
        while (!MountTable.isMounted(mountPoint)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("the power-loss layer did not mount on " + mountPoint);
            }
            pause();
        }
    }

    /**
     * The power cut: unmounts (the kernel's cached pages go with the mount), puts every file back
     * to its state at its last fsync, and mounts again. Returns how many files lost writes.
     */
    public int drop() throws IOException {
        stop();
        int dropped = fs.dropUnsynced();
        start();
        return dropped;
    }

    private void stop() {
        fs.umount();
        long deadline = System.currentTimeMillis() + MOUNT_TIMEOUT_MS;
        while (MountTable.isMounted(mountPoint) && System.currentTimeMillis() < deadline) {
            pause();
        }
        if (MountTable.isMounted(mountPoint)) {
            CairnMount.lazyUnmount(mountPoint);  // busy: detach it now, the kernel lets go when its users do
        }
    }

    @Override
    public void close() {
        if (fs != null) {
            stop();
            fs = null;
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
