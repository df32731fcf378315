package io.cairn.bench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a tree of files holds, as one SHA-256 over each file's path (relative, '/'-separated)
 * and the SHA-256 of its contents, in path order: equal for two trees exactly when they have
 * the same files with the same bytes (directories and metadata are not compared).
 */
final class TreeDigest {
    private final Map<String, byte[]> files = new TreeMap<>();

    void add(String path, byte[] content) {
        if (files.put(path, sha256().digest(content)) != null) {
            throw new IllegalArgumentException("file added twice: " + path);
        }
    }

    int count() {
        return files.size();
    }

    String hex() {
        MessageDigest all = sha256();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            all.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(e.getValue());
        }
        return HexFormat.of().formatHex(all.digest());
    }

    /** Reads every regular file under {@code root}; {@code progress} counts them. */
    static TreeDigest of(Path root, WorkloadContext ctx, int expected) throws IOException {
        TreeDigest d = new TreeDigest();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                d.add(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                ctx.advance(d.count(), expected);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return d;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
