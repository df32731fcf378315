package io.cairn.storage.chunk;

import com.google.protobuf.TextFormat;
import io.cairn.common.CairnException;
import io.cairn.common.DurableFiles;
import io.cairn.common.ErrorCode;
import io.cairn.common.brick.BrickLayout;
import io.cairn.proto.state.BrickIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Brick directories and their identity file: a directory becomes a brick of exactly one volume
 * when it is claimed, and a node opens it only for that volume and brick.
 */
public final class Bricks {
    private Bricks() {
    }

    /**
     * Claims {@code dir} for a new brick: it must exist, be a writable directory and be empty;
     * claiming it again with the same identity is a no-op.
     */
    public static void claim(Path dir, BrickIdentity identity) throws CairnException {
        BrickLayout layout = new BrickLayout(dir);
        checkDirectory(dir);
        BrickIdentity existing = readIdentity(layout);
        if (existing != null) {
            if (sameBrick(existing, identity)) {
                return;
            }
            throw foreign(dir, existing);
        }
        if (!isEmpty(dir)) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "brick directory " + dir
                    + " is not empty; give an empty directory (its content would be mixed with the volume's)");
        }
        try {
            writeIdentity(layout, identity);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.IO_ERROR, "cannot write the identity of brick " + dir + ": " + e, e);
        }
    }

    /** Writes the brick's identity file durably (a power cut leaves the old one or the new one, whole). */
    public static void writeIdentity(BrickLayout layout, BrickIdentity identity) throws IOException {
        DurableFiles.write(layout.identityFile(), TextFormat.printer().printToString(identity));
    }

    /**
     * Gives back a brick claimed for {@code identity} that never held data (volume create
     * rollback): removes its identity file and empty store directories, so the directory is as
     * empty as before the claim. Returns false, touching nothing, if the directory is not that
     * brick; refuses (BUSY) if it holds any file besides the identity.
     */
    public static boolean release(Path dir, BrickIdentity identity) throws CairnException {
        BrickLayout layout = new BrickLayout(dir);
        if (!dir.isAbsolute() || !Files.isDirectory(dir)) {
            return false;
        }
        BrickIdentity existing = readIdentity(layout);
        if (existing == null || !sameBrick(existing, identity)) {
            return false;
        }
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!p.equals(dir)) {
                        dirs.add(p);
                    }
                } else if (!p.equals(layout.identityFile())) {
                    throw new CairnException(ErrorCode.BUSY, "brick " + dir + " holds data (" + dir.relativize(p)
                            + "); it is not released");
                }
            }
            dirs.sort(Comparator.reverseOrder());
            for (Path d : dirs) {
                Files.delete(d);
            }
            Files.delete(layout.identityFile());
        } catch (CairnException e) {
            throw e;
        } catch (IOException e) {
            throw new CairnException(ErrorCode.IO_ERROR, "cannot release brick " + dir + ": " + e, e);
        }
        return true;
    }

    /** Opens a claimed brick, which must belong to {@code expected}'s volume and brick id. */
    public static FileChunkStore open(Path dir, BrickIdentity expected, boolean syncEveryWrite) throws CairnException {
        checkDirectory(dir);
        BrickLayout layout = new BrickLayout(dir);
        BrickIdentity found = readIdentity(layout);
        if (found == null) {
            throw new CairnException(ErrorCode.NOT_FOUND, "directory " + dir + " is not a brick (no "
                    + BrickLayout.IDENTITY_FILE + "); was it replaced or unmounted?");
        }
        if (!sameBrick(found, expected)) {
            throw foreign(dir, found);
        }
        return FileChunkStore.open(dir, syncEveryWrite);
    }

    private static boolean isEmpty(Path dir) throws CairnException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new CairnException(ErrorCode.IO_ERROR, "cannot list brick directory " + dir + ": " + e, e);
        }
    }

    private static boolean sameBrick(BrickIdentity a, BrickIdentity b) {
        return a.getVolumeUuid().equals(b.getVolumeUuid()) && a.getBrickId() == b.getBrickId();
    }

    private static CairnException foreign(Path dir, BrickIdentity owner) {
        return new CairnException(ErrorCode.ALREADY_EXISTS, "directory " + dir + " is already brick "
                + owner.getBrickId() + " of volume " + owner.getVolumeUuid() + "; use another directory");
    }

    private static void checkDirectory(Path dir) throws CairnException {
        if (!dir.isAbsolute()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "brick path " + dir + " must be absolute");
        }
        if (!Files.isDirectory(dir)) {
            throw new CairnException(ErrorCode.NOT_FOUND, "brick directory " + dir + " does not exist; create it first");
        }
        if (!Files.isWritable(dir)) {
            throw new CairnException(ErrorCode.PERMISSION_DENIED, "brick directory " + dir
                    + " is not writable by the storage node; fix its owner or mode");
        }
    }

    /**
     * The brick's identity, or null if the directory has no identity file; an empty or torn one
     * (a power cut before identity files were written durably) is an error naming the way out.
     */
    public static BrickIdentity readIdentity(BrickLayout layout) throws CairnException {
        Path f = layout.identityFile();
        if (!Files.exists(f)) {
            return null;
        }
        String problem;
        try {
            BrickIdentity.Builder b = BrickIdentity.newBuilder();
            TextFormat.merge(Files.readString(f, StandardCharsets.UTF_8), b);
            if (b.getBrickId() != 0 && !b.getVolumeUuid().isEmpty()) {
                return b.build();
            }
            problem = "is empty or torn";
        } catch (IOException e) {
            problem = "is unreadable (" + e.getMessage() + ")";
        }
        throw new CairnException(ErrorCode.IO_ERROR, "brick identity " + f + " " + problem + "; restore it from the pool"
                + " with 'cairn node recover-identity' on the node that serves it");
    }

}
