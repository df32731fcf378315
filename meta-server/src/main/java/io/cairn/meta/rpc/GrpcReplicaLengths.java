package io.cairn.meta.rpc;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** {@link io.cairn.meta.repair.ReplicaLengths} over gRPC: a Read of no bytes, whose reply carries the replica's length. */
public final class GrpcReplicaLengths implements io.cairn.meta.repair.ReplicaLengths {
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Duration deadline;

    public GrpcReplicaLengths(Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public CompletableFuture<Long> length(ChunkInfo chunk, long chunkSize, int volumeId, long inode, Replica replica) {
        CompletableFuture<Long> out = new CompletableFuture<>();
        if (replica.getAddress().isEmpty()) {
            out.completeExceptionally(new CairnException(ErrorCode.UNAVAILABLE, "brick " + replica.getBrickId() + " has no address"));
            return out;
        }
        ReadRequest read = ReadRequest.newBuilder().setBrickId(replica.getBrickId()).setOffset(0).setLength(0)
                .setTarget(ChunkTarget.newBuilder().setChunkId(chunk.getChunkId()).setEpoch(chunk.getEpoch())
                        .setChunkSize(chunkSize).addAllPlacement(chunk.getPlacementList()).setVolumeId(volumeId)
                        .setInode(inode).setIndex(chunk.getIndex()))
                .build();
        ManagedChannel ch = channels.computeIfAbsent(replica.getAddress(),
                a -> NettyChannelBuilder.forTarget(a).usePlaintext().build());
        StorageServiceGrpc.newStub(ch).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .read(read, new StreamObserver<>() {
                    @Override
                    public void onNext(ReadReply r) {
                        if (r.getCode() == io.cairn.proto.ErrorCode.OK) {
                            out.complete(r.getReplicaLength());
                        } else {
                            out.completeExceptionally(new CairnException(ErrorCode.fromProto(r.getCode()), r.getMessage()));
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        out.completeExceptionally(new CairnException(ErrorCode.UNAVAILABLE,
                                "storage node " + replica.getAddress() + ": " + io.grpc.Status.fromThrowable(t), t));
                    }

                    @Override
                    public void onCompleted() {
                        out.complete(0L);  // no-op if a reply came
                    }
                });
        return out;
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
