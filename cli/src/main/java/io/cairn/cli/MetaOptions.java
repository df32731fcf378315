package io.cairn.cli;

import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.MetaConfig;
import io.cairn.meta.pool.BrickFill;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The meta server's options, shared by {@code cairn meta} and {@code cairn server}. */
final class MetaOptions {
    @Option(names = "--id", required = true, paramLabel = "ID", description = "This server's id, one of the ids in --peers.")
    String id;

    @Option(names = "--peers", required = true, split = ",", paramLabel = "ID=HOST:PORT",
            description = "Every meta server as ID=HOST:PORT (client port; the Raft port is PORT+1).")
    Map<String, String> peers = new LinkedHashMap<>();

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
    double fullRatio = BrickFill.DEFAULT.fullRatio();

    @Option(names = "--nearfull-ratio", description = "A brick used to this fraction of its capacity is flagged NEARFULL"
            + " in `volume status` and the metrics (default: ${DEFAULT-VALUE}).")
    double nearfullRatio = BrickFill.DEFAULT.nearfullRatio();

    /**
     * The meta server's settings with its data in {@code data}, bound to {@code listen} (null: its
     * --peers address); a listen address that is malformed or names another port than this
     * server's --peers entry is a usage error of {@code spec}'s command, named by {@code listenFlag}.
     */
    MetaConfig settings(CommandSpec spec, Path data, String listenFlag, String listen) throws CairnException {
        if (data.toFile().exists() && !data.toFile().isDirectory()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "--data " + data + " is not a directory");
        }
        MetaConfig settings = MetaConfig.of(id, peers, data.toAbsolutePath())
                .withTimeouts(nodeDown, nodeOut)
                .withSnapshotEvery(snapshotEvery)
                .withRepair(new MetaConfig.RepairSettings(repairInterval, repairParallel, repairRate))
                .withClientLease(clientLease)
                .withFill(new BrickFill(nearfullRatio, fullRatio));
        if (listen == null) {
            return settings;
        }
        String own = peers.get(id);
        try {
            Addresses.check(listen);
        } catch (CairnException e) {
            throw new ParameterException(spec.commandLine(), listenFlag + ": " + e.getMessage());
        }
        if (own != null && Addresses.port(listen) != Addresses.port(own)) {
            throw new ParameterException(spec.commandLine(), listenFlag + " " + listen
                    + " has another port than this server's --peers entry " + id + "=" + own
                    + "; use the same port (e.g. 0.0.0.0:" + Addresses.port(own) + ")");
        }
        return settings.withListenHost(Addresses.host(listen));
    }
}
