package io.cairn.cli;

import io.cairn.meta.MetaConfig;
import io.cairn.meta.MetaServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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

    @Mixin
    MetaOptions options;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Where to bind, e.g. 0.0.0.0:PORT; the port must be this server's port in --peers (default: that address).")
    String listen;

    @Option(names = "--data", required = true, description = "Data directory (Raft log, snapshots, database).")
    Path data;

    @Override
    public Integer call() throws Exception {
        MetaConfig settings = options.settings(spec, data, "--listen", listen);
        log.info("{} effective configuration: {}", options.id, EffectiveConfig.describe(spec));
        return ServerRoles.run(options.id, metrics, List.of(registry -> MetaServer.start(settings, registry)));
    }
}
