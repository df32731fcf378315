package io.cairn.cli;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.minicluster.MiniCluster;
import io.cairn.proto.Credentials;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code cairn jvm-cache-train}: the training run of the JVM's ahead-of-time cache (JDK 25's
 * AOT cache with method profiles, JEP 514/515). The launcher runs it once per build under
 * {@code -XX:AOTCacheOutput} and then starts every cairn process with the cache, so a fresh
 * server or mount starts with its classes loaded and linked and with profiles of the hot paths,
 * and the JIT compiles them at once instead of after a minute of slow running.
 *
 * <p>The run is what a cluster does, in one JVM: three meta servers and three storage nodes
 * (MiniCluster), a replica-3 volume, and a client (the mount's file system without FUSE) writing
 * sequentially, appending with fdatasync, writing and reading at random and making and removing
 * small files and directories. Hidden: nothing else needs it.
 */
@Command(name = "jvm-cache-train", hidden = true,
        description = "Training run for the JVM's ahead-of-time cache (the launcher runs it; see README).")
final class JvmCacheTrainCommand implements Callable<Integer> {
    private static final Credentials ROOT = Credentials.getDefaultInstance();
    private static final int O_RDWR = 2;

    @Override
    public Integer call() throws Exception {
        // MiniCluster makes its own temporary directory and removes it on close.
        try (MiniCluster cluster = MiniCluster.builder().metaServers(3).storageNodes(3).start()) {
            cluster.waitForLeader(Duration.ofSeconds(60));
            cluster.waitForLiveNodes(Duration.ofSeconds(60));
            cluster.createVolume("train", 3, 8L << 20);
            try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), "train", FsOptions.DEFAULTS)) {
                for (int round = 0; round < 3; round++) {
                    workload(fs, round);
                }
            }
        }
        return 0;
    }

    /** One round of the data and namespace paths a mount drives. */
    private static void workload(CairnFs fs, int round) throws Exception {
        long root = fs.root();
        long dir = fs.mkdir(ROOT, root, "round" + round, 0755).getInode();
        Random random = new Random(round);
        byte[] piece = new byte[1 << 20];
        random.nextBytes(piece);

        long seq = fs.create(ROOT, dir, "sequential", 0644, O_RDWR);
        for (int i = 0; i < 48; i++) {
            fs.write(seq, (long) i * piece.length, piece, 0, piece.length);
        }
        fs.fsync(seq);
        byte[] back = new byte[1 << 20];
        for (int i = 0; i < 48; i++) {
            fs.read(seq, (long) i * back.length, back, back.length);
        }
        for (int i = 0; i < 2_000; i++) {
            long at = (long) random.nextInt(48 << 8) << 12;
            if (i % 2 == 0) {
                fs.write(seq, at, piece, 0, 4096);
            } else {
                fs.read(seq, at, back, 4096);
            }
        }
        fs.fsync(seq);
        fs.release(seq);

        long log = fs.create(ROOT, dir, "appends", 0644, O_RDWR);
        for (int i = 0; i < 1_500; i++) {
            fs.write(log, (long) i * 4096, piece, 0, 4096);
            fs.fdatasync(log);
        }
        fs.release(log);

        long small = fs.mkdir(ROOT, dir, "small", 0755).getInode();
        for (int i = 0; i < 400; i++) {
            long h = fs.create(ROOT, small, "f" + i, 0644, O_RDWR);
            fs.write(h, 0, piece, 0, 4096);
            fs.release(h);
        }
        for (var e : fs.readdir(ROOT, small)) {
            fs.getattr(ROOT, e.getInode());
        }
        for (int i = 0; i < 400; i++) {
            fs.rename(ROOT, small, "f" + i, small, "g" + i, 0);
            fs.unlink(ROOT, small, "g" + i);
        }
        fs.rmdir(ROOT, dir, "small");
        fs.unlink(ROOT, dir, "sequential");
        fs.unlink(ROOT, dir, "appends");
        fs.rmdir(ROOT, root, "round" + round);
    }
}
