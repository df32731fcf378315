package io.cairn.bench;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.minicluster.MiniCluster;
import io.cairn.proto.Credentials;
import java.time.Duration;
import java.util.Random;

/**
 * Small-file creates through the client library on an in-process MiniCluster (3 meta servers,
 * 3 storage nodes, replica 3): create, write 4 KiB, close, one file after another. Prints files
 * per second of several rounds; only same-session ratios mean anything on a shared machine.
 * Usage: SmallFiles [FILES_PER_ROUND] [ROUNDS]
 */
public final class SmallFiles {
    private static final Credentials ROOT = Credentials.newBuilder().setUid(0).setGid(0).build();

    private SmallFiles() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[] data = new byte[4096];
        new Random(1).nextBytes(data);
        try (MiniCluster cluster = MiniCluster.builder().metaServers(3).storageNodes(3).start()) {
            cluster.createVolume("small", 3, 64L << 20);
            cluster.waitForLiveNodes(Duration.ofSeconds(30));
            try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), "small", FsOptions.DEFAULTS)) {
                for (int r = 0; r <= rounds; r++) {
                    long dir = fs.mkdir(ROOT, fs.root(), "round-" + r, 0755).getInode();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < files; i++) {
                        long h = fs.create(ROOT, dir, "f" + i, 0100644, 2);
                        fs.write(h, 0, data, 0, data.length);
                        fs.release(h);
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("%s %d files of 4 KiB: %.0f files/s (%.2f ms each)%n",
                            r == 0 ? "warm-up" : "round " + r, files, files / s, s * 1000 / files);
                }
            }
        }
    }
}
