package io.cairn.meta.repair;

import io.cairn.meta.store.ReadView;
import io.cairn.proto.ForgetGarbageRequest;
import io.cairn.proto.GarbageDone;
import io.cairn.proto.HeartbeatRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.ReplicaDelete;
import io.cairn.proto.ReplicaReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The leader's side of a storage node's heartbeat beyond liveness: judges the replicas it
 * reports ({@link ReplicaVerdicts}), hands corrupt ones to the {@link RepairScheduler}, answers
 * with the replicas to delete (stale, dropped, or in the garbage table) and forgets the garbage
 * the node confirms deleted.
 */
public final class ReplicaHousekeeping {
    /** Garbage deletes handed out per heartbeat at most. */
    static final int MAX_GARBAGE_PER_BEAT = 512;

    private final RepairScheduler repair;
    private final Consumer<MetaMutation> propose;

    public ReplicaHousekeeping(RepairScheduler repair, Consumer<MetaMutation> propose) {
        this.repair = repair;
        this.propose = propose;
    }

    /** The deletes to send back to node {@code nodeId}. */
    public List<ReplicaDelete> onHeartbeat(ReadView v, long nodeId, HeartbeatRequest request) {
        Map<String, ReplicaDelete> deletes = new LinkedHashMap<>();
        for (ReplicaReport r : request.getReplicasList()) {
            ReplicaVerdicts.Verdict verdict = ReplicaVerdicts.judge(v, r);
            switch (verdict.kind()) {
                case DELETE -> deletes.put(key(verdict.delete()), verdict.delete());
                case BAD -> repair.reportCorrupt(r.getChunkId(), r.getBrickId());
                case TORN -> repair.reportTorn(r.getChunkId(), r.getBrickId());
                case SHORT -> repair.reportShort(r.getChunkId(), r.getBrickId(), r.getLength());
                case KEEP -> { }
            }
        }
        if (request.getDeletedCount() > 0) {
            ForgetGarbageRequest.Builder f = ForgetGarbageRequest.newBuilder();
            for (ReplicaDelete d : request.getDeletedList()) {
                f.addDone(GarbageDone.newBuilder().setChunkId(d.getChunkId()).setBrickId(d.getBrickId()));
            }
            propose.accept(MetaMutation.newBuilder().setForgetGarbage(f).build());
        }
        java.util.Set<Long> nodeBricks = PoolSnapshot.bricksOf(v, nodeId);
        for (ReplicaDelete d : repair.strayTorn(nodeBricks)) {
            deletes.putIfAbsent(key(d), d);
        }
        for (ReplicaDelete d : GarbageOps.pendingFor(v, nodeBricks, MAX_GARBAGE_PER_BEAT)) {
            deletes.putIfAbsent(key(d), d);
        }
        return new ArrayList<>(deletes.values());
    }

    private static String key(ReplicaDelete d) {
        return d.getBrickId() + "/" + d.getChunkId();
    }
}
