package io.cairn.storage.node;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A storage node's settings, each default written once here.
 *
 * @param dataDir           the node's own directory: node.id, the brick list
 * @param address           HOST:PORT it listens on and that clients and peers use
 * @param metaAddresses     the meta servers, comma-separated HOST:PORT
 * @param heartbeatInterval how often it tells the meta leader it lives
 * @param peerTimeout       how long a primary waits for a replica
 * @param scrubInterval     time between the starts of two scrub passes over every replica
 * @param scrubBytesPerSecond how fast a scrub pass reads, so it does not crowd out clients
 * @param fullReportInterval time between two full replica reports (changes are reported at once)
 * @param syncInterval      how long written replica bytes may stay in the page cache before the
 *                          node syncs them itself (a client's fsync syncs at once): the most a
 *                          power cut can take of data that was written but never fsynced
 */
public record StorageConfig(Path dataDir, String address, String metaAddresses, Duration heartbeatInterval,
                            Duration peerTimeout, Duration scrubInterval, long scrubBytesPerSecond,
                            Duration fullReportInterval, Duration syncInterval) {
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(3);
    public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SCRUB_INTERVAL = Duration.ofDays(1);
    public static final long DEFAULT_SCRUB_BYTES_PER_SECOND = 32L << 20;
    public static final Duration DEFAULT_FULL_REPORT_INTERVAL = Duration.ofHours(1);
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(5);

    public static StorageConfig of(Path dataDir, String address, String metaAddresses) {
        return new StorageConfig(dataDir, address, metaAddresses, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_PEER_TIMEOUT,
                DEFAULT_SCRUB_INTERVAL, DEFAULT_SCRUB_BYTES_PER_SECOND, DEFAULT_FULL_REPORT_INTERVAL, DEFAULT_SYNC_INTERVAL);
    }

    public StorageConfig withHeartbeatInterval(Duration interval) {
        return new StorageConfig(dataDir, address, metaAddresses, interval, peerTimeout, scrubInterval,
                scrubBytesPerSecond, fullReportInterval, syncInterval);
    }

    public StorageConfig withScrub(Duration interval, long bytesPerSecond) {
        return new StorageConfig(dataDir, address, metaAddresses, heartbeatInterval, peerTimeout, interval,
                bytesPerSecond, fullReportInterval, syncInterval);
    }

    public StorageConfig withFullReportInterval(Duration interval) {
        return new StorageConfig(dataDir, address, metaAddresses, heartbeatInterval, peerTimeout, scrubInterval,
                scrubBytesPerSecond, interval, syncInterval);
    }

    public StorageConfig withSyncInterval(Duration interval) {
        return new StorageConfig(dataDir, address, metaAddresses, heartbeatInterval, peerTimeout, scrubInterval,
                scrubBytesPerSecond, fullReportInterval, interval);
    }
}
