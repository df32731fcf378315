package io.cairn.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code sync; echo 3 > /proc/sys/vm/drop_caches}: page cache, dentries and inodes. */
public final class KernelCaches implements CacheDropper {
    private static final Path DROP = Path.of("/proc/sys/vm/drop_caches");

    private String failure;

    @Override
    public boolean drop() {
        if (failure != null) {
            return false;  // refused once, refused always: do not pay for sync again
        }
        try {
            Process sync = new ProcessBuilder("sync").inheritIO().start();
            if (sync.waitFor() != 0) {
                failure = "sync exited " + sync.exitValue();
                return false;
            }
            Files.writeString(DROP, "3\n");
            return true;
        } catch (IOException e) {
            failure = DROP + " not writable (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); run as root outside a read-only /proc/sys to drop caches";
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
            return false;
        }
    }

    @Override
    public String note() {
        return failure == null ? "sync; echo 3 > " + DROP + " before each read phase" : "caches not dropped: " + failure;
    }
}
