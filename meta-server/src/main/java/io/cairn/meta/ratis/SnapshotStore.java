package io.cairn.meta.ratis;

import io.cairn.meta.store.MetaStore;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots of the meta state as RocksDB checkpoints, one directory per snapshot named
 * {@code <term>_<index>} under {@code snapshots/}. Ratis ships these files to a follower that is
 * too far behind; it replaces the follower's whole snapshot directory, which is why the live
 * database lives elsewhere. Files Ratis adds on receipt ({@code *.md5}) are not part of a snapshot.
 */
final class SnapshotStore implements StateMachineStorage {
    private static final Pattern NAME = Pattern.compile("(\\d+)_(\\d+)");
    /** Keep at least two, so a transfer in flight never loses its files to a newer snapshot. */
    private static final int MIN_RETAINED = 2;

    private final Path snapshotDir;
    private final Path tmpDir;
    private volatile FileListSnapshotInfo latest;

    SnapshotStore(Path dataDir) {
        this.snapshotDir = dataDir.resolve("snapshots");
        this.tmpDir = dataDir.resolve("snapshots-tmp");
    }

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        Files.createDirectories(snapshotDir);
        Files.createDirectories(tmpDir);
        refresh();
    }

    /** Re-reads the snapshot directory: after start, after taking a snapshot, after installing one. */
    void refresh() throws IOException {
        Path newest = null;
        TermIndex newestTi = null;
        for (Path dir : snapshotDirs()) {
            TermIndex ti = termIndexOf(dir);
            if (newestTi == null || ti.getIndex() > newestTi.getIndex()) {
                newest = dir;
                newestTi = ti;
            }
        }
        if (newest == null) {
            latest = null;
            return;
        }
        List<FileInfo> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(newest)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".md5")).sorted().toList()) {
                files.add(new FileInfo(p.toAbsolutePath().normalize(), null));
            }
        }
        latest = files.isEmpty() ? null : new FileListSnapshotInfo(files, newestTi);
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return latest;
    }

    /** The directory of the latest snapshot, or null. */
    Path latestDir() {
        FileListSnapshotInfo l = latest;
        return l == null ? null : snapshotDir.resolve(l.getTerm() + "_" + l.getIndex());
    }

    /** Checkpoints the store as the snapshot at {@code ti}; a no-op if that snapshot exists. */
    void take(MetaStore store, TermIndex ti) throws IOException {
        Path target = snapshotDir.resolve(ti.getTerm() + "_" + ti.getIndex());
        if (Files.exists(target)) {
            return;
        }
        Path partial = snapshotDir.resolve(".partial-" + ti.getTerm() + "_" + ti.getIndex());
        deleteTree(partial);
        store.checkpoint(partial);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        // Ratis purges the log up to a snapshot: the snapshot's name must be on disk first.
        io.cairn.common.DurableFiles.syncDirectory(snapshotDir);
        refresh();
    }

    /**
     * Makes {@code dbDir} a writable copy of the latest snapshot (SST files are hard-linked; they
     * never change). Built beside it and renamed into place, so a crash leaves either the old
     * database or none, which the next start rebuilds.
     */
    void restoreInto(Path dbDir) throws IOException {
        Path source = latestDir();
        Path building = dbDir.resolveSibling(dbDir.getFileName() + ".restoring");
        deleteTree(building);
        Files.createDirectories(building);
        try (Stream<Path> s = Files.walk(source)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".md5")).toList()) {
                Path dest = building.resolve(source.relativize(p).toString());
                Files.createDirectories(dest.getParent());
                if (p.getFileName().toString().endsWith(".sst")) {
                    Files.createLink(dest, p);
                } else {
                    Files.copy(p, dest);
                    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dest,
                            java.nio.file.StandardOpenOption.WRITE)) {
                        ch.force(true);  // the copy must be whole on disk before the rename makes it the database
                    }
                }
            }
        }
        io.cairn.common.DurableFiles.syncDirectory(building);
        deleteTree(dbDir);
        Files.move(building, dbDir, StandardCopyOption.ATOMIC_MOVE);
        io.cairn.common.DurableFiles.syncDirectory(dbDir.toAbsolutePath().getParent());
    }

    @Override
    public void format() {
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        int keep = Math.max(policy.getNumSnapshotsRetained(), MIN_RETAINED);
        List<Path> dirs = new ArrayList<>(snapshotDirs());
        dirs.sort(Comparator.comparingLong((Path d) -> termIndexOf(d).getIndex()).reversed());
        for (int i = keep; i < dirs.size(); i++) {
            deleteTree(dirs.get(i));
        }
    }

    @Override
    public File getSnapshotDir() {
        return snapshotDir.toFile();
    }

    @Override
    public File getTmpDir() {
        return tmpDir.toFile();
    }

    private List<Path> snapshotDirs() throws IOException {
        if (!Files.isDirectory(snapshotDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(snapshotDir)) {
            return s.filter(Files::isDirectory).filter(d -> NAME.matcher(d.getFileName().toString()).matches()).toList();
        }
    }

    private static TermIndex termIndexOf(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a snapshot directory: " + dir);
        }
        return TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
