package io.cairn.bench.suite;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The tree the tar workload unpacks, like a source release: {@code n} files of 256 bytes to
 * 4 KiB of text under {@code tree/dNN/eNN/} (ten leaf directories per middle one, about
 * {@link #FILES_PER_DIR} files per leaf), the same bytes every time: each file's contents come
 * from a seed made of its number.
 */
final class SmallTree {
    static final String TOP = "tree";
    static final int FILES_PER_DIR = 200;
    private static final int LEAVES_PER_MIDDLE = 10;
    private static final int MIN_BYTES = 256;
    private static final int MAX_BYTES = 4096;
    private static final byte[] ALPHABET = "abcdefghijklmnopqrstuvwxyz    ".getBytes();

    private SmallTree() {
    }

    static int leaves(int n) {
        return Math.max(1, (n + FILES_PER_DIR - 1) / FILES_PER_DIR);
    }

    static String leaf(int leaf) {
        return String.format("%s/d%02d/e%02d", TOP, leaf / LEAVES_PER_MIDDLE, leaf % LEAVES_PER_MIDDLE);
    }

    static byte[] content(int file) {
        SplittableRandom random = new SplittableRandom(0x5eedL * 1_000_003 + file);
        byte[] b = new byte[MIN_BYTES + random.nextInt(MAX_BYTES - MIN_BYTES + 1)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 64 == 63) ? (byte) '\n' : ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return b;
    }

    /**
     * Writes the tree of {@code n} files as a tar archive to {@code tarball}, depth first as tar
     * itself would list it (each directory before what it holds); returns the digest of its files
     * relative to the directory it is extracted into.
     */
    static TreeDigest writeTar(int n, Path tarball) throws IOException {
        TreeDigest digest = new TreeDigest();
        int leaves = leaves(n);
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tarball), 1 << 16);
             UstarWriter tar = new UstarWriter(file)) {
            tar.directory(TOP);
            for (int leaf = 0; leaf < leaves; leaf++) {
                if (leaf % LEAVES_PER_MIDDLE == 0) {
                    tar.directory(leaf(leaf).substring(0, leaf(leaf).lastIndexOf('/')));
                }
                tar.directory(leaf(leaf));
                for (int i = leaf; i < n; i += leaves) {
                    String path = String.format("%s/f%05d.txt", leaf(leaf), i);
                    byte[] content = content(i);
                    tar.file(path, content);
                    digest.add(path, content);
                }
            }
        }
        return digest;
    }
}
