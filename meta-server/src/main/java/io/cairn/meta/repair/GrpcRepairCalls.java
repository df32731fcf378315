package io.cairn.meta.repair;

import io.cairn.proto.ErrorCode;
import io.cairn.proto.RepairRequest;
import io.cairn.proto.StorageReply;
import io.cairn.proto.StorageServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** {@link RepairCalls} over gRPC, one channel per storage node address. */
public final class GrpcRepairCalls implements RepairCalls {
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    @Override
    public StorageReply repair(String address, RepairRequest request, Duration deadline) {
        ManagedChannel ch = channels.computeIfAbsent(address, a -> NettyChannelBuilder.forTarget(a).usePlaintext().build());
        try {
            return StorageServiceGrpc.newBlockingStub(ch).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .repair(request);
        } catch (StatusRuntimeException e) {
            return StorageReply.newBuilder().setCode(ErrorCode.UNAVAILABLE)
                    .setMessage("storage node " + address + ": " + e.getStatus()).build();
        }
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
