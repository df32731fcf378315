package io.cairn.storage.node;

import io.cairn.common.CairnException;
import io.cairn.common.DurableFiles;
import io.cairn.common.ErrorCode;
import io.cairn.common.brick.BrickLayout;
import io.cairn.storage.chunk.ChunkStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node tells a crash from a clean stop, and what it checks after one. {@code DATA/running}
 * exists while the node runs: made at start, its modification time moved forward after every
 * background sync pass, removed at a clean stop. Found at start, it means the node stopped without
 * syncing: replicas changed after the last sync pass (by their files' times, with a margin; a lost
 * time update only makes the check wider) may have lost bytes, so each is cut to its intact prefix
 * ({@link ChunkStore#trimToIntactPrefix}) and reported; the meta leader then repairs it from a
 * longer replica or, if none has more, cuts the chunk's length to what survived.
 */
final class CrashRecovery {
    private static final Logger log = LoggerFactory.getLogger(CrashRecovery.class);
    static final String MARKER = "running";

    private final Path marker;
    /** When the last sync pass before the crash started at the latest; null after a clean stop. */
    private final Instant crashedAfter;

    private CrashRecovery(Path marker, Instant crashedAfter) {
        this.marker = marker;
        this.crashedAfter = crashedAfter;
    }

    /** Reads what the last run left and marks this one as running. */
    static CrashRecovery start(Path dataDir, Duration syncInterval) throws CairnException {
        Path marker = dataDir.resolve(MARKER);
        try {
            Instant since = null;
            if (Files.exists(marker)) {
                since = Files.getLastModifiedTime(marker).toInstant().minus(syncInterval).minusSeconds(2);
            }
            DurableFiles.write(marker, "");
            return new CrashRecovery(marker, since);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.IO_ERROR, "cannot write " + marker + ": " + e.getMessage()
                    + " (the data dir must be writable)", e);
        }
    }

    /** After a sync pass: everything changed before it is on disk. */
    void synced(Instant passStart) {
        try {
            Files.setLastModifiedTime(marker, FileTime.from(passStart));
        } catch (IOException e) {
            log.warn("cannot update {}: {}", marker, e.getMessage());
        }
    }

    /** At a clean stop, after the last sync: the next start needs no check. */
    void stopped() {
        try {
            Files.deleteIfExists(marker);
            DurableFiles.syncDirectory(marker.getParent());
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", marker, e.getMessage());
        }
    }

    /** Checks the replicas of each brick changed since the last sync pass before the crash; returns how many were cut. */
    int check(String who, List<BrickRegistry.Brick> bricks) {
        if (crashedAfter == null) {
            return 0;
        }
        int checked = 0;
        int cut = 0;
        for (BrickRegistry.Brick b : bricks) {
            BrickLayout layout = b.store().layout();
            try (DirectoryStream<Path> shards = Files.newDirectoryStream(layout.chunksDir())) {
                for (Path shard : shards) {
                    try (DirectoryStream<Path> metas = Files.newDirectoryStream(shard, "*.meta")) {
                        for (Path meta : metas) {
                            long id = BrickLayout.chunkIdOf(meta.getFileName().toString());
                            if (id == -1 || !changedSince(meta, layout.dataFile(id))) {
                                continue;
                            }
                            checked++;
                            if (b.store().trimToIntactPrefix(id).isPresent()) {
                                cut++;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                log.warn("{} check of brick {} after a crash failed: {}", who, b.path(), e.getMessage());
            }
        }
        log.info("{} stopped without a sync (a crash or power cut): checked {} replicas changed since {}, {} cut to"
                + " their intact prefix", who, checked, crashedAfter, cut);
        return cut;
    }

    private boolean changedSince(Path meta, Path data) throws IOException {
        FileTime since = FileTime.from(crashedAfter);
        return Files.getLastModifiedTime(meta).compareTo(since) >= 0
                || Files.exists(data) && Files.getLastModifiedTime(data).compareTo(since) >= 0;
    }
}
