package io.cairn.storage.node;

import io.cairn.client.Channels;
import io.cairn.proto.ChunkRequest;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.StorageServiceGrpc;
import io.cairn.proto.TruncateRequest;
import io.cairn.proto.WriteRequest;
import io.cairn.proto.ZeroRequest;
import io.cairn.storage.replication.Peers;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** {@link Peers} over gRPC: a future stub per call, each with the peer timeout as its deadline. */
final class GrpcPeers implements Peers, AutoCloseable {
    private final Duration timeout;
    private final Channels channels = Channels.awaited(4 << 20);  // answers are only awaited

    GrpcPeers(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Future<StorageReply> replicate(Replica to, WriteRequest r) {
        return stub(to).replicate(r);
    }

    @Override
    public Future<StorageReply> sync(Replica to, ChunkRequest r) {
        return stub(to).sync(r);
    }

    @Override
    public Future<StorageReply> setEpoch(Replica to, ChunkRequest r) {
        return stub(to).setEpoch(r);
    }

    @Override
    public Future<StorageReply> truncate(Replica to, TruncateRequest r) {
        return stub(to).truncate(r);
    }

    @Override
    public Future<ReadReply> read(Replica from, ReadRequest r) {
        return stub(from).read(r);
    }

    @Override
    public Future<StorageReply> zero(Replica to, ZeroRequest r) {
        return stub(to).zero(r);
    }

    private StorageServiceGrpc.StorageServiceFutureStub stub(Replica to) {
        return StorageServiceGrpc.newFutureStub(channels.get(to.getAddress())).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channels.close();
    }
}
