package io.cairn.client.data;

import io.cairn.proto.StorageServiceGrpc;
import io.cairn.client.Channels;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Connections to storage nodes, one channel per address, shared by all readers and writers. */
public final class StorageClient implements AutoCloseable {
    private final Duration callTimeout;
    private final Channels channels = Channels.awaited(4 << 20);  // answers are only awaited

    public StorageClient(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    public StorageServiceGrpc.StorageServiceFutureStub async(String address) {
        return StorageServiceGrpc.newFutureStub(channels.get(address)).withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public StorageServiceGrpc.StorageServiceBlockingStub blocking(String address) {
        return StorageServiceGrpc.newBlockingStub(channels.get(address)).withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channels.close();
    }
}
