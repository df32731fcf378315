package io.cairn.cli;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.MetaConfig;
import io.cairn.meta.MetaServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.cairn.common.metrics.MetricsEndpoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn meta}: runs one meta server in the foreground until SIGTERM or Ctrl-C. */
@Command(name = "meta", mixinStandardHelpOptions = true,
        description = "Run a meta server (one member of the metadata Raft group).")
final class MetaCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(MetaCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Mixin
    MetricsOption metrics;

    @Option(names = "--id", required = true, description = "This server's id, one of the ids in --peers.")
    String id;

    @Option(names = "--peers", required = true, split = ",",
            description = "Every meta server as ID=HOST:PORT (client port; the Raft port is PORT+1).")
    Map<String, String> peers = new LinkedHashMap<>();

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Where to bind, e.g. 0.0.0.0:PORT; the port must be this server's port in --peers (default: that address).")
    String listen;

    @Option(names = "--data", required = true, description = "Data directory (Raft log, snapshots, database).")
    Path data;

    @Option(names = "--node-down-timeout", description = "A storage node silent this long is down (default: ${DEFAULT-VALUE}).")
    Duration nodeDown = MetaConfig.DEFAULT_NODE_DOWN_TIMEOUT;

    @Option(names = "--node-out-timeout", description = "A node down this long has its replicas re-replicated (default: ${DEFAULT-VALUE}).")
    Duration nodeOut = MetaConfig.DEFAULT_NODE_OUT_TIMEOUT;

    @Option(names = "--snapshot-every", description = "Log entries between snapshots (default: ${DEFAULT-VALUE}).")
    long snapshotEvery = MetaConfig.DEFAULT_SNAPSHOT_EVERY;

    @Option(names = "--repair-interval", description = "Time between two scans of every chunk for repair work (default: ${DEFAULT-VALUE}).")
    Duration repairInterval = MetaConfig.RepairSettings.DEFAULT.interval();

    @Option(names = "--repair-parallel", description = "Chunks repaired at once (default: ${DEFAULT-VALUE}).")
    int repairParallel = MetaConfig.RepairSettings.DEFAULT.parallel();

    @Option(names = "--repair-rate", paramLabel = "SIZE", converter = DataSizes.Converter.class,
            description = "Copy rate of one repair per second, e.g. 64MiB; 0 for no limit (default: ${DEFAULT-VALUE}).")
    long repairRate = MetaConfig.RepairSettings.DEFAULT.bytesPerSecond();

    @Option(names = "--client-lease", description = "A client holding advisory locks (fcntl, flock) that is silent this long "
            + "loses them, so other clients may take them (default: ${DEFAULT-VALUE}).")
    Duration clientLease = MetaConfig.DEFAULT_CLIENT_LEASE;

    @Option(names = "--full-ratio", description = "A brick used to this fraction of its capacity is full: no new chunks"
            + " are placed on it (as Ceph's full_ratio) (default: ${DEFAULT-VALUE}).")
    double fullRatio = io.cairn.meta.pool.BrickFill.DEFAULT.fullRatio();

    @Option(names = "--nearfull-ratio", description = "A brick used to this fraction of its capacity is flagged NEARFULL"
            + " in `volume status` and the metrics (default: ${DEFAULT-VALUE}).")
    double nearfullRatio = io.cairn.meta.pool.BrickFill.DEFAULT.nearfullRatio();

    @Override
    public Integer call() throws Exception {
        if (data.toFile().exists() && !data.toFile().isDirectory()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "--data " + data + " is not a directory");
        }
        MetaConfig settings = MetaConfig.of(id, peers, data.toAbsolutePath())
                .withTimeouts(nodeDown, nodeOut)
                .withSnapshotEvery(snapshotEvery)
                .withRepair(new MetaConfig.RepairSettings(repairInterval, repairParallel, repairRate))
                .withClientLease(clientLease)
                .withFill(new io.cairn.meta.pool.BrickFill(nearfullRatio, fullRatio));
        if (listen != null) {
            String own = peers.get(id);
            try {
                io.cairn.common.Addresses.check(listen);
            } catch (CairnException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
            }
            if (own != null && io.cairn.common.Addresses.port(listen) != io.cairn.common.Addresses.port(own)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--listen " + listen
                        + " has another port than this server's --peers entry " + id + "=" + own
                        + "; use the same port (e.g. 0.0.0.0:" + io.cairn.common.Addresses.port(own) + ")");
            }
            settings = settings.withListenHost(io.cairn.common.Addresses.host(listen));
        }
        log.info("{} effective configuration: {}", id, EffectiveConfig.describe(spec));
        PrometheusRegistry registry = new PrometheusRegistry();
        MetricsEndpoint endpoint = metrics.start(registry);
        MetaServer server;
        try {
            server = MetaServer.start(settings, registry);
        } catch (CairnException | RuntimeException e) {
            if (endpoint != null) {
                endpoint.close();
            }
            throw e;
        }
        if (endpoint != null) {
            log.info("{} metrics on port {} at /metrics", id, endpoint.port());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (endpoint != null) {
                endpoint.close();
            }
            server.close();
            stopped.countDown();
        }, "cairn-meta-shutdown"));
        stopped.await();
        return 0;
    }
}
