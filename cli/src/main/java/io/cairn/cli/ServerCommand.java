package io.cairn.cli;

import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.MetaConfig;
import io.cairn.meta.MetaServer;
import io.cairn.storage.node.StorageConfig;
import io.cairn.storage.node.StorageNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cairn server}: a meta server and a storage node in one process (one JVM, one metrics
 * endpoint, one set of gRPC event loops), as a host that holds both roles runs them.
 */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a meta server and a storage node in one process: both roles of one host.",
                "DIR/meta holds the meta server's data (Raft log, snapshots, database), DIR/node the storage node's"
                        + " (its uuid and brick list). Takes the options of 'cairn meta' and 'cairn node'.",
                "Add the node to the pool with 'cairn peer probe HOST:PORT' (the --storage-listen address).",
                "SIGTERM or Ctrl-C stops both; if either cannot start, the process exits 1 with that role's error."})
final class ServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Data directory of both roles: DIR/meta and DIR/node (created if missing).")
    Path data;

    @Option(names = "--storage-listen", required = true, paramLabel = "HOST:PORT",
            description = "The storage node's address, as clients, peers and 'cairn peer probe' reach it.")
    String storageListen;

    @Option(names = "--meta-listen", paramLabel = "HOST:PORT",
            description = "Where the meta server binds, e.g. 0.0.0.0:PORT; the port must be this server's port in --peers"
                    + " (default: that address).")
    String metaListen;

    @Option(names = "--meta", paramLabel = "HOST:PORT,...",
            description = "Meta servers the storage node reports to (default: every address in --peers).")
    String meta;

    @Mixin
    MetaOptions metaOptions;

    @Mixin
    NodeOptions nodeOptions;

    @Mixin
    MetricsOption metrics;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(data) && !Files.isDirectory(data)) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "--data " + data + " is not a directory; give a directory"
                    + " (created if missing)");
        }
        checkPorts();
        MetaConfig metaSettings = metaOptions.settings(spec, data.resolve("meta"), "--meta-listen", metaListen);
        String metas = meta != null ? meta : String.join(",", metaOptions.peers.values());
        StorageConfig nodeSettings = nodeOptions.settings(spec, data.resolve("node"), storageListen, metas,
                "pass --meta HOST:PORT[,HOST:PORT...] or --peers");
        log.info("{} effective configuration: {}", metaOptions.id, EffectiveConfig.describe(spec));
        // The meta server first: the storage node heartbeats to it.
        return ServerRoles.run(metaOptions.id, metrics, List.of(
                registry -> MetaServer.start(metaSettings, registry),
                registry -> StorageNode.start(nodeSettings, registry)));
    }

    /** The storage node must not take the meta server's client port or its Raft port (the one after). */
    private void checkPorts() {
        String own = metaOptions.peers.get(metaOptions.id);
        if (own == null) {
            return;  // the meta server's own check names the missing --peers entry
        }
        try {
            Addresses.check(storageListen);
            Addresses.check(own);
        } catch (CairnException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        int port = Addresses.port(storageListen);
        int metaPort = Addresses.port(own);
        if (port == metaPort || port == metaPort + 1) {
            throw new ParameterException(spec.commandLine(), "--storage-listen " + storageListen + " takes the meta server's "
                    + (port == metaPort ? "client" : "Raft") + " port " + port + " (--peers " + metaOptions.id + "=" + own
                    + " uses " + metaPort + " and " + (metaPort + 1) + "); use another port");
        }
    }
}
