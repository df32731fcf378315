package io.cairn.meta.locks;

import com.google.protobuf.ByteString;
import io.cairn.meta.store.ReadView;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.ReleaseLocksRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, the leases of clients that hold advisory locks or reserved inode numbers: soft
 * state, as node liveness is. A client renews its lease with a keep-alive (and by every lock request) well inside the
 * lease; one silent for a whole lease has crashed or lost the meta service, and its locks are
 * released through the log so other clients may take them. Silence is counted from the later of
 * the last renewal and the moment this server became leader, so a new leader gives every client
 * a full lease before judging it.
 */
public final class ClientLeases implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ClientLeases.class);

    private final String id;
    private final BooleanSupplier isLeader;
    private final Supplier<ReadView> committed;
    private final Consumer<MetaMutation> propose;
    private final Clock clock;
    private final Duration lease;
    private final Map<ByteString, Long> renewedMs = new ConcurrentHashMap<>();
    private volatile long leaderSinceMs;

    public ClientLeases(String id, BooleanSupplier isLeader, Supplier<ReadView> committed,
                        Consumer<MetaMutation> propose, Clock clock, Duration lease) {
        this.id = id;
        this.isLeader = isLeader;
        this.committed = committed;
        this.propose = propose;
        this.clock = clock;
        this.lease = lease;
        this.leaderSinceMs = clock.millis();
    }

    public void leaderChanged() {
        leaderSinceMs = clock.millis();
        renewedMs.clear();
    }

    /** The client is alive; returns the lease it has from now. */
    public Duration renew(ByteString clientId) {
        renewedMs.put(clientId, clock.millis());
        return lease;
    }

    @Override
    public void run() {
        try {
            if (!isLeader.getAsBoolean()) {
                return;
            }
            long now = clock.millis();
            java.util.Set<ByteString> holders = LockOps.holders(committed.get());
            holders.addAll(io.cairn.meta.namespace.InodeReservations.holders(committed.get()));
            holders.addAll(io.cairn.meta.namespace.DirLeases.holders(committed.get()));
            for (ByteString client : holders) {
                long last = Math.max(renewedMs.getOrDefault(client, 0L), leaderSinceMs);
                if (now - last > lease.toMillis()) {
                    log.info("{} client {} silent for over {}: releasing its locks, leases and reserved inode numbers", id,
                            HexFormat.of().formatHex(client.toByteArray()), lease);
                    renewedMs.remove(client);
                    propose.accept(MetaMutation.newBuilder()
                            .setReleaseLocks(ReleaseLocksRequest.newBuilder().setClientId(client)).build());
                }
            }
            renewedMs.values().removeIf(ms -> now - ms > 2 * lease.toMillis());
        } catch (RuntimeException e) {
            log.warn("{} client lease round failed", id, e);
        }
    }
}
