package io.cairn.meta.repair;

import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.ReplicaDelete;
import io.cairn.proto.ReplicaReport;
import io.cairn.proto.state.ChunkRecord;

/**
 * What the leader says of one reported replica, from the committed state: keep it, delete it
 * (its chunk is gone, or the replica was dropped from the placement and is behind), treat it as
 * bad (a member of the placement that failed its checksums), or torn (its header is unreadable,
 * so only its chunk id, from the file name, says which chunk it was), or short (a member cut to its
 * intact prefix after a crash that holds less than the chunk's length).
 *
 * <p>A copy that repair is making has the chunk's current epoch but is not yet in the placement:
 * it is kept. A delete is bounded by the reported epoch, so a replica that became a repair copy
 * after the report was taken survives a delete meant for the old one.
 */
public final class ReplicaVerdicts {
    public enum Kind { KEEP, DELETE, BAD, TORN, SHORT }

    public record Verdict(Kind kind, ReplicaDelete delete) {
        static final Verdict KEEP = new Verdict(Kind.KEEP, null);
        static final Verdict BAD = new Verdict(Kind.BAD, null);
        static final Verdict TORN = new Verdict(Kind.TORN, null);
        static final Verdict SHORT = new Verdict(Kind.SHORT, null);
    }

    private ReplicaVerdicts() {
    }

    public static Verdict judge(ReadView v, ReplicaReport r) {
        if (r.getInode() == 0) {
            // A header that cannot be read names no file: the chunk is found by its id at the next
            // repair scan. A sound one without a file position was written by a tool: kept.
            return r.getSuspect() ? Verdict.TORN : Verdict.KEEP;
        }
        ChunkRecord rec = Records.chunk(v, r.getInode(), r.getIndex());
        if (rec == null || rec.getChunkId() != r.getChunkId()) {
            return delete(r);
        }
        boolean member = rec.getPlacementList().contains(r.getBrickId());
        if (member) {
            // A member behind the epoch only missed the epoch change itself (a replica that missed a
            // write is dropped from the placement); the next primary brings it forward.
            if (r.getSuspect()) {
                return Verdict.BAD;
            }
            // Cut to its intact prefix after a crash, and shorter than the chunk: bytes are missing.
            boolean shortAfterCrash = r.getTrimmed() && r.getEpoch() == rec.getEpoch() && r.getLength() < rec.getLength();
            return shortAfterCrash ? Verdict.SHORT : Verdict.KEEP;
        }
        return r.getEpoch() < rec.getEpoch() || r.getSuspect() ? delete(r) : Verdict.KEEP;
    }

    private static Verdict delete(ReplicaReport r) {
        return new Verdict(Kind.DELETE, ReplicaDelete.newBuilder().setBrickId(r.getBrickId())
                .setChunkId(r.getChunkId()).setMaxEpoch(r.getEpoch()).build());
    }
}
