package io.cairn.cli;

import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.storage.node.StorageConfig;
import io.cairn.storage.node.StorageNode;
import java.nio.file.Path;
import java.time.Duration;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cairn node}: runs one storage node in the foreground until SIGTERM or Ctrl-C. */
@Command(name = "node", mixinStandardHelpOptions = true, subcommands = NodeRecoverIdentityCommand.class,
        description = {"Run a storage node: it serves this host's bricks and heartbeats to the meta servers.",
                "Add it to the pool with 'cairn peer probe HOST:PORT' (the --listen address)."})
final class NodeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(NodeCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Mixin
    MetricsOption metrics;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The node's own directory (its uuid and brick list); bricks live where volume create puts them.")
    Path data;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address to serve on, as clients, peers and 'cairn peer probe' reach it.")
    String listen;

    @Option(names = "--meta", paramLabel = "HOST:PORT,...",
            description = "Meta servers of the pool (default: $" + AdminCommand.META_ENV + ").")
    String meta;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION",
            description = "How often to tell the meta leader the node lives (default: ${DEFAULT-VALUE}).")
    Duration heartbeat = StorageConfig.DEFAULT_HEARTBEAT_INTERVAL;

    @Option(names = "--scrub-interval", paramLabel = "DURATION",
            description = "Time between the starts of two scrub passes over every replica (default: ${DEFAULT-VALUE}).")
    Duration scrubInterval = StorageConfig.DEFAULT_SCRUB_INTERVAL;

    @Option(names = "--scrub-rate", paramLabel = "SIZE", converter = DataSizes.Converter.class,
            description = "Bytes per second a scrub pass reads, e.g. 32MiB (default: ${DEFAULT-VALUE}).")
    long scrubRate = StorageConfig.DEFAULT_SCRUB_BYTES_PER_SECOND;

    @Option(names = "--sync-interval", paramLabel = "DURATION",
            description = {"How long written data may wait in memory before the node syncs it to disk itself (default: ${DEFAULT-VALUE}).",
                    "A power cut loses at most this much of data written but never fsynced; fsync is durable at once."})
    Duration syncInterval = StorageConfig.DEFAULT_SYNC_INTERVAL;

    @Override
    public Integer call() throws Exception {
        // Not picocli-required: 'cairn node recover-identity' must parse without them.
        if (data == null || listen == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option" + (data == null && listen == null
                    ? "s: '--data=DIR', '--listen=HOST:PORT'" : data == null ? ": '--data=DIR'" : ": '--listen=HOST:PORT'"));
        }
        String metas = meta != null ? meta : ((Main) spec.root().userObject()).env().get(AdminCommand.META_ENV);
        if (metas == null || metas.isBlank()) {
            throw new ParameterException(spec.commandLine(), "no meta server given: pass --meta HOST:PORT[,HOST:PORT...] or set "
                    + AdminCommand.META_ENV);
        }
        try {
            Addresses.check(listen);
            for (String a : metas.trim().split("\\s*,\\s*")) {
                Addresses.check(a);
            }
        } catch (CairnException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        log.info("{} effective configuration: {}", listen, EffectiveConfig.describe(spec));
        PrometheusRegistry registry = new PrometheusRegistry();
        MetricsEndpoint endpoint = metrics.start(registry);
        StorageNode node;
        try {
            node = StorageNode.start(StorageConfig.of(data.toAbsolutePath(), listen, metas.trim())
                    .withHeartbeatInterval(heartbeat).withScrub(scrubInterval, scrubRate).withSyncInterval(syncInterval), registry);
        } catch (CairnException | RuntimeException e) {
            if (endpoint != null) {
                endpoint.close();
            }
            throw e;
        }
        if (endpoint != null) {
            log.info("{} metrics on port {} at /metrics", listen, endpoint.port());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (endpoint != null) {
                endpoint.close();
            }
            node.close();
            stopped.countDown();
        }, "cairn-node-shutdown"));
        stopped.await();
        return 0;
    }
}
