package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.proto.AcquireLeaseRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.ReleaseLeaseRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Shared directory leases (DESIGN.md, "Metadata fast path", 1). A directory this mount looks
 * names up in often ({@link #HOT_LOOKUPS} times that went to the meta group within
 * {@link #HOT_WINDOW_NANOS}) it leases shared and lists once; while it holds the lease it answers
 * lookups there itself: a name the listing lacks does not exist, a listed one needs only its
 * attributes. The leader recalls the lease before any other client changes the directory; the
 * listing then goes, and so do the copies of its names in the mount's cache and the kernel's
 * ({@link Forget}), so the next lookup asks the meta group and sees the change.
 *
 * <p>A shared lease is for reading: a directory this mount changes goes to {@link WriteBack}'s
 * exclusive lease (which the meta group grants over this mount's own shared one) or to the meta
 * group, and the shared listing is dropped first ({@link #drop}). Releases name themselves shared,
 * so one sent late never gives back an exclusive lease taken since. Thread-safe: one monitor;
 * the calls to the meta group are made outside it.
 */
final class SharedLeases {
    static final int HOT_LOOKUPS = 16;
    static final long HOT_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long COOLDOWN_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Names answered as missing that are remembered per directory, so that a recall can drop the kernel's negative entries. */
    private static final int MAX_MISSED = 1024;
    private static final Credentials ROOT = Credentials.getDefaultInstance();

    /** Told the names of a directory whose lease went, to forget what the caches hold of them. */
    interface Forget {
        void names(long dir, Collection<String> names);
    }

    private final MetaClient meta;
    private final int volumeId;
    private final LongSupplier nanoClock;
    private final BooleanSupplier sessionAlive;
    private final Map<Long, LeasedDir> dirs = new HashMap<>();
    private final Map<Long, Set<String>> missed = new HashMap<>();
    private final Map<Long, long[]> heat = new HashMap<>();  // dir -> {window start, lookups}
    private final Map<Long, Long> cooldownUntil = new HashMap<>();
    /** Bumped by every drop and recall of a directory: a lease taken meanwhile is not used. */
    private final Map<Long, Long> drops = new HashMap<>();
    private final Set<Long> taking = new LinkedHashSet<>();
    private volatile Forget forget = (dir, names) -> { };

    SharedLeases(MetaClient meta, int volumeId, LongSupplier nanoClock, BooleanSupplier sessionAlive) {
        this.meta = meta;
        this.volumeId = volumeId;
        this.nanoClock = nanoClock;
        this.sessionAlive = sessionAlive;
    }

    void onForget(Forget f) {
        this.forget = f;
    }

    /** What the shared listing of {@code dir} says of {@code name}; null when this mount holds none. */
    synchronized WriteBack.Lookup lookup(Credentials cred, long dir, String name) {
        LeasedDir d = dirs.get(dir);
        if (d == null || !sessionAlive.getAsBoolean() || !Names.valid(name) || !Access.allows(d.attr, cred, Access.X)) {
            return null;
        }
        LeasedDir.Entry e = d.entries.get(name);
        if (e != null) {
            return new WriteBack.Lookup(e.inode(), null);
        }
        Set<String> m = missed.computeIfAbsent(dir, k -> new LinkedHashSet<>());
        if (m.size() < MAX_MISSED) {
            m.add(name);
        }
        return WriteBack.Lookup.MISSING;
    }

    /** A lookup in {@code dir} went to the meta group: a directory looked in often is leased shared. */
    void looked(Credentials cred, long dir) {
        long epoch;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            Long until = cooldownUntil.get(dir);
            if (dirs.containsKey(dir) || taking.contains(dir) || (until != null && now < until)
                    || !sessionAlive.getAsBoolean()) {
                return;
            }
            long[] h = heat.computeIfAbsent(dir, k -> new long[] {now, 0});
            if (now - h[0] > HOT_WINDOW_NANOS) {
                h[0] = now;
                h[1] = 0;
            }
            if (++h[1] < HOT_LOOKUPS) {
                return;
            }
            heat.remove(dir);
            if (heat.size() > 4096) {
                heat.clear();  // cold directories looked in once are not worth keeping count of
            }
            taking.add(dir);
            epoch = drops.getOrDefault(dir, 0L);
        }
        LeasedDir d = null;
        boolean granted = false;
        try {
            meta.mutateUnordered(cred, MetaMutation.newBuilder().setAcquireLease(AcquireLeaseRequest.newBuilder()
                    .setVolumeId(volumeId).setInode(dir).setShared(true)).build(), meta.nextCallId());
            granted = true;
            d = LeasedDir.read(meta, volumeId, cred, dir, LeasedDir.MAX_LISTING);
        } catch (CairnException e) {
            // No permission to read it, shared by too many, or held by a writer: ask the meta group.
        }
        boolean keep;
        synchronized (this) {
            taking.remove(dir);
            keep = d != null && drops.getOrDefault(dir, 0L) == epoch && sessionAlive.getAsBoolean();
            if (keep) {
                dirs.put(dir, d);
            } else {
                cooldownUntil.put(dir, nanoClock.getAsLong() + COOLDOWN_NANOS);
            }
        }
        if (granted && !keep) {
            release(dir);
        }
    }

    /**
     * This mount is about to change {@code dir} or lease it exclusively: the shared listing goes
     * (the caller's change moves the directory on; an exclusive grant takes the shared lease in).
     */
    void drop(long dir, boolean giveBack) {
        LeasedDir gone;
        Set<String> names;
        synchronized (this) {
            drops.merge(dir, 1L, Long::sum);
            gone = dirs.remove(dir);
            names = missed.remove(dir);
        }
        if (gone != null) {
            forgetNames(gone, names);
            if (giveBack) {
                release(dir);
            }
        }
    }

    /** Whether this mount holds {@code dir} shared. */
    synchronized boolean holds(long dir) {
        return dirs.containsKey(dir);
    }

    /**
     * The leader recalls {@code dir}, which this mount does not hold exclusively: the listing goes,
     * the caches forget its names, and the shared lease is given back, also when this mount no
     * longer uses it (a lease being taken, or one left behind by an exclusive request that failed):
     * the leader recalls only holders, and waits for this release.
     */
    void recalled(long dir) {
        synchronized (this) {
            cooldownUntil.put(dir, nanoClock.getAsLong() + COOLDOWN_NANOS);
        }
        drop(dir, false);
        release(dir);
    }

    /** The session lapsed: no shared listing is trusted until leased again. */
    void abandon() {
        List<Long> all;
        synchronized (this) {
            all = new ArrayList<>(dirs.keySet());
        }
        for (long dir : all) {
            drop(dir, true);
        }
    }

    private void forgetNames(LeasedDir d, Set<String> missedNames) {
        List<String> names = new ArrayList<>(d.entries.keySet());
        if (missedNames != null) {
            names.addAll(missedNames);
        }
        forget.names(d.inode, names);
    }

    private void release(long dir) {
        try {
            meta.mutateUnordered(ROOT, MetaMutation.newBuilder().setReleaseLease(ReleaseLeaseRequest.newBuilder()
                    .setVolumeId(volumeId).setInode(dir).setShared(true)).build(), meta.nextCallId());
        } catch (CairnException e) {
            // The leader ends this client's leases with its session if it never hears of this.
        }
    }

    /** Gives every shared lease back (an unmount). */
    void close() {
        abandon();
    }
}
