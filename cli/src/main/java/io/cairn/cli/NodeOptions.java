package io.cairn.cli;

import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.storage.node.StorageConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The storage node's tuning options, shared by {@code cairn node} and {@code cairn server}. */
final class NodeOptions {
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

    /**
     * The node's settings: data in {@code data}, serving on {@code listen}, its meta servers
     * {@code metas} (null or blank: none given, a usage error naming {@code metaFix}); malformed
     * addresses are usage errors of {@code spec}'s command.
     */
    StorageConfig settings(CommandSpec spec, Path data, String listen, String metas, String metaFix) {
        if (metas == null || metas.isBlank()) {
            throw new ParameterException(spec.commandLine(), "no meta server given: " + metaFix);
        }
        try {
            Addresses.check(listen);
            for (String a : metas.trim().split("\\s*,\\s*")) {
                Addresses.check(a);
            }
        } catch (CairnException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return StorageConfig.of(data.toAbsolutePath(), listen, metas.trim())
                .withHeartbeatInterval(heartbeat).withScrub(scrubInterval, scrubRate).withSyncInterval(syncInterval);
    }
}
