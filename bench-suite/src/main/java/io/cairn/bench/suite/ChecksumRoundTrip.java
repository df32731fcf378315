package io.cairn.bench.suite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Data integrity through the whole stack: random bytes (every piece different, so a store that
 * returns the wrong piece is caught) are written and hashed with SHA-256, synced, read back
 * after dropping the caches, hashed again and compared. The figure is the round trip's rate,
 * hashing included; the check is whether the hashes match.
 */
public final class ChecksumRoundTrip implements Workload {
    @Override
    public String name() {
        return "checksum";
    }

    @Override
    public void run(WorkloadContext ctx) throws IOException {
        long total = ctx.sizes().checksumBytes();
        Path file = ctx.dir().resolve("checksum.dat");
        SplittableRandom random = new SplittableRandom(7);
        byte[] piece = new byte[SuiteSizes.PIECE];
        ByteBuffer buf = ByteBuffer.allocateDirect(SuiteSizes.PIECE);
        MessageDigest written = sha256();

        ctx.step("write " + total / (1 << 20) + " MiB of random data, fsync");
        long start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < total; ) {
                int n = (int) Math.min(piece.length, total - done);
                random.nextBytes(piece);
                written.update(piece, 0, n);
                Io.writeFully(ch, buf.clear().put(piece, 0, n).flip());
                done += n;
                ctx.advance(done, total);
            }
            ch.force(true);
        }
        long writeNanos = System.nanoTime() - start;

        ctx.dropCaches();
        ctx.step("read back and compare");
        MessageDigest read = sha256();
        long bytes = 0;
        start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int n; (n = ch.read(buf.clear())) >= 0; ) {
                read.update(buf.flip());
                bytes += n;
                ctx.advance(bytes, total);
            }
        }
        long readNanos = System.nanoTime() - start;
        ctx.figure("round trip", Rates.mibPerSecond(total, writeNanos + readNanos), "MiB/s", Better.HIGHER);
        ctx.check("sha256 matches", bytes == total && Arrays.equals(written.digest(), read.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
