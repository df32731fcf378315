package io.cairn.cli;

import io.cairn.storage.node.StorageConfig;
import io.cairn.storage.node.StorageNode;
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

    @Mixin
    NodeOptions options;

    @Override
    public Integer call() throws Exception {
        // Not picocli-required: 'cairn node recover-identity' must parse without them.
        if (data == null || listen == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option" + (data == null && listen == null
                    ? "s: '--data=DIR', '--listen=HOST:PORT'" : data == null ? ": '--data=DIR'" : ": '--listen=HOST:PORT'"));
        }
        String metas = meta != null ? meta : ((Main) spec.root().userObject()).env().get(AdminCommand.META_ENV);
        StorageConfig settings = options.settings(spec, data, listen, metas,
                "pass --meta HOST:PORT[,HOST:PORT...] or set " + AdminCommand.META_ENV);
        log.info("{} effective configuration: {}", listen, EffectiveConfig.describe(spec));
        return ServerRoles.run(listen, metrics, List.of(registry -> StorageNode.start(settings, registry)));
    }
}
