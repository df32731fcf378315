package io.cairn.minicluster;

import io.cairn.client.MetaClient;
import io.cairn.client.admin.BrickRef;
import io.cairn.client.admin.StorageNodeCalls;
import io.cairn.client.admin.VolumeAdmin;
import io.cairn.client.admin.VolumeSpec;
import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.common.FreePorts;
import io.cairn.meta.MetaConfig;
import io.cairn.meta.MetaServer;
import io.cairn.meta.namespace.ApplyContext;
import io.cairn.proto.AddNodeRequest;
import io.cairn.proto.ListNodesRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.NodeList;
import io.cairn.proto.VolumeInfo;
import io.cairn.storage.node.StorageConfig;
import io.cairn.storage.node.StorageNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Cairn cluster on 127.0.0.1 free ports, each member with its own directory under
 * a fresh temp dir: the harness of every integration test, the benchmarks and the docs' examples.
 * Members can be stopped, killed and restarted from their disks.
 *
 * <p>In one JVM a "kill" cannot be a real {@code kill -9}: it closes the member without any
 * shutdown snapshot, so a restart replays the log. Tests that claim crash safety use real
 * processes (the {@code cairn local} cluster) instead.
 */
public final class MiniCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MiniCluster.class);

    private final Builder spec;
    private final Path baseDir;
    private final List<MetaConfig> metaConfigs = new ArrayList<>();
    private final MetaServer[] metas;
    private final List<StorageConfig> nodeConfigs = new ArrayList<>();
    private final StorageNode[] nodes;
    /** Each storage node's metrics, kept across its restarts (counters start again at each). */
    private final io.prometheus.metrics.model.registry.PrometheusRegistry[] nodeMetrics;
    private final List<MetaClient> clients = new ArrayList<>();

    private MiniCluster(Builder spec) throws IOException {
        this.spec = spec;
        this.baseDir = spec.baseDir != null ? spec.baseDir : Files.createTempDirectory("cairn-minicluster-");
        this.metas = new MetaServer[spec.metaServers];
        this.nodes = new StorageNode[spec.storageNodes];
        this.nodeMetrics = new io.prometheus.metrics.model.registry.PrometheusRegistry[spec.storageNodes];
        Map<String, String> peers = new LinkedHashMap<>();
        for (int i = 0; i < spec.metaServers; i++) {
            peers.put(metaId(i), "127.0.0.1:" + FreePorts.pair());
        }
        for (int i = 0; i < spec.metaServers; i++) {
            metaConfigs.add(MetaConfig.of(metaId(i), peers, baseDir.resolve(metaId(i)))
                    .withTimeouts(spec.nodeDownTimeout, spec.nodeOutTimeout)
                    .withSnapshotEvery(spec.snapshotEvery)
                    .withLogSegmentBytes(spec.logSegmentBytes)
                    .withMaxBatch(spec.maxBatch)
                    .withRepair(spec.repair)
                    .withClientLease(spec.clientLease));
        }
        for (int i = 0; i < spec.storageNodes; i++) {
            nodeConfigs.add(StorageConfig.of(baseDir.resolve(nodeId(i)), "127.0.0.1:" + FreePorts.pair(),
                    String.join(",", peers.values())).withHeartbeatInterval(spec.heartbeatInterval)
                    .withScrub(spec.scrubInterval, StorageConfig.DEFAULT_SCRUB_BYTES_PER_SECOND)
                    .withFullReportInterval(spec.fullReportInterval));
        }
    }

    private static String nodeId(int i) {
        return "node" + (i + 1);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static String metaId(int i) {
        return "m" + (i + 1);
    }

    private MiniCluster start() throws CairnException {
        for (int i = 0; i < metas.length; i++) {
            startMeta(i);
        }
        waitForLeader(Duration.ofSeconds(60));
        if (nodes.length > 0) {
            try (MetaClient c = MetaClient.connect(metaAddresses(), spec.ioTimeout)) {
                for (int i = 0; i < nodes.length; i++) {
                    startNode(i);
                    c.mutate(ApplyContext.ROOT, MetaMutation.newBuilder().setAddNode(AddNodeRequest.newBuilder()
                            .setUuid(nodes[i].uuid()).setAddress(nodes[i].address())).build());
                }
            }
        }
        return this;
    }

    public int nodeCount() {
        return nodes.length;
    }

    /** The running storage node i, or null if it is stopped. */
    public StorageNode node(int i) {
        return nodes[i];
    }

    /**
     * The value of counter {@code name} (without "_total") of storage node i since it last
     * started, 0 if it has none.
     */
    public double nodeCounter(int i, String name) {
        return nodeMetrics[i] == null ? 0 : nodeMetrics[i].scrape().stream()
                .filter(m -> m.getMetadata().getName().equals(name))
                .flatMap(m -> m.getDataPoints().stream())
                .mapToDouble(p -> p instanceof io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot c
                        ? c.getValue() : 0)
                .sum();
    }

    public void startNode(int i) throws CairnException {
        if (nodes[i] != null) {
            throw new IllegalStateException(nodeId(i) + " is already running");
        }
        nodeMetrics[i] = new io.prometheus.metrics.model.registry.PrometheusRegistry();
        nodes[i] = StorageNode.start(nodeConfigs.get(i), nodeMetrics[i]);
    }

    public void stopNode(int i) {
        StorageNode n = nodes[i];
        nodes[i] = null;
        if (n != null) {
            n.close();
        }
    }

    /** As close to a crash as one JVM allows: the node's connections drop at once (see StorageNode.kill). */
    public void killNode(int i) {
        StorageNode n = nodes[i];
        nodes[i] = null;
        if (n != null) {
            n.kill();
        }
    }

    /** Waits until the meta leader has heard from every running storage node (placements can use them all). */
    public void waitForLiveNodes(Duration timeout) {
        Awaitility.await("every running storage node heartbeating").atMost(timeout).ignoreExceptions()
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    try (MetaClient c = MetaClient.connect(metaAddresses(), Duration.ofSeconds(5))) {
                        NodeList pool = c.query(ApplyContext.ROOT, MetaQuery.newBuilder()
                                .setListNodes(ListNodesRequest.getDefaultInstance()).build()).getNodes();
                        long now = System.currentTimeMillis();
                        for (StorageNode n : nodes) {
                            if (n != null && pool.getNodesList().stream().noneMatch(i -> i.getUuid().equals(n.uuid())
                                    && now - i.getLastHeartbeatMs() < spec.nodeDownTimeout.toMillis())) {
                                return false;
                            }
                        }
                        return true;
                    }
                });
    }

    /**
     * Creates and starts a volume with one brick on every storage node (under
     * {@code bricks/nodeK/NAME}) through {@link VolumeAdmin}, the code {@code cairn volume create}
     * runs: the meta service records it, each node claims its brick directory.
     */
    public VolumeInfo createVolume(String name, int replica, long chunkSize) throws CairnException {
        List<BrickRef> bricks = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            Path brick = baseDir.resolve("bricks").resolve(nodeId(i)).resolve(name);
            try {
                Files.createDirectories(brick);
            } catch (IOException e) {
                throw new CairnException(io.cairn.common.ErrorCode.IO_ERROR, "cannot make " + brick, e);
            }
            String address = nodeConfigs.get(i).address();
            bricks.add(new BrickRef(Addresses.host(address), Addresses.port(address), brick.toString()));
        }
        try (MetaClient c = MetaClient.connect(metaAddresses(), spec.ioTimeout);
             StorageNodeCalls calls = new StorageNodeCalls()) {
            VolumeAdmin volumes = new VolumeAdmin(c, calls);
            volumes.create(new VolumeSpec(name, replica, 0, chunkSize, bricks, false));
            return volumes.start(name);
        }
    }

    public Path baseDir() {
        return baseDir;
    }

    public int metaCount() {
        return metas.length;
    }

    /** The running meta server i, or null if it is stopped. */
    public MetaServer meta(int i) {
        return metas[i];
    }

    public void startMeta(int i) throws CairnException {
        if (metas[i] != null) {
            throw new IllegalStateException(metaId(i) + " is already running");
        }
        metas[i] = MetaServer.start(metaConfigs.get(i));
    }

    /** Stops meta server i (in process this is also how a kill looks: no shutdown snapshot is taken). */
    public void stopMeta(int i) {
        MetaServer m = metas[i];
        metas[i] = null;
        if (m != null) {
            m.close();
        }
    }

    public void restartMeta(int i) throws CairnException {
        stopMeta(i);
        startMeta(i);
    }

    /** Index of the current leader, waiting up to {@code timeout} for one. */
    public int waitForLeader(Duration timeout) {
        int[] found = {-1};
        Awaitility.await("a meta leader").atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            found[0] = leaderIndex();
            return found[0] >= 0;
        });
        return found[0];
    }

    /** Index of the running leader, or -1. */
    public int leaderIndex() {
        for (int i = 0; i < metas.length; i++) {
            if (metas[i] != null && metas[i].isLeader()) {
                return i;
            }
        }
        return -1;
    }

    /** Client addresses of all meta servers, comma-separated, as clients and the CLI take them. */
    public String metaAddresses() {
        return String.join(",", metaConfigs.stream().map(MetaConfig::clientAddress).toList());
    }

    public MetaClient newMetaClient() throws CairnException {
        MetaClient c = MetaClient.connect(metaAddresses(), spec.ioTimeout);
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    /** Waits until every running meta server has applied the same log and holds identical state. */
    public void waitForSameState(Duration timeout) {
        Awaitility.await("identical state on all running meta servers").atMost(timeout)
                .pollInterval(Duration.ofMillis(200)).until(() -> digests().values().stream().distinct().count() == 1);
    }

    /** Digest of each running meta server's state, by id. */
    public Map<String, String> digests() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < metas.length; i++) {
            if (metas[i] != null) {
                out.put(metaId(i), metas[i].digest());
            }
        }
        return out;
    }

    /** One line per member: for a failed test's log. */
    public String summary() {
        StringBuilder sb = new StringBuilder("MiniCluster at " + baseDir + "\n");
        for (int i = 0; i < metas.length; i++) {
            MetaServer m = metas[i];
            sb.append("  ").append(metaId(i)).append(' ').append(metaConfigs.get(i).clientAddress());
            if (m == null) {
                sb.append(" stopped\n");
            } else {
                sb.append(m.isLeader() ? " leader" : " follower").append(" applied=").append(m.lastAppliedIndex())
                        .append(" digest=").append(m.digest(), 0, 12).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(MetaClient::close);
            clients.clear();
        }
        for (int i = 0; i < nodes.length; i++) {
            stopNode(i);
        }
        for (int i = 0; i < metas.length; i++) {
            stopMeta(i);
        }
        if (spec.baseDir == null) {
            deleteTree(baseDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class Builder {
        private int metaServers = 3;
        private Path baseDir;
        private Duration nodeDownTimeout = Duration.ofSeconds(3);
        private Duration nodeOutTimeout = Duration.ofSeconds(10);
        private long snapshotEvery = MetaConfig.DEFAULT_SNAPSHOT_EVERY;
        private Duration ioTimeout = Duration.ofSeconds(30);
        private long logSegmentBytes = MetaConfig.DEFAULT_LOG_SEGMENT_BYTES;
        private int storageNodes;
        private Duration heartbeatInterval = Duration.ofMillis(500);
        private int maxBatch = MetaConfig.DEFAULT_MAX_BATCH;
        private MetaConfig.RepairSettings repair = new MetaConfig.RepairSettings(Duration.ofSeconds(1), 2, 0);
        private Duration scrubInterval = StorageConfig.DEFAULT_SCRUB_INTERVAL;
        private Duration fullReportInterval = Duration.ofSeconds(5);
        private Duration clientLease = Duration.ofSeconds(5);

        public Builder metaServers(int n) {
            this.metaServers = n;
            return this;
        }

        /** Storage nodes, each added to the pool when the cluster starts. */
        public Builder storageNodes(int n) {
            this.storageNodes = n;
            return this;
        }

        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /** Keep the cluster's files here (not deleted on close) instead of a fresh temp dir. */
        public Builder baseDir(Path dir) {
            this.baseDir = dir;
            return this;
        }

        public Builder nodeTimeouts(Duration down, Duration out) {
            this.nodeDownTimeout = down;
            this.nodeOutTimeout = out;
            return this;
        }

        public Builder snapshotEvery(long entries) {
            this.snapshotEvery = entries;
            return this;
        }

        /** Small segments let the log be purged soon after a snapshot (for catch-up tests). */
        public Builder logSegmentBytes(long bytes) {
            this.logSegmentBytes = bytes;
            return this;
        }

        /** Mutations grouped into one log entry at most; 1 turns group commit off (for benchmarks). */
        public Builder maxBatch(int mutations) {
            this.maxBatch = mutations;
            return this;
        }

        /** How the meta leader repairs chunks; tests scan every second at full speed by default. */
        public Builder repair(MetaConfig.RepairSettings settings) {
            this.repair = settings;
            return this;
        }

        /** How long a silent client keeps its advisory locks (tests: 5 s). */
        public Builder clientLease(Duration lease) {
            this.clientLease = lease;
            return this;
        }

        /** Time between the storage nodes' scrub passes (default: production's, once a day). */
        public Builder scrubInterval(Duration interval) {
            this.scrubInterval = interval;
            return this;
        }

        public Builder ioTimeout(Duration timeout) {
            this.ioTimeout = timeout;
            return this;
        }

        public MiniCluster start() throws IOException {
            MiniCluster c = new MiniCluster(this);
            try {
                return c.start();
            } catch (RuntimeException | CairnException e) {
                log.error("MiniCluster failed to start:\n{}", c.summary());
                c.close();
                throw e;
            }
        }
    }
}
