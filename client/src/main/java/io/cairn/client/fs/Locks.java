package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.common.DaemonThreads;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.FileLock;
import io.cairn.proto.GetLockRequest;
import io.cairn.proto.KeepAliveRequest;
import io.cairn.proto.LockKind;
import io.cairn.proto.LockType;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.ReleaseLocksRequest;
import io.cairn.proto.SetLockRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This client's advisory locks (fcntl record locks and flock), kept by the meta service so they
 * hold across every client of the volume. A lock that has to wait (F_SETLKW, flock without
 * LOCK_NB) asks again with a growing pause until it is granted or the caller is interrupted, as
 * an NFSv4 client polls for a blocking lock. Once this client has taken a lock it renews its
 * lease with the leader every third of the lease; a client that stops (crash, lost network)
 * loses its locks after the lease. Remembers which (inode, owner) pairs may hold locks, so the
 * unlock that every close() brings costs nothing for files this client never locked.
 */
final class Locks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Locks.class);
    private static final Credentials ROOT = Credentials.getDefaultInstance();
    private static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(500);

    private final MetaClient meta;
    private final int volumeId;
    /** Per inode, the owners (by kind) that may hold a lock on it through this client. */
    private final Map<Long, Set<Holder>> mayHold = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("cairn-lock-lease"));
    private volatile boolean renewing;

    private record Holder(LockKind kind, long owner) {
    }

    Locks(MetaClient meta, int volumeId) {
        this.meta = meta;
        this.volumeId = volumeId;
    }

    /** Whether the owner may hold a lock of this kind on the inode through this client. */
    boolean mayHold(long inode, FileLock lock) {
        return mayHold.getOrDefault(inode, Set.of()).contains(new Holder(lock.getKind(), lock.getOwner()));
    }

    /**
     * Takes, changes or (type LOCK_UNLOCK) releases a lock of {@code inode}; the lock's client id
     * is filled in here. Without {@code wait} a conflict fails at once with LOCKED.
     */
    void set(long inode, FileLock lock, boolean wait, BooleanSupplier interrupted) throws CairnException {
        Holder holder = new Holder(lock.getKind(), lock.getOwner());
        boolean unlock = lock.getType() == LockType.LOCK_UNLOCK;
        if (unlock && !mayHold(inode, lock)) {
            return;
        }
        FileLock mine = lock.toBuilder().setClientId(meta.clientId()).build();
        if (!unlock) {
            // In one step with the map: an unlock that empties the set drops it from the map, and an
            // add to a set already dropped would be lost (its unlock later skipped: a leaked lock).
            mayHold.compute(inode, (k, owners) -> {
                Set<Holder> s = owners != null ? owners : ConcurrentHashMap.newKeySet();
                s.add(holder);
                return s;
            });
            startRenewing();
        }
        long pauseMs = FIRST_PAUSE.toMillis();
        while (true) {
            try {
                meta.mutate(ROOT, MetaMutation.newBuilder().setSetLock(SetLockRequest.newBuilder()
                        .setVolumeId(volumeId).setInode(inode).setLock(mine)).build());
                break;
            } catch (CairnException e) {
                if (e.code() != ErrorCode.LOCKED || !wait) {
                    throw e;
                }
            }
            if (interrupted.getAsBoolean()) {
                throw new CairnException(ErrorCode.INTERRUPTED, "interrupted while waiting for a lock on inode " + inode);
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CairnException(ErrorCode.INTERRUPTED, "interrupted while waiting for a lock on inode " + inode);
            }
            pauseMs = Math.min(LONGEST_PAUSE.toMillis(), pauseMs * 2);
        }
        if (unlock && lock.getStart() == 0 && lock.getEnd() == -1L) {
            mayHold.computeIfPresent(inode, (k, owners) -> {
                owners.remove(holder);
                return owners.isEmpty() ? null : owners;
            });
        }
    }

    /** Releases every lock this client may hold on the inode (its last open handle there closed). */
    void releaseAll(long inode) throws CairnException {
        for (Holder h : Set.copyOf(mayHold.getOrDefault(inode, Set.of()))) {
            set(inode, FileLock.newBuilder().setKind(h.kind()).setOwner(h.owner()).setType(LockType.LOCK_UNLOCK)
                    .setStart(0).setEnd(-1L).build(), false, () -> false);
        }
    }

    /** F_GETLK: the first lock of another holder that conflicts with {@code lock}. */
    Optional<FileLock> conflicting(long inode, FileLock lock) throws CairnException {
        FileLock mine = lock.toBuilder().setClientId(meta.clientId()).build();
        var reply = meta.query(ROOT, MetaQuery.newBuilder().setGetLock(GetLockRequest.newBuilder()
                .setVolumeId(volumeId).setInode(inode).setLock(mine)).build());
        return reply.hasLock() ? Optional.of(reply.getLock()) : Optional.empty();
    }

    private synchronized void startRenewing() {
        if (renewing) {
            return;
        }
        renewing = true;
        Duration lease = renew();
        long periodMs = Math.max(200, lease.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renew, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private Duration renew() {
        try {
            long ms = meta.queryUnordered(ROOT, MetaQuery.newBuilder().setKeepAlive(KeepAliveRequest.newBuilder()
                    .setClientId(meta.clientId())).build()).getLease().getLeaseMs();
            return Duration.ofMillis(ms);
        } catch (CairnException | RuntimeException e) {
            log.warn("could not renew this client's lock lease (its locks go if this lasts a whole lease): {}",
                    e.getMessage());
            return Duration.ofSeconds(3);
        }
    }

    /** Stops renewing and hands back every lock this client holds (an unmount). */
    @Override
    public void close() {
        renewer.shutdownNow();
        if (!renewing) {
            return;
        }
        try {
            meta.mutate(ROOT, MetaMutation.newBuilder().setReleaseLocks(
                    ReleaseLocksRequest.newBuilder().setClientId(meta.clientId())).build());
        } catch (CairnException e) {
            log.warn("could not release this client's locks; they go when its lease ends: {}", e.getMessage());
        }
    }
}
