package io.cairn.storage.node;

import com.google.protobuf.TextFormat;
import io.cairn.common.CairnException;
import io.cairn.common.DurableFiles;
import io.cairn.common.ErrorCode;
import io.cairn.proto.BrickUsage;
import io.cairn.proto.state.BrickIdentity;
import io.cairn.storage.chunk.Bricks;
import io.cairn.storage.chunk.FileChunkStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bricks this node serves, by brick id. The list is kept in {@code DATA/bricks} (one
 * {@code path<TAB>identity} line each) so a restarted node opens its bricks without asking
 * anyone; each brick's own identity file is checked at open.
 */
public final class BrickRegistry {
    public record Brick(long id, Path path, BrickIdentity identity, FileChunkStore store) {
    }

    /** Told of every replica change on any brick (see {@link FileChunkStore#onChange}). */
    public interface ChangeListener {
        void changed(long brickId, long chunkId);
    }

    static final String FILE = "bricks";

    private final Path file;
    private final Map<Long, Brick> bricks = new ConcurrentHashMap<>();
    private volatile ChangeListener listener = (b, c) -> { };
    private volatile Runnable fullListener = () -> { };

    private BrickRegistry(Path file) {
        this.file = file;
    }

    public static BrickRegistry open(Path dataDir) throws CairnException {
        BrickRegistry r = new BrickRegistry(dataDir.resolve(FILE));
        if (!Files.exists(r.file)) {
            return r;
        }
        try {
            List<String> lines = Files.readAllLines(r.file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                Brick b = parse(lines.get(i));
                if (b == null) {
                    throw new CairnException(ErrorCode.IO_ERROR, "line " + (i + 1) + " of the brick list " + r.file
                            + " is torn or not a brick; " + NodeIdentity.recoveryHint(dataDir));
                }
                r.bricks.put(b.id(), new Brick(b.id(), b.path(), b.identity(), Bricks.open(b.path(), b.identity(), false)));
            }
        } catch (IOException e) {
            if (e instanceof CairnException ce) {
                throw ce;
            }
            throw new CairnException(ErrorCode.IO_ERROR, "cannot read the brick list " + r.file + ": " + e, e);
        }
        return r;
    }

    /** One line of the list ({@code path<TAB>identity}) with no store yet, or null if it is not one. */
    private static Brick parse(String line) {
        int tab = line.indexOf('\t');
        if (tab <= 0) {
            return null;
        }
        try {
            Path path = Path.of(line.substring(0, tab));
            BrickIdentity.Builder id = BrickIdentity.newBuilder();
            TextFormat.merge(line.substring(tab + 1), id);
            if (!path.isAbsolute() || id.getBrickId() == 0 || id.getVolumeUuid().isEmpty()) {
                return null;
            }
            return new Brick(id.getBrickId(), path, id.build(), null);
        } catch (TextFormat.ParseException | java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** The list's text for these bricks: what {@link #open} reads back. */
    static String format(Iterable<Map.Entry<Path, BrickIdentity>> bricks) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Path, BrickIdentity> b : bricks) {
            sb.append(b.getKey()).append('\t').append(TextFormat.shortDebugString(b.getValue())).append('\n');
        }
        return sb.toString();
    }

    /** Claims the directory for the brick and starts serving it; the same brick again is a no-op. */
    public synchronized Brick add(Path path, BrickIdentity identity) throws CairnException {
        Brick existing = bricks.get(identity.getBrickId());
        if (existing != null) {
            if (existing.path().equals(path) && existing.identity().getVolumeUuid().equals(identity.getVolumeUuid())) {
                return existing;
            }
            throw new CairnException(ErrorCode.ALREADY_EXISTS, "this node serves brick " + identity.getBrickId()
                    + " at " + existing.path() + " already");
        }
        Bricks.claim(path, identity);
        Brick b = new Brick(identity.getBrickId(), path, identity, Bricks.open(path, identity, false));
        listen(b);
        bricks.put(b.id(), b);
        save();
        return b;
    }

    /**
     * Stops serving a brick that holds no data and gives its directory back ({@link
     * Bricks#release}); a brick this node does not serve or has not claimed is a no-op.
     */
    public synchronized void release(Path path, BrickIdentity identity) throws CairnException {
        Brick existing = bricks.get(identity.getBrickId());
        if (existing != null && !(existing.path().equals(path)
                && existing.identity().getVolumeUuid().equals(identity.getVolumeUuid()))) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "this node serves brick " + identity.getBrickId()
                    + " at " + existing.path() + ", not at " + path);
        }
        Bricks.release(path, identity);
        if (existing != null) {
            bricks.remove(identity.getBrickId());
            save();
        }
    }

    /** Sets the listener of replica changes on every brick, those served now and those added later. */
    public synchronized void onChange(ChangeListener l) {
        this.listener = l;
        bricks.values().forEach(this::listen);
    }

    /** Sets what runs when any brick's file system turns out full (see {@link FileChunkStore#onFull}). */
    public synchronized void onFull(Runnable l) {
        this.fullListener = l;
        bricks.values().forEach(this::listen);
    }

    private void listen(Brick b) {
        b.store().onChange(chunkId -> listener.changed(b.id(), chunkId));
        b.store().onFull(() -> fullListener.run());
    }

    public Brick get(long brickId) throws CairnException {
        Brick b = bricks.get(brickId);
        if (b == null) {
            throw new CairnException(ErrorCode.NOT_FOUND, "this node serves no brick " + brickId);
        }
        return b;
    }

    public List<Brick> all() {
        return List.copyOf(bricks.values());
    }

    /** Capacity and free space of every brick, for heartbeats. */
    public List<BrickUsage> usage() {
        List<BrickUsage> out = new ArrayList<>();
        for (Brick b : bricks.values()) {
            try {
                FileStore fs = Files.getFileStore(b.path());
                out.add(BrickUsage.newBuilder().setPath(b.path().toString())
                        .setCapacityBytes(fs.getTotalSpace()).setFreeBytes(fs.getUsableSpace()).build());
            } catch (IOException e) {
                out.add(BrickUsage.newBuilder().setPath(b.path().toString()).build());
            }
        }
        return out;
    }

    private void save() throws CairnException {
        try {
            DurableFiles.write(file, format(bricks.values().stream()
                    .map(b -> Map.entry(b.path(), b.identity())).toList()));
        } catch (IOException e) {
            throw new CairnException(ErrorCode.IO_ERROR, "cannot save the brick list " + file + ": " + e, e);
        }
    }
}
