package io.cairn.fuse;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.minicluster.MiniCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Cairn mount for tests: an in-process cluster (3 meta servers, N storage nodes) with one
 * started volume, mounted through FUSE on a temp directory. {@link #mountAnother} mounts the
 * same volume again as a second client (its own caches and connections), for tests of what one
 * client sees of another's changes. Close unmounts everything and stops the cluster.
 */
public final class MountFixture implements AutoCloseable {
    /** Small chunks, so that ordinary test files cross chunk boundaries. */
    public static final long CHUNK_SIZE = 4L << 20;
    public static final String VOLUME = "vol";

    private final MiniCluster cluster;
    private final List<CairnMount> mounts = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    private MountFixture(MiniCluster cluster) {
        this.cluster = cluster;
    }

    public static MountFixture start(int storageNodes, int replica) throws IOException {
        MiniCluster cluster = MiniCluster.builder().metaServers(3).storageNodes(storageNodes).start();
        MountFixture f = new MountFixture(cluster);
        try {
            cluster.createVolume(VOLUME, replica, CHUNK_SIZE);
            cluster.waitForLiveNodes(Duration.ofSeconds(30));
            f.mountAnother();
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** The first mount's root directory. */
    public Path root() {
        return mounts.get(0).mountPoint();
    }

    public MiniCluster cluster() {
        return cluster;
    }

    /** The CairnFs behind the first mount (for tests that call the client library directly). */
    public CairnFs fs() {
        return mounts.get(0).fs();
    }

    /**
     * Mounts the volume once more as another client; returns its root. The mount options are the
     * defaults, or those of the system property {@code cairn.mount.options} ("KEY=VALUE,...";
     * e.g. {@code -Dcairn.mount.options=writeback=off} runs a suite without write-back).
     */
    public Path mountAnother() throws IOException {
        return mountAnother(defaultOptions());
    }

    static FsOptions defaultOptions() {
        FsOptions o = FsOptions.DEFAULTS;
        String spec = System.getProperty("cairn.mount.options", "").trim();
        try {
            for (String kv : spec.isEmpty() ? new String[0] : spec.split(",")) {
                String[] p = kv.split("=", 2);
                o = o.with(p[0], p.length > 1 ? p[1] : "");
            }
        } catch (io.cairn.common.CairnException e) {
            throw new IllegalArgumentException("-Dcairn.mount.options=" + spec + ": " + e.getMessage(), e);
        }
        return o;
    }

    public Path mountAnother(FsOptions options) throws IOException {
        Path dir = Files.createTempDirectory("cairn-mnt-");
        dirs.add(dir);
        CairnFs fs = CairnFs.connect(cluster.metaAddresses(), VOLUME, options);
        try {
            mounts.add(CairnMount.mount(fs, dir, List.of()));
        } catch (IOException | RuntimeException e) {
            fs.close();
            throw e;
        }
        return dir;
    }

    @Override
    public void close() {
        for (CairnMount m : mounts) {
            closeLeftDescriptors(m.mountPoint());
        }
        for (CairnMount m : mounts) {
            try {
                m.close();
            } finally {
                m.fs().close();
            }
        }
        mounts.clear();
        for (Path d : dirs) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException e) {
                // a mount point still busy: leave the empty directory
            }
        }
        cluster.close();
    }

    /**
     * Closes every descriptor this JVM still has open under {@code mountPoint}, naming each: this
     * JVM serves the mount, so a descriptor left open past the unmount would have its close at
     * JVM exit (FLUSH) wait forever for a server that is gone, and the test JVM would never end.
     */
    private static void closeLeftDescriptors(Path mountPoint) {
        String under = mountPoint.toString() + "/";
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue;  // closed meanwhile
                }
                if (target.startsWith(under) || target.equals(mountPoint.toString())) {
                    System.out.printf("[mount] descriptor %s left open on %s: closing it before the unmount%n",
                            fd.getFileName(), target);
                    io.cairn.fuse.posix.NativeSys.INSTANCE.close(Integer.parseInt(fd.getFileName().toString()));
                }
            }
        } catch (IOException | RuntimeException e) {
            System.out.printf("[mount] could not check this JVM's descriptors on %s: %s%n", mountPoint, e);
        }
    }
}
