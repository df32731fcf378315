package io.cairn.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** gRPC channels by HOST:PORT, one per address, shared by every stub of one component. Thread-safe. */
public final class Channels implements AutoCloseable {
    private final int maxInboundBytes;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public Channels(int maxInboundBytes) {
        this.maxInboundBytes = maxInboundBytes;
    }

    public ManagedChannel get(String address) {
        return channels.computeIfAbsent(address, a -> NettyChannelBuilder.forTarget(a)
                .usePlaintext().maxInboundMessageSize(maxInboundBytes).build());
    }

    /** Drops every channel: calls in progress fail. */
    @Override
    public void close() {
        for (ManagedChannel ch : channels.values()) {
            ch.shutdownNow();
        }
        for (ManagedChannel ch : channels.values()) {
            try {
                ch.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channels.clear();
    }
}
