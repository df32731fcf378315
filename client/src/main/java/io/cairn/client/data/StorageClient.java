package io.cairn.client.data;

import io.cairn.proto.StorageServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Connections to storage nodes, one channel per address, shared by all readers and writers. */
public final class StorageClient implements AutoCloseable {
    private final Duration callTimeout;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public StorageClient(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    private ManagedChannel channel(String address) {
        return channels.computeIfAbsent(address, a -> NettyChannelBuilder.forTarget(a)
                .usePlaintext().maxInboundMessageSize(4 << 20).build());
    }

    StorageServiceGrpc.StorageServiceFutureStub async(String address) {
        return StorageServiceGrpc.newFutureStub(channel(address)).withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    StorageServiceGrpc.StorageServiceBlockingStub blocking(String address) {
        return StorageServiceGrpc.newBlockingStub(channel(address)).withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
