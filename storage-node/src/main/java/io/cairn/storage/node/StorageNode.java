package io.cairn.storage.node;

import io.cairn.common.DaemonThreads;
import io.cairn.client.MetaClient;
import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.Credentials;
import io.cairn.proto.GetChunksRequest;
import io.cairn.proto.HeartbeatReply;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.Replica;
import io.cairn.proto.UpdatePlacementRequest;
import io.cairn.storage.chunk.ChunkStore;
import io.cairn.storage.replication.ChunkLocks;
import io.cairn.storage.replication.ChunkPlacements;
import io.cairn.storage.replication.ChunkStreams;
import io.cairn.storage.replication.PrimaryWriter;
import io.cairn.storage.replication.RepairCopier;
import io.cairn.storage.replication.ReplicaApplier;
import io.cairn.storage.replication.Replicator;
import io.cairn.proto.HeartbeatRequest;
import io.cairn.proto.ReplicaDelete;
import io.cairn.proto.ReplicaReport;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One storage node: wires its bricks, the StorageService and heartbeats, and owns their lifecycle. */
public final class StorageNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageNode.class);

    /** Storage nodes are trusted members of the pool; their metadata calls run as root. */
    private static final Credentials NODE_CREDENTIALS = Credentials.newBuilder().setUid(0).setGid(0).build();
    /** Replicas per heartbeat at most: a big brick's full report spreads over several heartbeats. */
    static final int REPORT_PER_BEAT = 2000;

    private final StorageConfig config;
    private final String uuid;
    private final BrickRegistry bricks;
    private final GrpcPeers peers;
    private final MetaClient meta;
    private final Server server;
    private final ScheduledExecutorService timers;
    /** Apart from the heartbeat timer: a scrub pass takes long and heartbeats must not wait for it. */
    private final ScheduledExecutorService scrubTimer;
    private final Scrubber scrubber;
    /** Syncs what was written but not fsynced, apart from heartbeats (a pass may wait on the disk). */
    private final ScheduledExecutorService syncTimer;
    private final CrashRecovery crash;
    private final StorageGrpcService service;
    private final GarbageReplicas garbage;
    /** The one set of chunk locks of this node, shared by every part that changes a replica. */
    private final ChunkLocks locks = new ChunkLocks();
    private final ReplicaReporter reporter;
    /** Garbage deleted as the last heartbeat reply asked, to confirm with the next heartbeat. */
    private final List<ReplicaDelete> deleted = new java.util.ArrayList<>();
    private volatile boolean member;
    private final java.util.concurrent.atomic.AtomicBoolean heartbeatQueued = new java.util.concurrent.atomic.AtomicBoolean();

    private StorageNode(StorageConfig config, PrometheusRegistry registry) throws CairnException {
        this.config = config;
        this.uuid = NodeIdentity.loadOrCreate(config.dataDir());
        this.bricks = BrickRegistry.open(config.dataDir());
        this.crash = CrashRecovery.start(config.dataDir(), config.syncInterval());
        this.peers = new GrpcPeers(config.peerTimeout());
        this.meta = MetaClient.connect(config.metaAddresses(), Duration.ofSeconds(5));
        int port = Addresses.port(config.address());
        this.service = service(config.peerTimeout().dividedBy(2));
        this.garbage = new GarbageReplicas(config.address(), this::store, locks);
        this.reporter = new ReplicaReporter(new ReplicaReporter.Bricks() {
            @Override
            public List<Long> ids() {
                return bricks.all().stream().map(BrickRegistry.Brick::id).toList();
            }

            @Override
            public java.util.Optional<ChunkStore> store(long brickId) {
                return bricks.all().stream().filter(b -> b.id() == brickId).map(b -> (ChunkStore) b.store()).findFirst();
            }
        }, REPORT_PER_BEAT);
        bricks.onChange(reporter::changed);
        this.timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("storage-" + config.address() + "-timers"));
        bricks.onFull(this::heartbeatSoon);
        this.scrubTimer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("storage-" + config.address() + "-scrub"));
        this.syncTimer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("storage-" + config.address() + "-sync"));
        this.scrubber = new Scrubber(config.address(),
                () -> bricks.all().stream().map(b -> (ChunkStore) b.store()).toList(), config.scrubBytesPerSecond());
        NodeMetrics metrics = new NodeMetrics(registry, new NodeMetrics.Sources(scrubber::scrubbed, scrubber::corrupt,
                reporter::pending, bricks::usage));
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(Addresses.host(config.address()), port))
                .maxInboundMessageSize(4 << 20)
                .addService(io.cairn.common.rpc.CallGuard.guard(config.address(),
                        ServerInterceptors.intercept(service, new StorageCallMeter(metrics))))
                .build();
    }

    public static StorageNode start(StorageConfig config) throws CairnException {
        return start(config, new PrometheusRegistry());
    }

    /** As {@link #start(StorageConfig)}, with the node's series registered in {@code registry}. */
    public static StorageNode start(StorageConfig config, PrometheusRegistry registry) throws CairnException {
        Addresses.check(config.address());
        StorageNode n = new StorageNode(config, registry);
        n.crash.check(config.address(), n.bricks.all());
        try {
            n.server.start();
        } catch (IOException e) {
            n.close();
            throw new CairnException(ErrorCode.INTERNAL, "storage node cannot listen on " + config.address()
                    + ": " + e.getMessage() + " (is the port in use?)", e);
        }
        long fullMs = config.fullReportInterval().toMillis();
        n.timers.scheduleWithFixedDelay(n.reporter::queueAll, 0, fullMs, TimeUnit.MILLISECONDS);
        n.timers.scheduleWithFixedDelay(n::heartbeat, 0, config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        long syncMs = config.syncInterval().toMillis();
        n.syncTimer.scheduleWithFixedDelay(n::syncPass, syncMs, syncMs, TimeUnit.MILLISECONDS);
        long scrubMs = config.scrubInterval().toMillis();
        n.scrubTimer.scheduleWithFixedDelay(n.scrubber, scrubMs, scrubMs, TimeUnit.MILLISECONDS);
        log.info("{} storage node {} started: data {}, bricks {}, meta {}, heartbeat every {}, full replica report every {}, "
                        + "scrub every {} at {} B/s, sync written data within {}", config.address(), n.uuid, config.dataDir(),
                n.bricks.all().stream().map(b -> b.path().toString()).toList(), config.metaAddresses(),
                config.heartbeatInterval(), config.fullReportInterval(), config.scrubInterval(), config.scrubBytesPerSecond(),
                config.syncInterval());
        return n;
    }

    /**
     * A brick turned out full: the next heartbeat goes now, so the leader stops placing chunks
     * there within a round trip rather than a heartbeat interval. At most one is queued.
     */
    private void heartbeatSoon() {
        if (heartbeatQueued.compareAndSet(false, true)) {
            try {
                timers.execute(() -> {
                    heartbeatQueued.set(false);
                    heartbeat();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                heartbeatQueued.set(false);  // stopping
            }
        }
    }

    /**
     * Tells the meta leader this node lives, with brick usage, the next part of the replica
     * report and the garbage deleted since; deletes what the leader answers is garbage.
     */
    private void heartbeat() {
        List<ReplicaReport> report = reporter.next();
        List<ReplicaDelete> done = List.copyOf(deleted);
        deleted.clear();
        boolean sent = false;
        try {
            HeartbeatReply reply = meta.heartbeat(HeartbeatRequest.newBuilder()
                    .setUuid(uuid).setAddress(config.address()).addAllBricks(bricks.usage())
                    .addAllReplicas(report).addAllDeleted(done).build());
            sent = reply.getLeader();
            if (reply.getMember() != member && sent) {
                member = reply.getMember();
                log.info("{} node {} is {} of the pool", config.address(), uuid, member ? "a member" : "not a member");
            }
            for (ReplicaDelete d : reply.getDeletesList()) {
                if (garbage.delete(d) && d.getMaxEpoch() == Long.MAX_VALUE) {
                    deleted.add(d);  // from the garbage table: confirm, so the leader forgets it
                }
            }
            if (reply.getDeletesCount() > 0) {
                log.info("{} deleted {} garbage replicas", config.address(), reply.getDeletesCount());
            }
        } catch (CairnException e) {
            log.debug("{} heartbeat failed: {}", config.address(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("{} heartbeat failed", config.address(), e);
        } finally {
            if (!sent) {
                reporter.retry(report);
                deleted.addAll(done);
            }
        }
    }

    /** Syncs every replica written since its last sync; then a crash needs no check of what came before. */
    private void syncPass() {
        java.time.Instant start = java.time.Instant.now();
        try {
            for (BrickRegistry.Brick b : bricks.all()) {
                b.store().syncDirty();
            }
            crash.synced(start);
        } catch (CairnException | RuntimeException e) {
            log.warn("{} background sync failed: {}", config.address(), e.getMessage());
        }
    }

    /**
     * The StorageService and the parts it calls, all on this node's bricks, chunk locks and
     * streams; {@code orderWait} bounds how long a replica waits for a missing piece.
     */
    private StorageGrpcService service(Duration orderWait) {
        ChunkStreams streams = new ChunkStreams(orderWait);
        Replicator replicator = new Replicator(peers, config.peerTimeout());
        ChunkPlacements placements = placements();
        return new StorageGrpcService(uuid, config.address(), bricks, replicator,
                new PrimaryWriter(this::store, locks, streams, replicator, placements),
                new ReplicaApplier(this::store, locks, streams),
                new RepairCopier(config.address(), this::store, locks, streams, replicator, placements),
                new ChunkEdits(bricks, replicator, streams, locks),
                new CopySource(bricks, peers, orderWait));
    }

    private ChunkStore store(long brickId) throws CairnException {
        return bricks.get(brickId).store();
    }

    private ChunkPlacements placements() {
        return new ChunkPlacements() {
            @Override
            public ChunkInfo drop(ChunkTarget chunk, List<Long> dropped) throws CairnException {
                List<Long> kept = new java.util.ArrayList<>();
                for (Replica rep : chunk.getPlacementList()) {
                    if (!dropped.contains(rep.getBrickId())) {
                        kept.add(rep.getBrickId());
                    }
                }
                log.info("{} chunk {} epoch {}: dropping replicas on bricks {}", config.address(),
                        Long.toHexString(chunk.getChunkId()), chunk.getEpoch(), dropped);
                return replace(chunk, kept);
            }

            @Override
            public ChunkInfo replace(ChunkTarget t, List<Long> placement) throws CairnException {
                UpdatePlacementRequest.Builder r = UpdatePlacementRequest.newBuilder().setVolumeId(t.getVolumeId())
                        .setInode(t.getInode()).setIndex(t.getIndex()).setChunkId(t.getChunkId())
                        .setExpectedEpoch(t.getEpoch()).addAllPlacement(placement);
                return meta.mutate(NODE_CREDENTIALS, MetaMutation.newBuilder().setUpdatePlacement(r).build()).getChunk();
            }

            @Override
            public ChunkInfo current(ChunkTarget t) throws CairnException {
                List<ChunkInfo> found = meta.query(NODE_CREDENTIALS, MetaQuery.newBuilder().setGetChunks(GetChunksRequest
                        .newBuilder().setVolumeId(t.getVolumeId()).setInode(t.getInode()).setFirstIndex(t.getIndex())
                        .setCount(1)).build()).getChunks().getChunksList();
                if (found.isEmpty() || found.get(0).getChunkId() != t.getChunkId()) {
                    throw new CairnException(ErrorCode.NOT_FOUND, "chunk " + Long.toHexString(t.getChunkId())
                            + " no longer exists (its file was truncated or deleted)");
                }
                return found.get(0);
            }
        };
    }

    public String uuid() {
        return uuid;
    }

    public String address() {
        return config.address();
    }

    public Scrubber scrubber() {
        return scrubber;
    }

    public ReplicaReporter reporter() {
        return reporter;
    }

    public BrickRegistry bricks() {
        return bricks;
    }

    /**
     * What an in-process test can do for a crash: connections are reset at once, as a killed
     * process's would be. Handlers already running cannot be stopped in a JVM; they finish with
     * working connections (so they cannot mistake the shutdown for failed replicas).
     */
    public void kill() {
        timers.shutdownNow();
        scrubTimer.shutdownNow();
        syncTimer.shutdownNow();
        server.shutdownNow();
        try {
            server.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        peers.close();
        meta.close();
    }

    /**
     * Stops taking calls, lets the calls in progress finish (a primary completes its forwards or
     * its placement change), then closes the connections they used.
     */
    @Override
    public void close() {
        timers.shutdownNow();
        scrubTimer.shutdownNow();
        syncTimer.shutdownNow();
        server.shutdown();
        try {
            if (!server.awaitTermination(15, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        syncPass();
        crash.stopped();
        peers.close();
        meta.close();
    }

}
