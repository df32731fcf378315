package io.cairn.storage.node;

import io.cairn.common.CairnException;
import io.cairn.common.DurableFiles;
import io.cairn.common.ErrorCode;
import io.cairn.proto.state.BrickIdentity;
import io.cairn.common.brick.BrickLayout;
import io.cairn.storage.chunk.Bricks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a storage node's identity files again from what the pool knows of the node (its uuid,
 * and each brick's path, volume uuid and id): {@code DATA/node.id}, {@code DATA/bricks} and each
 * brick's identity file. For a data dir whose files were lost or torn (a power cut before they
 * were written durably, a restored backup). Replicas are not touched; an identity that is intact
 * and agrees is left as it is, and one that names another node or brick is refused.
 */
public final class IdentityRecovery {
    /** A brick of this node as the pool records it. */
    public record KnownBrick(Path path, BrickIdentity identity) {
    }

    /** What was restored or found intact, and what could not be (one line each). */
    public record Outcome(List<String> done, List<String> problems) {
    }

    private IdentityRecovery() {
    }

    public static Outcome recover(Path dataDir, String nodeUuid, List<KnownBrick> bricks) throws CairnException {
        List<String> done = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Path idFile = dataDir.resolve(NodeIdentity.FILE);
        try {
            DurableFiles.createDirectories(dataDir);
            String found = Files.exists(idFile) ? NodeIdentity.read(idFile) : null;
            if (found != null && !found.equals(nodeUuid)) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, idFile + " holds node " + found + ", the pool's node at"
                        + " this address is " + nodeUuid + ": this data dir belongs to another node; give that node's"
                        + " --listen address, or another --data");
            }
            if (found == null) {
                DurableFiles.write(idFile, nodeUuid + "\n");
                done.add(idFile + ": restored (node " + nodeUuid + ")");
            } else {
                done.add(idFile + ": intact");
            }
            List<Map.Entry<Path, BrickIdentity>> kept = new ArrayList<>();
            for (KnownBrick b : bricks) {
                if (restoreBrick(b, done, problems)) {
                    kept.add(Map.entry(b.path(), b.identity()));
                }
            }
            Path list = dataDir.resolve(BrickRegistry.FILE);
            DurableFiles.write(list, BrickRegistry.format(kept));
            done.add(list + ": " + kept.size() + " brick(s) listed");
        } catch (IOException e) {
            if (e instanceof CairnException ce) {
                throw ce;
            }
            throw new CairnException(ErrorCode.IO_ERROR, "cannot restore the identity files under " + dataDir + ": " + e, e);
        }
        return new Outcome(done, problems);
    }

    /** Restores one brick's identity file; false if the brick cannot be served from this directory. */
    private static boolean restoreBrick(KnownBrick b, List<String> done, List<String> problems) throws IOException {
        BrickLayout layout = new BrickLayout(b.path());
        if (!Files.isDirectory(b.path())) {
            problems.add("brick " + b.path() + " (brick " + b.identity().getBrickId() + ") does not exist: left out; mount"
                    + " its disk and run this again, or let self-heal copy its replicas elsewhere");
            return false;
        }
        BrickIdentity found;
        try {
            found = Bricks.readIdentity(layout);
        } catch (CairnException torn) {
            found = null;
        }
        if (found != null && (!found.getVolumeUuid().equals(b.identity().getVolumeUuid())
                || found.getBrickId() != b.identity().getBrickId())) {
            problems.add(layout.identityFile() + " names brick " + found.getBrickId() + " of volume " + found.getVolumeUuid()
                    + ", the pool expects brick " + b.identity().getBrickId() + " of volume "
                    + b.identity().getVolumeUuid() + ": left out, check which disk is mounted there");
            return false;
        }
        if (found == null || !found.equals(b.identity())) {
            Bricks.writeIdentity(layout, b.identity());
            done.add(layout.identityFile() + ": restored (brick " + b.identity().getBrickId() + ")");
        } else {
            done.add(layout.identityFile() + ": intact");
        }
        return true;
    }
}
