package io.cairn.bench;

import io.cairn.client.MetaClient;
import io.cairn.client.admin.StorageNodeCalls;
import io.cairn.client.admin.VolumeAdmin;
import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.minicluster.MiniCluster;
import io.cairn.proto.Credentials;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Small-file creates through the client library on an in-process MiniCluster (3 meta servers,
 * 3 storage nodes, replica 3): create, write 4 KiB, close, one file after another. Prints files
 * per second of several rounds; only same-session ratios mean anything on a shared machine.
 * With {@code ab}, two volumes, inline-size 0 and the default, alternate round by round, and each
 * round also reads its files back through a new client (lookup, open, read 4 KiB, close).
 * Usage: SmallFiles [FILES_PER_ROUND] [ROUNDS] [ab]
 */
public final class SmallFiles {
    private static final Credentials ROOT = Credentials.newBuilder().setUid(0).setGid(0).build();

    private SmallFiles() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean ab = args.length > 2 && args[2].equals("ab");
        byte[] data = new byte[4096];
        new Random(1).nextBytes(data);
        try (MiniCluster cluster = MiniCluster.builder().metaServers(3).storageNodes(3).start()) {
            cluster.createVolume("small", 3, 64L << 20);
            if (ab) {
                cluster.createVolume("small-off", 3, 64L << 20);
                try (MetaClient meta = cluster.newMetaClient(); StorageNodeCalls calls = new StorageNodeCalls()) {
                    new VolumeAdmin(meta, calls).set("small-off", "inline-size", "0");
                }
            }
            cluster.waitForLiveNodes(Duration.ofSeconds(30));
            List<String> volumes = ab ? List.of("small-off", "small") : List.of("small");
            for (int r = 0; r <= rounds; r++) {
                for (String volume : volumes) {
                    String round = (r == 0 ? "warm-up" : "round " + r) + " " + volume;
                    long dir;
                    try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), volume, FsOptions.DEFAULTS)) {
                        dir = fs.mkdir(ROOT, fs.root(), "round-" + r, 0755).getInode();
                        long t0 = System.nanoTime();
                        for (int i = 0; i < files; i++) {
                            long h = fs.create(ROOT, dir, "f" + i, 0100644, 2);
                            fs.write(h, 0, data, 0, data.length);
                            fs.release(h);
                        }
                        report(round, "created", files, t0);
                    }
                    if (ab) {
                        try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), volume, FsOptions.DEFAULTS)) {
                            byte[] back = new byte[data.length];
                            long t0 = System.nanoTime();
                            for (int i = 0; i < files; i++) {
                                long h = fs.open(ROOT, fs.lookup(ROOT, dir, "f" + i).getInode(), 0);
                                if (fs.read(h, 0, back, back.length) != back.length) {
                                    throw new IllegalStateException("short read of " + volume + " f" + i);
                                }
                                fs.release(h);
                            }
                            report(round, "read", files, t0);
                        }
                    }
                }
            }
        }
    }

    private static void report(String round, String what, int files, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %d files of 4 KiB %s: %.0f files/s (%.2f ms each)%n", round, files, what, files / s,
                s * 1000 / files);
    }
}
