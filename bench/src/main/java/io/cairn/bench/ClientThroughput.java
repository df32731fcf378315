package io.cairn.bench;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.proto.Credentials;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * Sequential write (then fsync) and read throughput of one client through the client library, no
 * FUSE, against a running cluster: {@code ClientThroughput META_ADDRESSES VOLUME MIB}. Prints
 * {@code write_mib_s=... read_mib_s=...}; bench/client-throughput runs it against `cairn local up`
 * processes next to the same bytes written three times with dd (the 3-replica limit of one disk).
 */
public final class ClientThroughput {
    private static final Credentials ROOT = Credentials.newBuilder().setUid(0).setGid(0).build();
    private static final int O_RDWR = 2;

    private ClientThroughput() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ClientThroughput META_ADDRESSES VOLUME MIB");
            System.exit(2);
        }
        int mib = Integer.parseInt(args[2]);
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (CairnFs fs = CairnFs.connect(args[0], args[1], FsOptions.DEFAULTS)) {
            long h = fs.create(ROOT, fs.root(), "throughput-" + System.nanoTime(), 0100644, O_RDWR);
            CRC32C wrote = new CRC32C();
            long t0 = System.nanoTime();
            for (int i = 0; i < mib; i++) {
                block[0] = (byte) i;
                fs.write(h, (long) i << 20, block, 0, block.length);
                wrote.update(block);
            }
            fs.fsync(h);
            double writeS = (System.nanoTime() - t0) / 1e9;
            CRC32C read = new CRC32C();
            byte[] buf = new byte[1 << 20];
            long t1 = System.nanoTime();
            for (int i = 0; i < mib; i++) {
                int n = fs.read(h, (long) i << 20, buf, buf.length);
                read.update(buf, 0, n);
            }
            double readS = (System.nanoTime() - t1) / 1e9;
            fs.release(h);
            if (read.getValue() != wrote.getValue()) {
                System.err.println("read back differs from what was written");
                System.exit(1);
            }
            System.out.printf("write_mib_s=%.1f read_mib_s=%.1f write_s=%.2f read_s=%.2f%n",
                    mib / writeS, mib / readS, writeS, readS);
        }
    }
}
