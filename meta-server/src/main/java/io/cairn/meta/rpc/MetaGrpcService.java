package io.cairn.meta.rpc;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.MetaApplier;
import io.cairn.meta.locks.ClientLeases;
import io.cairn.meta.namespace.LeaseTargets;
import io.cairn.meta.pool.NodeLiveness;
import io.cairn.meta.pool.PoolOps;
import io.cairn.meta.pool.VolumeOps;
import io.cairn.meta.repair.RepairScheduler;
import io.cairn.meta.repair.ReplicaHousekeeping;
import io.cairn.meta.ratis.RaftGateway;
import io.cairn.meta.store.ReadView;
import io.cairn.proto.HeartbeatReply;
import io.cairn.proto.HeartbeatRequest;
import io.cairn.proto.Lease;
import io.cairn.proto.MetaReply;
import io.cairn.proto.MetaServiceGrpc;
import io.cairn.proto.MutateRequest;
import io.cairn.proto.QueryRequest;
import io.cairn.proto.state.LoggedMutation;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The MetaService on one meta server: thin. Followers answer NOT_LEADER with the leader's
 * address; the leader prepares mutations, hands them to the {@link Proposer} and answers queries
 * through Ratis's linearizable read path.
 */
public final class MetaGrpcService extends MetaServiceGrpc.MetaServiceImplBase {
    private final RaftGateway raft;
    private final Proposer proposer;
    private final LeaderPrep prep;
    private final NodeLiveness liveness;
    private final Supplier<ReadView> committed;
    private final ReplicaHousekeeping housekeeping;
    private final RepairScheduler repair;
    private final ClientLeases leases;
    private final CommitBacking backing;
    private final LeaseRecalls recalls;

    public MetaGrpcService(RaftGateway raft, Proposer proposer, LeaderPrep prep, NodeLiveness liveness,
                           Supplier<ReadView> committed, ReplicaHousekeeping housekeeping, RepairScheduler repair,
                           ClientLeases leases, CommitBacking backing, LeaseRecalls recalls) {
        this.backing = backing;
        this.recalls = recalls;
        this.raft = raft;
        this.proposer = proposer;
        this.prep = prep;
        this.liveness = liveness;
        this.committed = committed;
        this.housekeeping = housekeeping;
        this.repair = repair;
        this.leases = leases;
    }

    @Override
    public void mutate(MutateRequest request, StreamObserver<MetaReply> out) {
        CompletableFuture<MetaReply> reply;
        try {
            if (!MetaApplier.validClientId(request.getClientId())) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "client id must be 16 bytes");
            }
            requireCredentials(request.hasCred());
            if (request.getMutation().getOpCase() == io.cairn.proto.MetaMutation.OpCase.OP_NOT_SET) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "the mutation names no operation");
            }
            requireLeader();
            if (settles(request.getMutation())) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "CommitWrite.settles is set by the meta leader only; "
                        + "leave it empty");
            }
            if (request.getMutation().hasSetLock()) {
                if (!request.getMutation().getSetLock().getLock().getClientId().equals(request.getClientId())) {
                    throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a lock must be held by the calling client");
                }
                leases.renew(request.getClientId());
                io.cairn.meta.locks.LockOps.precheck(committed.get(), request.getMutation().getSetLock());
            }
            LoggedMutation logged = LoggedMutation.newBuilder()
                    .setClientId(request.getClientId())
                    .setCallId(request.getCallId())
                    .setCred(request.getCred())
                    .setMutation(prep.prepare(request.getMutation()))
                    .build();
            if (request.getClientId().size() == 16) {
                leases.renew(request.getClientId());  // any call shows the client alive
            }
            reply = recalls.clear(request.getClientId(), LeaseTargets.of(committed.get(), request.getMutation()),
                            LeaseTargets.reads(request.getMutation()))
                    .thenCompose(free -> backed(request.getMutation()))
                    .thenCompose(ok -> proposer.submit(logged))
                    .whenComplete((r, e) -> recalls.recheck());
        } catch (CairnException e) {
            reply = CompletableFuture.completedFuture(Proposer.failure(e));
        }
        respond(reply, out);
    }

    private static boolean settles(io.cairn.proto.MetaMutation m) {
        return m.getCommitWrite().getSettles().size() > 0
                || m.getBatch().getOpsList().stream().anyMatch(op -> settles(op.getMutation()));
    }

    /** Done when every commit of written bytes in the mutation (a batch may hold several) is backed by its primary. */
    private CompletableFuture<Void> backed(io.cairn.proto.MetaMutation m) {
        if (m.hasCommitWrite()) {
            return backing.verify(m.getCommitWrite());
        }
        if (!m.hasBatch()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(m.getBatch().getOpsList().stream()
                .filter(op -> op.getMutation().hasCommitWrite())
                .map(op -> backing.verify(op.getMutation().getCommitWrite()))
                .toArray(CompletableFuture[]::new));
    }

    @Override
    public void query(QueryRequest request, StreamObserver<MetaReply> out) {
        CompletableFuture<MetaReply> reply;
        try {
            requireCredentials(request.hasCred());
            requireLeader();
            if (request.getQuery().hasHealInfo()) {
                respond(CompletableFuture.completedFuture(healInfo(request.getQuery().getHealInfo().getVolume())), out);
                return;
            }
            if (request.getQuery().hasCheckChunk()) {
                io.cairn.proto.CheckChunkRequest c = request.getQuery().getCheckChunk();
                repair.checkChunk(c.getVolumeId(), c.getInode(), c.getIndex(), c.getChunkId());
                respond(CompletableFuture.completedFuture(MetaReply.getDefaultInstance()), out);
                return;
            }
            if (request.getQuery().hasKeepAlive()) {
                respond(CompletableFuture.completedFuture(keepAlive(request.getQuery().getKeepAlive().getClientId())), out);
                return;
            }
            if (!MetaApplier.validClientId(request.getClientId())) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "client id must be 16 bytes");
            }
            reply = recalls.clear(request.getClientId(), java.util.Set.of(), LeaseTargets.of(committed.get(), request.getQuery()))
                    .thenCompose(free -> raft.read(request.toByteArray())).thenApply(bytes -> {
                try {
                    return MetaReply.parseFrom(bytes);
                } catch (Exception e) {
                    return Proposer.failure(new CairnException(ErrorCode.INTERNAL, "bad query reply: " + e));
                }
            });
        } catch (CairnException e) {
            reply = CompletableFuture.completedFuture(Proposer.failure(e));
        }
        respond(reply, out);
    }

    /** From the leader's repair scheduler: soft state, not in the replicated state machine. */
    private MetaReply healInfo(String volume) throws CairnException {
        int id = VolumeOps.existing(committed.get(), volume);
        return MetaReply.newBuilder().setHealInfo(repair.healInfo(id, volume)).build();
    }

    /** From the leader's client leases: soft state, not in the replicated state machine. */
    private MetaReply keepAlive(com.google.protobuf.ByteString clientId) throws CairnException {
        if (clientId.size() != 16) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "client id must be 16 bytes");
        }
        return MetaReply.newBuilder().setLease(Lease.newBuilder().setLeaseMs(leases.renew(clientId).toMillis())).build();
    }

    private static void respond(CompletableFuture<MetaReply> reply, StreamObserver<MetaReply> out) {
        reply.whenComplete((r, e) -> {
            out.onNext(e != null ? Proposer.failure(e) : r);
            out.onCompleted();
        });
    }

    /** A client's session stream: lease recalls reach it here. */
    @Override
    public void session(io.cairn.proto.SessionRequest request, StreamObserver<io.cairn.proto.SessionEvent> out) {
        io.grpc.stub.ServerCallStreamObserver<io.cairn.proto.SessionEvent> stream =
                (io.grpc.stub.ServerCallStreamObserver<io.cairn.proto.SessionEvent>) out;
        if (request.getClientId().size() != 16) {
            out.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription("client id must be 16 bytes").asRuntimeException());
            return;
        }
        if (!raft.isLeader()) {
            out.onError(io.grpc.Status.UNAVAILABLE.withDescription("not the leader; the leader is at "
                    + raft.leaderAddress().orElse("(unknown)")).asRuntimeException());
            return;
        }
        leases.renew(request.getClientId());
        recalls.open(request.getClientId(), stream);
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatReply> out) {
        HeartbeatReply.Builder reply = HeartbeatReply.newBuilder();
        if (!raft.isLeader()) {
            reply.setLeaderAddress(raft.leaderAddress().orElse(""));
        } else {
            reply.setLeader(true);
            long nodeId = PoolOps.nodeIdOf(committed.get(), request.getUuid());
            if (nodeId != 0) {
                liveness.heartbeat(nodeId, request);
                reply.setMember(true).setNodeId(nodeId)
                        .addAllDeletes(housekeeping.onHeartbeat(committed.get(), nodeId, request));
            }
        }
        out.onNext(reply.build());
        out.onCompleted();
    }

    /** An absent caller must not silently become uid 0, which is what a default message would say. */
    private static void requireCredentials(boolean present) throws CairnException {
        if (!present) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "the request carries no caller credentials (uid, gid)");
        }
    }

    private void requireLeader() throws CairnException {
        if (!raft.isLeader()) {
            throw new io.cairn.common.NotLeaderException("this meta server is not the leader",
                    raft.leaderAddress().orElse(""));
        }
    }
}
