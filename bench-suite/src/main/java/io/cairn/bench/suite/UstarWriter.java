package io.cairn.bench.suite;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a POSIX ustar archive of directories and regular files, byte for byte the same for the
 * same entries: every entry has one fixed time, owner root:root, and mode 0755 or 0644. Names
 * must be ASCII and fit the 100-byte name field (the workloads' trees do); not thread-safe.
 */
final class UstarWriter implements AutoCloseable {
    private static final int BLOCK = 512;
    /** GNU tar's default record: 20 blocks; the archive is padded to a whole record. */
    private static final int RECORD = 20 * BLOCK;
    /** 2026-11-24T18:00:00Z, the time the git workload's commits carry too. */
    static final long MTIME = 1_795_888_800L;

    private final OutputStream out;
    private long written;

    UstarWriter(OutputStream out) {
        this.out = out;
    }

    /** A directory entry; {@code path} without the trailing slash. */
    void directory(String path) throws IOException {
        header(path + "/", 0755, 0, '5');
    }

    void file(String path, byte[] content) throws IOException {
        header(path, 0644, content.length, '0');
        write(content);
        write(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
    }

    /** Two zero blocks, then zeros to the end of the record. Does not close the stream. */
    @Override
    public void close() throws IOException {
        write(new byte[2 * BLOCK]);
        write(new byte[(int) ((RECORD - written % RECORD) % RECORD)]);
        out.flush();
    }

    private void header(String name, int mode, long size, char type) throws IOException {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length > 100) {
            throw new IllegalArgumentException("name longer than 100 bytes: " + name);
        }
        System.arraycopy(n, 0, h, 0, n.length);
        put(h, 100, String.format("%07o", mode));
        put(h, 108, "0000000");  // uid
        put(h, 116, "0000000");  // gid
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", MTIME));
        put(h, 148, "        ");  // the checksum counts its own field as spaces
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        put(h, 265, "root");
        put(h, 297, "root");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        write(h);
    }

    private static void put(byte[] h, int at, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }
}
