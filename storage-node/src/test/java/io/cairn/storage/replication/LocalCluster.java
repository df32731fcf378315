package io.cairn.storage.replication;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.cairn.common.CairnException;
import io.cairn.common.Crc32c;
import io.cairn.common.ErrorCode;
import io.cairn.common.Replies;
import io.cairn.proto.ChunkRequest;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.TruncateRequest;
import io.cairn.proto.WriteRequest;
import io.cairn.proto.ZeroRequest;
import io.cairn.storage.chunk.FileChunkStore;
import io.cairn.storage.chunk.ReplicaInfo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Storage nodes in one JVM, without sockets: each a FileChunkStore in its own directory (one
 * brick, id 1, 2, ...) with its own locks, streams, applier, writer and repair copier. The
 * replication calls between them go through {@link Peers} delivered on a thread pool, so they run
 * concurrently and may arrive in any order, as over a network; a {@link Link} sees every call
 * before it is delivered and can hold it back or answer in the node's place (a fault).
 * All nodes share one {@link LocalMeta} for the test's one chunk.
 */
final class LocalCluster implements AutoCloseable {
    static final long CHUNK_ID = 0x5eedL;
    static final long CHUNK_SIZE = 4L << 20;
    static final Duration ORDER_WAIT = Duration.ofSeconds(20);
    static final Duration PEER_TIMEOUT = Duration.ofSeconds(30);

    /** What the network does with one call to {@code brick}: null delivers it, a reply answers instead, a throw fails it. */
    interface Link {
        StorageReply intercept(long brick, Message call) throws Exception;
    }

    final class Node {
        final long brick;
        final FileChunkStore store;
        final ChunkStreams streams = new ChunkStreams(ORDER_WAIT);
        final ChunkLocks locks = new ChunkLocks();
        final ReplicaApplier applier;
        final PrimaryWriter writer;
        final RepairCopier repairs;

        Node(long brick, Path dir) throws CairnException {
            this.brick = brick;
            this.store = FileChunkStore.open(dir, false);
            BrickStores stores = id -> {
                if (id != brick) {
                    throw new CairnException(ErrorCode.NOT_FOUND, "node of brick " + brick + " serves no brick " + id);
                }
                return store;
            };
            this.applier = new ReplicaApplier(stores, locks, streams);
            this.writer = new PrimaryWriter(stores, locks, streams, replicator, meta);
            this.repairs = new RepairCopier("node" + brick, stores, locks, streams, replicator, meta);
        }

        ReplicaInfo info() throws CairnException {
            return store.info(CHUNK_ID).orElseThrow();
        }

        /** The replica's bytes up to its length, read at its own epoch. */
        byte[] bytes() throws CairnException {
            ReplicaInfo info = info();
            ByteBuffer b = store.read(CHUNK_ID, info.epoch(), 0, (int) info.length());
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }
    }

    final Map<Long, Node> nodes = new LinkedHashMap<>();
    final Map<Long, Replica> replicas = new LinkedHashMap<>();
    final LocalMeta meta;
    final Replicator replicator;
    private final ExecutorService network = Executors.newCachedThreadPool();
    volatile Link link = (brick, call) -> null;

    /** {@code bricks} nodes, the chunk placed on the first {@code size} of them. */
    LocalCluster(Path dir, int bricks, int size, int minSize) throws Exception {
        for (long id = 1; id <= bricks; id++) {
            replicas.put(id, Replica.newBuilder().setBrickId(id).setNodeId(id).setAddress("node" + id).build());
        }
        List<Long> placement = new ArrayList<>(replicas.keySet()).subList(0, size);
        this.meta = new LocalMeta(CHUNK_ID, CHUNK_SIZE, replicas, placement, minSize);
        this.replicator = new Replicator(new LocalPeers(), PEER_TIMEOUT);
        for (long id = 1; id <= bricks; id++) {
            nodes.put(id, new Node(id, Files.createDirectories(dir.resolve("brick" + id))));
        }
    }

    Node node(long brick) {
        return nodes.get(brick);
    }

    /** A client's write of {@code data} at {@code offset}, sent to the target's primary. */
    static WriteRequest write(ChunkTarget t, long offset, byte[] data) {
        List<Integer> crcs = new ArrayList<>();
        for (int c : Crc32c.blocks(ByteBuffer.wrap(data))) {
            crcs.add(c);
        }
        return WriteRequest.newBuilder().setTarget(t).setBrickId(t.getPlacement(0).getBrickId()).setOffset(offset)
                .setData(ByteString.copyFrom(data)).addAllCrcs(crcs).build();
    }

    /** Writes through the target's primary, as a client does. */
    StorageReply writeThroughPrimary(ChunkTarget t, long offset, byte[] data) throws CairnException {
        return node(t.getPlacement(0).getBrickId()).writer.write(write(t, offset, data));
    }

    static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private interface Call {
        StorageReply on(Node node) throws CairnException;
    }

    /** Delivers each call on the pool to the node serving its brick, as the node's StorageService would answer it. */
    private final class LocalPeers implements Peers {
        @Override
        public Future<StorageReply> replicate(Replica to, WriteRequest r) {
            return deliver(to, r, n -> n.applier.apply(r));
        }

        @Override
        public Future<StorageReply> setEpoch(Replica to, ChunkRequest r) {
            return deliver(to, r, n -> n.applier.setEpoch(r));
        }

        @Override
        public Future<StorageReply> sync(Replica to, ChunkRequest r) {
            return deliver(to, r, n -> {
                n.store.sync(r.getTarget().getChunkId());
                return Replicator.done(n.info().length(), List.of());
            });
        }

        @Override
        public Future<StorageReply> truncate(Replica to, TruncateRequest r) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("truncate is not replicated here"));
        }

        @Override
        public Future<StorageReply> zero(Replica to, ZeroRequest r) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("zero is not replicated here"));
        }

        @Override
        public Future<ReadReply> read(Replica from, ReadRequest r) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("reads are not forwarded here"));
        }

        private Future<StorageReply> deliver(Replica to, Message request, Call call) {
            return network.submit(() -> {
                StorageReply instead = link.intercept(to.getBrickId(), request);
                if (instead != null) {
                    return instead;
                }
                try {
                    return call.on(nodes.get(to.getBrickId()));
                } catch (CairnException e) {
                    return Replies.storage(e);
                }
            });
        }
    }

    @Override
    public void close() {
        network.shutdownNow();
        nodes.values().forEach(n -> n.store.close());
    }
}
