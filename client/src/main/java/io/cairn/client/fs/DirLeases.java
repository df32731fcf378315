package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.proto.AcquireLeaseRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.ReleaseLeaseRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The life cycle of this client's exclusive directory leases (DESIGN.md, "Metadata fast path",
 * 1): taking one with the directory's listing ({@link #lease}), using it only while the session
 * is surely alive ({@link #usable}; {@link ClientSession} renews it), and giving it back, on a
 * recall, when the session lapsed, when the listing could not be read, or at unmount
 * ({@link #release}). A release is queued behind the changes made under the lease, so the meta
 * group applies them before it hands the directory to anyone else; what was made in the
 * directory stops being fresh ({@link FreshInodes#released}). A directory given back is not
 * leased again for a cool-down, so two clients taking turns in one directory do not trade the
 * lease on every call.
 *
 * <p>Threading: not thread-safe, except {@link #abandon}, {@link #abandonIfLapsed} and
 * {@link #recalled}, which take the monitor themselves; everything else is called with the {@link WriteBack} monitor held, which
 * guards the leases together with the changes made under them. The calls to the meta group in
 * {@link #lease} are made under that monitor, as the caller needs their answer to go on.
 */
final class DirLeases {
    private static final Credentials ROOT = Credentials.getDefaultInstance();
    private static final long COOLDOWN_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Object monitor;
    private final MetaClient meta;
    private final int volumeId;
    private final LongSupplier nanoClock;
    private final BooleanSupplier sessionAlive;
    private final SharedLeases shared;
    private final ChangeQueue queue;
    private final FreshInodes fresh;
    private final Map<Long, LeasedDir> dirs = new HashMap<>();
    private final Map<Long, Long> cooldownUntil = new HashMap<>();

    DirLeases(Object monitor, MetaClient meta, int volumeId, LongSupplier nanoClock, BooleanSupplier sessionAlive,
              SharedLeases shared, ChangeQueue queue, FreshInodes fresh) {
        this.monitor = monitor;
        this.meta = meta;
        this.volumeId = volumeId;
        this.nanoClock = nanoClock;
        this.sessionAlive = sessionAlive;
        this.shared = shared;
        this.queue = queue;
        this.fresh = fresh;
    }

    /** The leased directory, whether or not it may be used now (see {@link #usable}); null when not leased. */
    LeasedDir get(long dir) {
        return dirs.get(dir);
    }

    boolean holds(long dir) {
        return dirs.containsKey(dir);
    }

    /** The leased directory when this client may act in it alone now, else null (a lapsed session gives every lease up). */
    LeasedDir usable(long dir) {
        LeasedDir d = dirs.get(dir);
        if (d != null && !sessionAlive.getAsBoolean()) {
            abandon();
            return null;
        }
        return d;
    }

    /** Takes the directory's lease and its listing; null when it is not worth it or not possible now. */
    LeasedDir lease(Credentials cred, long dir) {
        Long until = cooldownUntil.get(dir);
        if (!sessionAlive.getAsBoolean() || (until != null && nanoClock.getAsLong() < until)) {
            return null;
        }
        cooldownUntil.remove(dir);
        shared.drop(dir, false);  // the exclusive grant takes this mount's shared lease in; if refused, a recall gives it back
        try {
            meta.mutateUnordered(cred, MetaMutation.newBuilder().setAcquireLease(AcquireLeaseRequest.newBuilder()
                    .setVolumeId(volumeId).setInode(dir)).build(), meta.nextCallId());
        } catch (CairnException e) {
            cooldownUntil.put(dir, nanoClock.getAsLong() + COOLDOWN_NANOS);
            return null;  // a permission the caller lacks, or another client keeps it: the meta group decides
        }
        try {
            LeasedDir d = LeasedDir.read(meta, volumeId, cred, dir, LeasedDir.MAX_LISTING);
            if (d == null) {
                release(dir);
                cooldownUntil.put(dir, Long.MAX_VALUE);  // too big to lease: this mount asks the meta group
                return null;
            }
            dirs.put(dir, d);
            return d;
        } catch (CairnException e) {
            release(dir);
            return null;
        }
    }

    /**
     * A directory this client just made: nobody else knows it, so it is leased to its maker from
     * the start, empty; the acquisition is queued after its mkdir.
     */
    void made(Credentials cred, InodeAttr attr) {
        queue.add(cred, MetaMutation.newBuilder().setAcquireLease(AcquireLeaseRequest.newBuilder()
                .setVolumeId(volumeId).setInode(attr.getInode())).build());
        dirs.put(attr.getInode(), new LeasedDir(attr.getInode(), attr));
    }

    /** A leased directory made ahead is gone (removed, or replaced by a rename): its lease goes with it, in the meta group too. */
    void gone(long dir) {
        dirs.remove(dir);
    }

    /** Gives the lease back: the release is queued after the changes made under it. */
    void release(long dir) {
        dirs.remove(dir);
        fresh.released(dir);
        cooldownUntil.put(dir, nanoClock.getAsLong() + COOLDOWN_NANOS);
        queue.add(ROOT, MetaMutation.newBuilder().setReleaseLease(ReleaseLeaseRequest.newBuilder()
                .setVolumeId(volumeId).setInode(dir)).build());
    }

    /** Gives every lease back (an unmount). */
    void releaseAll() {
        for (long dir : new ArrayList<>(dirs.keySet())) {
            release(dir);
        }
    }

    /**
     * The leader recalls {@code dir}'s lease: if this client holds it exclusive, it is given back
     * and its names are returned (the caches must forget them); else null. Takes the monitor.
     */
    List<String> recalled(long dir) {
        synchronized (monitor) {
            LeasedDir d = dirs.get(dir);
            if (d == null) {
                return null;
            }
            List<String> names = new ArrayList<>(d.entries.keySet());
            release(dir);
            return names;
        }
    }

    /** Gives every lease up when the session lapsed (see {@link #abandon}); takes the monitor. */
    void abandonIfLapsed() {
        if (!sessionAlive.getAsBoolean()) {
            abandon();
        }
    }

    /**
     * The session lapsed: the leader may have taken the leases back, so none is used until leased
     * again. Takes the monitor for the exclusive leases; the shared ones are given up after it.
     */
    void abandon() {
        synchronized (monitor) {
            releaseAll();
        }
        shared.abandon();
    }
}
