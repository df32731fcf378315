package io.cairn.meta.repair;

import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.ReplicaDelete;
import io.cairn.proto.ReplicaReport;
import io.cairn.proto.state.ChunkRecord;

/**
 * What the leader says of one reported replica, from the committed state: keep it, delete it
 * (its chunk is gone, or the replica was dropped from the placement and is behind), or treat it as
 * bad (a member of the placement that failed its checksums).
 *
 * <p>A copy that repair is making has the chunk's current epoch but is not yet in the placement:
 * it is kept. A delete is bounded by the reported epoch, so a replica that became a repair copy
 * after the report was taken survives a delete meant for the old one.
 */
public final class ReplicaVerdicts {
    public enum Kind { KEEP, DELETE, BAD }

    public record Verdict(Kind kind, ReplicaDelete delete) {
        static final Verdict KEEP = new Verdict(Kind.KEEP, null);
        static final Verdict BAD = new Verdict(Kind.BAD, null);
    }

    private ReplicaVerdicts() {
    }

    public static Verdict judge(ReadView v, ReplicaReport r) {
        if (r.getInode() == 0) {
            return Verdict.KEEP;  // written without its file position: nothing to compare with
        }
        ChunkRecord rec = Records.chunk(v, r.getInode(), r.getIndex());
        if (rec == null || rec.getChunkId() != r.getChunkId()) {
            return delete(r);
        }
        boolean member = rec.getPlacementList().contains(r.getBrickId());
        if (member) {
            // A member behind the epoch only missed the epoch change itself (a replica that missed a
            // write is dropped from the placement); the next primary brings it forward.
            return r.getSuspect() ? Verdict.BAD : Verdict.KEEP;
        }
        return r.getEpoch() < rec.getEpoch() || r.getSuspect() ? delete(r) : Verdict.KEEP;
    }

    private static Verdict delete(ReplicaReport r) {
        return new Verdict(Kind.DELETE, ReplicaDelete.newBuilder().setBrickId(r.getBrickId())
                .setChunkId(r.getChunkId()).setMaxEpoch(r.getEpoch()).build());
    }
}
