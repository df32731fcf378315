package io.cairn.meta;

import io.cairn.common.DaemonThreads;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.pool.BrickFill;
import io.cairn.meta.pool.Liveness;
import io.cairn.meta.pool.NodeLiveness;
import io.cairn.meta.locks.ClientLeases;
import io.cairn.meta.rpc.LeaseRecalls;
import io.cairn.meta.pool.NodeMonitor;
import io.cairn.meta.repair.GrpcRepairCalls;
import io.cairn.meta.repair.RepairScheduler;
import io.cairn.meta.repair.ReplicaHousekeeping;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import io.cairn.meta.ratis.MetaStateMachine;
import io.cairn.meta.ratis.RaftGateway;
import io.cairn.meta.rpc.CommitBacking;
import io.cairn.meta.rpc.GrpcReplicaLengths;
import io.cairn.meta.rpc.SessionEnds;
import io.cairn.meta.rpc.LeaderPrep;
import io.cairn.meta.rpc.MetaGrpcService;
import io.cairn.meta.rpc.Proposer;
import io.cairn.proto.state.LoggedMutation;
import io.cairn.meta.pool.PoolOps;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.HealInfo;
import io.cairn.proto.MetaServiceGrpc;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.NodeState;
import io.cairn.proto.state.BrickRecord;
import io.cairn.proto.state.VolumeRecord;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One meta server: wires the Ratis member, the state machine and the MetaService, and owns their lifecycle. */
public final class MetaServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetaServer.class);

    private final MetaConfig config;
    private final RaftServer raftServer;
    private final MetaStateMachine stateMachine;
    private final RaftGateway gateway;
    private final Server grpcServer;
    private final ScheduledExecutorService timers;
    private final NodeMonitor monitorTask;
    private final Proposer proposer;
    private final RepairScheduler repair;
    private final ClientLeases leases;
    private final CommitBacking backing;
    private final LeaseRecalls recalls;

    private MetaServer(MetaConfig config, PrometheusRegistry registry) throws IOException {
        this.config = config;
        Clock clock = Clock.systemUTC();
        NodeLiveness liveness = new NodeLiveness(clock, config.nodeDownTimeout(), config.fill());
        NodeMonitor[] monitor = new NodeMonitor[1];
        RepairScheduler[] repairs = new RepairScheduler[1];
        ClientLeases[] leases = new ClientLeases[1];
        LeaseRecalls[] recallers = new LeaseRecalls[1];
        this.stateMachine = new MetaStateMachine(config.id(), config.dataDir(), liveness, leader -> {
            if (monitor[0] != null) {
                monitor[0].leaderChanged();
            }
            if (repairs[0] != null) {
                repairs[0].leaderChanged();
            }
            if (leases[0] != null) {
                leases[0].leaderChanged();
            }
            if (recallers[0] != null && !config.id().equals(String.valueOf(leader))) {
                recallers[0].closeAll();  // clients open their session streams to the new leader
            }
            log.info("{} leader is now {}", config.id(), leader);
        });
        RaftGroupId groupId = RaftGroupId.valueOf(UUID.fromString(MetaConfig.GROUP_ID));
        List<RaftPeer> peers = new ArrayList<>();
        for (Map.Entry<String, String> p : config.peers().entrySet()) {
            peers.add(RaftPeer.newBuilder().setId(p.getKey()).setAddress(MetaConfig.raftAddress(p.getValue())).build());
        }
        this.raftServer = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(config.id()))
                .setGroup(RaftGroup.valueOf(groupId, peers))
                .setStateMachine(stateMachine)
                .setProperties(raftProperties(config))
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        this.gateway = new RaftGateway(raftServer, groupId, config.peers());
        // Two entries in flight: measured better than eight on 2 cores, where larger batches win.
        MetaMetrics[] metrics = new MetaMetrics[1];
        Proposer proposer = new Proposer(gateway, clock, config.maxBatch(), 2, size -> metrics[0].proposed(size));
        this.proposer = proposer;
        LeaderPrep prep = new LeaderPrep(stateMachine::store, liveness, new SecureRandom());
        Function<MetaMutation, CompletableFuture<MetaReply>> propose = m -> proposer.submit(LoggedMutation.newBuilder()
                .setCred(io.cairn.meta.namespace.ApplyContext.ROOT).setMutation(m).build());
        monitor[0] = new NodeMonitor(config.id(), gateway::isLeader, stateMachine::store, liveness, propose::apply,
                clock, config.nodeDownTimeout(), config.nodeOutTimeout());
        GrpcReplicaLengths lengths = new GrpcReplicaLengths(Duration.ofSeconds(5));
        this.repair = new RepairScheduler(config.id(), gateway::isLeader, stateMachine::store, liveness, propose,
                new GrpcRepairCalls(), lengths, config.repair(), clock);
        repairs[0] = repair;
        ReplicaHousekeeping housekeeping = new ReplicaHousekeeping(repair, propose::apply);
        SessionEnds ends = new SessionEnds(config.id(), stateMachine::store, lengths, propose);
        this.leases = new ClientLeases(config.id(), gateway::isLeader, stateMachine::store, ends::propose, clock,
                config.clientLease());
        leases[0] = this.leases;
        this.backing = new CommitBacking(stateMachine::store, lengths);
        this.recalls = new LeaseRecalls(config.id(), stateMachine::store, ends::propose, clock, config.clientLease());
        recallers[0] = recalls;
        MetaGrpcService service = new MetaGrpcService(gateway, proposer, prep, liveness, stateMachine::store,
                housekeeping, repair, this.leases, backing, recalls);
        metrics[0] = new MetaMetrics(registry, new MetaMetrics.Sources(gateway::isLeader, gateway::lastAppliedIndex,
                () -> nodesByState(stateMachine.store()), () -> healInfos(stateMachine.store(), repair),
                () -> bricksByFill(stateMachine.store(), liveness)));
        this.grpcServer = NettyServerBuilder
                .forAddress(new InetSocketAddress(config.bindHost(), MetaConfig.port(config.clientAddress())))
                .addService(io.cairn.common.rpc.CallGuard.guard(config.id(),
                        ServerInterceptors.intercept(service, countQueries(metrics[0]))))
                .build();
        this.timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(config.id() + "-meta-timers"));
        this.monitorTask = monitor[0];
    }

    /** Starts a meta server; fails with a clear message on a bad config, a port in use or an unusable data dir. */
    public static MetaServer start(MetaConfig config) throws CairnException {
        return start(config, new PrometheusRegistry());
    }

    /** As {@link #start(MetaConfig)}, with the server's series registered in {@code registry}. */
    public static MetaServer start(MetaConfig config, PrometheusRegistry registry) throws CairnException {
        config.validate();
        MetaServer s;
        try {
            s = new MetaServer(config, registry);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL, "meta server " + config.id() + " cannot start: " + e.getMessage(), e);
        }
        try {
            s.raftServer.start();
        } catch (IOException e) {
            s.closeQuietly();
            throw new CairnException(ErrorCode.INTERNAL, "meta server " + config.id() + " cannot start its Raft member on "
                    + MetaConfig.raftAddress(config.clientAddress()) + ": " + e.getMessage()
                    + " (is the port in use, or the data dir " + config.dataDir() + " owned by another server?)", e);
        }
        try {
            s.grpcServer.start();
        } catch (IOException e) {
            s.closeQuietly();
            throw new CairnException(ErrorCode.INTERNAL, "meta server " + config.id() + " cannot listen on "
                    + config.clientAddress() + ": " + e.getMessage() + " (is the port in use?)", e);
        }
        long period = Math.max(100, config.nodeDownTimeout().toMillis() / 4);
        s.timers.scheduleWithFixedDelay(s.monitorTask, period, period, TimeUnit.MILLISECONDS);
        s.repair.start();
        long leasePeriod = Math.max(100, config.clientLease().toMillis() / 4);
        s.timers.scheduleWithFixedDelay(s.leases, leasePeriod, leasePeriod, TimeUnit.MILLISECONDS);
        s.timers.scheduleWithFixedDelay(s.recalls::recheck, 50, 50, TimeUnit.MILLISECONDS);
        log.info("{} meta server started: clients {}, raft {}, data {}, peers {}, node-down {}, node-out {}, "
                        + "snapshot every {} entries, batch {}, repair {}, client lease {}, brick full-ratio {} nearfull-ratio {}",
                config.id(), config.clientAddress(), MetaConfig.raftAddress(config.clientAddress()), config.dataDir(),
                config.peers(), config.nodeDownTimeout(), config.nodeOutTimeout(), config.snapshotEvery(), config.maxBatch(),
                config.repair(), config.clientLease(), config.fill().fullRatio(), config.fill().nearfullRatio());
        return s;
    }

    private static Map<NodeState, Long> nodesByState(ReadView v) {
        Map<NodeState, Long> counts = new EnumMap<>(NodeState.class);
        for (NodeInfo n : PoolOps.listNodes(v, null)) {
            counts.merge(n.getState(), 1L, Long::sum);
        }
        return counts;
    }

    private static Map<BrickFill.Level, Long> bricksByFill(ReadView v, Liveness liveness) {
        Map<BrickFill.Level, Long> counts = new EnumMap<>(BrickFill.Level.class);
        v.scan(MetaSchema.Table.BRICKS, new byte[0], null, (k, val) -> {
            BrickRecord b = Records.parse(val, BrickRecord.parser());
            counts.merge(liveness.fill(b.getNodeId(), b.getPath()), 1L, Long::sum);
            return true;
        });
        return counts;
    }

    private static List<HealInfo> healInfos(ReadView v, RepairScheduler repair) {
        List<HealInfo> out = new ArrayList<>();
        v.scan(MetaSchema.Table.VOLUMES, new byte[0], null, (k, val) -> {
            out.add(repair.healInfo(MetaSchema.readU32(k, 0), Records.parse(val, VolumeRecord.parser()).getName()));
            return true;
        });
        return out;
    }

    private static ServerInterceptor countQueries(MetaMetrics metrics) {
        String query = MetaServiceGrpc.getQueryMethod().getFullMethodName();
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                if (call.getMethodDescriptor().getFullMethodName().equals(query)) {
                    metrics.queried();
                }
                return next.startCall(call, headers);
            }
        };
    }

    private static RaftProperties raftProperties(MetaConfig config) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir().resolve("ratis").toFile()));
        GrpcConfigKeys.Server.setHost(p, config.bindHost());
        GrpcConfigKeys.Server.setPort(p, MetaConfig.port(config.clientAddress()) + 1);
        // Reads are linearizable; the leader lease answers them without a heartbeat round.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotEvery());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        // A stop is treated like a crash: restart replays the log from the last snapshot.
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.snapshotEvery() / 4)));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.logSegmentBytes()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(400, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(800, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(5, TimeUnit.SECONDS));
        return p;
    }

    public String id() {
        return config.id();
    }

    public MetaConfig config() {
        return config;
    }

    public boolean isLeader() {
        return gateway.isLeader();
    }

    public long lastAppliedIndex() {
        return gateway.lastAppliedIndex();
    }

    /** Digest of the whole metadata state (see {@link MetaStateMachine#digest()}). */
    public String digest() {
        return stateMachine.digest();
    }

    /** How many snapshots this server installed from a leader since it started. */
    public int snapshotsInstalled() {
        return stateMachine.snapshotsInstalled();
    }

    /** Takes a snapshot now and purges the log behind it; returns its index. */
    public long snapshotNow() throws IOException {
        return gateway.snapshotNow();
    }

    @Override
    public void close() {
        log.info("{} meta server stopping", config.id());
        closeQuietly();
    }

    private void closeQuietly() {
        timers.shutdownNow();
        repair.close();
        backing.close();
        proposer.close();
        grpcServer.shutdownNow();
        try {
            raftServer.close();
        } catch (IOException | RuntimeException e) {
            log.warn("{} error while closing the Raft member", config.id(), e);
        }
        try {
            grpcServer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
