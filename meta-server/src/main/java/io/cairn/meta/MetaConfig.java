package io.cairn.meta;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.Addresses;
import io.cairn.meta.pool.BrickFill;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A meta server's settings, each default written once here. Every meta server has one address
 * HOST:PORT for clients (the MetaService); its Raft peer port is PORT + 1.
 *
 * @param id             this server's id, one of the keys of {@code peers}
 * @param peers          every meta server: id to client address HOST:PORT
 * @param dataDir        where the Raft log, snapshots and the live database live
 * @param nodeDownTimeout a storage node silent this long is down
 * @param nodeOutTimeout a storage node down this long is out: its replicas are re-replicated
 * @param snapshotEvery  log entries between automatic snapshots
 * @param maxBatch       mutations grouped into one log entry at most
 * @param logSegmentBytes size of a Raft log segment; the log is purged a whole closed segment at a time
 * @param repair         how the leader repairs chunks (self-heal)
 * @param listenHost     the host to bind (e.g. 0.0.0.0); null: the host of this server's peers entry,
 *                       which stays the address others reach it at
 * @param clientLease    a client holding advisory locks that is silent this long loses them
 * @param fill           the fill ratios at which a brick is nearfull (flagged) and full (no new chunks)
 */
public record MetaConfig(String id, Map<String, String> peers, Path dataDir, Duration nodeDownTimeout,
                         Duration nodeOutTimeout, long snapshotEvery, int maxBatch, long logSegmentBytes,
                         RepairSettings repair, String listenHost, Duration clientLease, BrickFill fill) {
    /**
     * @param interval       time between two scans of every chunk for repair work
     * @param parallel       chunks repaired at once
     * @param bytesPerSecond copy rate of one repair, so repair does not crowd out clients
     */
    public record RepairSettings(Duration interval, int parallel, long bytesPerSecond) {
        public static final RepairSettings DEFAULT = new RepairSettings(Duration.ofSeconds(30), 2, 64L << 20);
    }

    public static final Duration DEFAULT_NODE_DOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_NODE_OUT_TIMEOUT = Duration.ofMinutes(10);
    public static final long DEFAULT_SNAPSHOT_EVERY = 100_000;
    public static final int DEFAULT_MAX_BATCH = 512;
    public static final long DEFAULT_LOG_SEGMENT_BYTES = 8L << 20;
    /** As Ceph's MDS session timeout: a crashed client's locks are free again after a minute. */
    public static final Duration DEFAULT_CLIENT_LEASE = Duration.ofSeconds(60);
    /** The group id all meta servers share: one metadata Raft group per pool. */
    public static final String GROUP_ID = "c41a0000-0000-4000-8000-00000000ca12";

    public MetaConfig {
        peers = Map.copyOf(new LinkedHashMap<>(peers));
    }

    public static MetaConfig of(String id, Map<String, String> peers, Path dataDir) {
        return new MetaConfig(id, peers, dataDir, DEFAULT_NODE_DOWN_TIMEOUT, DEFAULT_NODE_OUT_TIMEOUT,
                DEFAULT_SNAPSHOT_EVERY, DEFAULT_MAX_BATCH, DEFAULT_LOG_SEGMENT_BYTES, RepairSettings.DEFAULT, null,
                DEFAULT_CLIENT_LEASE, BrickFill.DEFAULT);
    }

    public MetaConfig withTimeouts(Duration down, Duration out) {
        return new MetaConfig(id, peers, dataDir, down, out, snapshotEvery, maxBatch, logSegmentBytes, repair, listenHost, clientLease, fill);
    }

    public MetaConfig withSnapshotEvery(long entries) {
        return new MetaConfig(id, peers, dataDir, nodeDownTimeout, nodeOutTimeout, entries, maxBatch, logSegmentBytes, repair, listenHost, clientLease, fill);
    }

    public MetaConfig withMaxBatch(int mutations) {
        return new MetaConfig(id, peers, dataDir, nodeDownTimeout, nodeOutTimeout, snapshotEvery, mutations, logSegmentBytes, repair, listenHost, clientLease, fill);
    }

    public MetaConfig withLogSegmentBytes(long bytes) {
        return new MetaConfig(id, peers, dataDir, nodeDownTimeout, nodeOutTimeout, snapshotEvery, maxBatch, bytes, repair, listenHost, clientLease, fill);
    }

    public MetaConfig withRepair(RepairSettings settings) {
        return new MetaConfig(id, peers, dataDir, nodeDownTimeout, nodeOutTimeout, snapshotEvery, maxBatch,
                logSegmentBytes, settings, listenHost, clientLease, fill);
    }

    public MetaConfig withListenHost(String host) {
        return new MetaConfig(id, peers, dataDir, nodeDownTimeout, nodeOutTimeout, snapshotEvery, maxBatch,
                logSegmentBytes, repair, host, clientLease, fill);
    }

    public MetaConfig withClientLease(Duration lease) {
        return new MetaConfig(id, peers, dataDir, nodeDownTimeout, nodeOutTimeout, snapshotEvery, maxBatch,
                logSegmentBytes, repair, listenHost, lease, fill);
    }

    public MetaConfig withFill(BrickFill ratios) {
        return new MetaConfig(id, peers, dataDir, nodeDownTimeout, nodeOutTimeout, snapshotEvery, maxBatch,
                logSegmentBytes, repair, listenHost, clientLease, ratios);
    }

    /** The host the client and Raft ports are bound on. */
    public String bindHost() {
        return listenHost != null ? listenHost : host(clientAddress());
    }

    public String clientAddress() {
        return peers.get(id);
    }

    public static String host(String address) {
        return Addresses.host(address);
    }

    public static int port(String address) {
        return Addresses.port(address);
    }

    public static String raftAddress(String clientAddress) {
        return host(clientAddress) + ":" + (port(clientAddress) + 1);
    }

    /** Checks every value; the message names the setting and the fix. */
    public void validate() throws CairnException {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "invalid meta server id '" + id + "': use 1 to 32 letters, digits, '-' or '_'");
        }
        if (!peers.containsKey(id)) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "the peers list " + peers.keySet() + " does not name this server's id '" + id + "'");
        }
        for (Map.Entry<String, String> p : peers.entrySet()) {
            Addresses.check(p.getValue());
            if (port(p.getValue()) == 65535) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "port of " + p.getKey()
                        + " must be below 65535: the next port is its Raft port");
            }
        }
        if (nodeDownTimeout.isNegative() || nodeDownTimeout.isZero() || nodeOutTimeout.compareTo(nodeDownTimeout) < 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "node-down-timeout must be positive and node-out-timeout at least as long");
        }
        if (snapshotEvery < 1 || maxBatch < 1 || logSegmentBytes < 16 * 1024) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "snapshot interval and batch size must be positive, log segments at least 16 KiB");
        }
        if (repair.interval().isNegative() || repair.interval().isZero() || repair.parallel() < 1
                || repair.bytesPerSecond() < 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "repair interval and parallel repairs must be positive, the repair rate not negative (0: unlimited)");
        }
        if (clientLease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "client-lease must be at least 1s (a client renews it every third of it)");
        }
        fill.validate();
    }
}
