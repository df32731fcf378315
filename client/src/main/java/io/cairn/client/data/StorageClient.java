package io.cairn.client.data;

import io.cairn.proto.IdentifyRequest;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageServiceGrpc;
import io.cairn.client.Channels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connections to storage nodes, one channel per address, shared by all readers and writers; with
 * {@code shortCircuit}, replicas on bricks of this host are read from their files ({@link LocalReads}).
 */
public final class StorageClient implements AutoCloseable {
    private final Duration callTimeout;
    private final Channels channels = Channels.awaited(4 << 20);  // answers are only awaited
    private final LocalReads local;

    public StorageClient(Duration callTimeout) {
        this(callTimeout, false);
    }

    public StorageClient(Duration callTimeout, boolean shortCircuit) {
        this.callTimeout = callTimeout;
        this.local = shortCircuit ? new LocalReads(address -> blocking(address).identify(IdentifyRequest.getDefaultInstance()))
                : null;
    }

    /** A Read of one replica: from this host's files when it can (short-circuit), else from its node. */
    public ReadReply read(Replica r, ReadRequest request) {
        ReadReply here = local == null ? null : local.read(r, request);
        return here != null ? here : blocking(r.getAddress()).read(request.toBuilder().setBrickId(r.getBrickId()).build());
    }

    /** The replicas in the order a reader tries them: those on this host first (short-circuit), then placement order. */
    public List<Replica> readOrder(List<Replica> placement) {
        if (local == null) {
            return placement;
        }
        List<Replica> out = new ArrayList<>(placement);
        out.sort(Comparator.comparing(r -> !local.isLocal(r)));
        return out;
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
