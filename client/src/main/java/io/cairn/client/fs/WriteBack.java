package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.common.DaemonThreads;
import io.cairn.proto.AcquireLeaseRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.DirEntry;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.InodeRange;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.Recall;
import io.cairn.proto.ReleaseLeaseRequest;
import io.cairn.proto.ReserveInodesRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-back of namespace changes (DESIGN.md, "Metadata fast path"): in a directory this client
 * holds the exclusive lease of, it knows the whole listing, answers lookups itself, and makes
 * creates, mkdirs, and the removals, renames and attribute changes of what it created under the
 * lease at once, queueing them for the meta group ({@link ChangeQueue}). The queue is sent after
 * the delay, when it is long, on fsync, before any other call to the meta group (so the meta
 * group sees this client's changes in order), when the leader recalls a lease, and at unmount.
 * Anything it cannot decide alone (a name that exists, a permission it would have to guess) is
 * left to the caller, which asks the meta group. Thread-safe: one monitor guards the state.
 */
final class WriteBack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteBack.class);
    private static final Credentials ROOT = Credentials.getDefaultInstance();
    /** A directory with more entries is not leased: its listing would cost more than it saves. */
    static final int MAX_LISTING = 10_000;
    private static final long COOLDOWN_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int RESERVE = 4096;
    /** Changes queued at most; the next waits for the queue to be sent (and fails if it cannot be). */
    static final int MAX_QUEUED = 4 * ChangeQueue.BATCH_OPS;

    private final MetaClient meta;
    private final int volumeId;
    private final LongSupplier nanoClock;
    private final ChangeQueue queue;
    private final ClientSession session;
    private final SharedLeases shared;
    private volatile SharedLeases.Forget forget = (dir, names) -> { };
    private final Duration delay;
    private final ScheduledExecutorService flusher =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cairn-writeback"));
    private final Map<Long, LeasedDir> dirs = new HashMap<>();
    /** Inodes created under a lease held since, by the leased directory holding their one name. */
    private final Map<Long, Long> freshIn = new HashMap<>();
    private final Map<Long, InodeAttr> fresh = new HashMap<>();
    /** The inline bytes of the fresh small files, for a later open of one (bounded: 32 MiB). */
    private final FreshBytes freshBytes = new FreshBytes(32L << 20);
    private final Map<Long, Long> cooldownUntil = new HashMap<>();
    private long nextInode;
    private long endInode;

    WriteBack(MetaClient meta, int volumeId, Duration delay, LongSupplier nanoClock) {
        this.meta = meta;
        this.volumeId = volumeId;
        this.delay = delay;
        this.nanoClock = nanoClock;
        this.queue = new ChangeQueue(meta);
        this.session = new ClientSession(meta, r -> flusher.execute(() -> recalled(r)), nanoClock);
        this.shared = new SharedLeases(meta, volumeId, nanoClock, session::alive);
    }

    /**
     * Told the names of a directory whose lease was recalled (exclusive or shared), after the
     * lease went back: what the caches hold of them may be stale from now on.
     */
    void onForget(SharedLeases.Forget f) {
        this.forget = f;
        shared.onForget(f);
    }

    private volatile java.util.function.LongPredicate fileRecalls;

    /**
     * Told the inode of a recalled lease that is not a directory's; answers whether it is an open
     * file of this client (whose held length it then commits, ending the lease).
     */
    void onFileRecall(java.util.function.LongPredicate f) {
        this.fileRecalls = f;
    }

    /** Whether this client's leases may be used now (see {@link ClientSession#alive}). */
    boolean sessionAlive() {
        return session.alive();
    }

    /** A lookup in {@code dir} went to the meta group (see {@link SharedLeases}). */
    void looked(Credentials cred, long dir) {
        synchronized (this) {
            if (dirs.containsKey(dir)) {
                return;
            }
        }
        shared.looked(cred, dir);
    }

    void start() {
        session.start();
        long ms = Math.max(10, delay.toMillis());
        flusher.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
        meta.setBarrier(new MetaClient.Barrier() {
            @Override
            public void beforeMutate(MetaMutation m) throws CairnException {
                flush();
                leaveToMeta(m);
            }

            @Override
            public void beforeQuery(MetaQuery q) throws CairnException {
                flush();
            }
        });
    }

    // ---- answers from the leased listings ----

    /** What a leased directory says of {@code name}: null when this client does not lease it. */
    synchronized Lookup lookup(Credentials cred, long dir, String name) {
        if (!Names.valid(name)) {
            return null;  // the meta group gives the right refusal (ENAMETOOLONG, EINVAL)
        }
        LeasedDir d = usable(dir);
        if (d == null) {
            return shared.lookup(cred, dir, name);
        }
        if (!Access.allows(d.attr, cred, Access.X)) {
            return null;
        }
        LeasedDir.Entry e = d.entries.get(name);
        return e == null ? Lookup.MISSING : new Lookup(e.inode(), attr(e.inode()));
    }

    /**
     * A leased listing's answer: the inode a name names (0: none) and, when this client is the
     * authority on it, its attributes, read in the same step (a rename may replace it right after).
     */
    record Lookup(long inode, InodeAttr attr) {
        static final Lookup MISSING = new Lookup(0, null);

        boolean missing() {
            return inode == 0;
        }
    }

    /** The attributes of an inode this client is the authority on: created under a held lease, or a leased directory. */
    synchronized InodeAttr attr(long inode) {
        LeasedDir d = dirs.get(inode);
        if (d != null) {
            return d.attrFromMeta ? null : d.attr;  // a leased directory's own copy is the one its changes move
        }
        return fresh.get(inode);
    }

    /** The listing of a leased directory (attributes of what this client created), or null. */
    synchronized List<DirEntry> readdir(Credentials cred, long dir) {
        LeasedDir d = usable(dir);
        if (d == null || !Access.allows(d.attr, cred, Access.R)) {
            return null;
        }
        List<DirEntry> out = new ArrayList<>(d.entries.size());
        d.entries.forEach((name, e) -> {
            DirEntry.Builder b = DirEntry.newBuilder().setName(name).setInode(e.inode()).setType(e.type());
            InodeAttr a = attr(e.inode());
            if (a != null) {
                b.setAttr(a);
            }
            out.add(b.build());
        });
        return out;
    }

    // ---- changes made here (null or false: the caller asks the meta group) ----

    /** create(2)/mknod(2) of a regular file, fifo or socket whose name does not exist. */
    synchronized InodeAttr create(Credentials cred, long dir, String name, int mode, long rdev) throws CairnException {
        int type = FileModes.type(mode) == 0 ? FileModes.S_IFREG : FileModes.type(mode);
        if (type != FileModes.S_IFREG && type != FileModes.S_IFIFO && type != FileModes.S_IFSOCK) {
            return null;
        }
        LeasedDir d = writable(cred, dir, name);
        if (d == null) {
            return null;
        }
        int perm = FileModes.createdFileMode(mode & 07777, d.attr, cred);
        long inode = reserve();
        long now = FileIo.nowNs();
        InodeAttr attr = InodeAttr.newBuilder().setInode(inode).setMode(type | perm).setUid(cred.getUid())
                .setGid(FileModes.createdGid(d.attr, cred)).setNlink(1).setAtimeNs(now).setMtimeNs(now).setCtimeNs(now)
                .build();
        queue.add(cred, MetaMutation.newBuilder().setCreate(io.cairn.proto.CreateRequest.newBuilder().setVolumeId(volumeId)
                .setParent(dir).setName(name).setMode(type | (mode & 07777)).setExclusive(true).setInode(inode)).build());
        added(d, name, attr, 0);
        if (type == FileModes.S_IFREG) {
            freshBytes.created(inode);
        }
        return attr;
    }

    synchronized InodeAttr mkdir(Credentials cred, long dir, String name, int mode) throws CairnException {
        LeasedDir d = writable(cred, dir, name);
        if (d == null) {
            return null;
        }
        long inode = reserve();
        long now = FileIo.nowNs();
        InodeAttr attr = InodeAttr.newBuilder().setInode(inode).setMode(FileModes.createdDirMode(mode, d.attr))
                .setUid(cred.getUid()).setGid(FileModes.createdGid(d.attr, cred)).setNlink(2)
                .setAtimeNs(now).setMtimeNs(now).setCtimeNs(now).build();
        queue.add(cred, MetaMutation.newBuilder().setMkdir(io.cairn.proto.MkdirRequest.newBuilder().setVolumeId(volumeId)
                .setParent(dir).setName(name).setMode(mode).setInode(inode)).build());
        added(d, name, attr, 1);
        if (Access.allows(attr, cred, Access.W | Access.X)) {
            // Nobody else knows the new directory: it is leased to its maker from the start, empty.
            queue.add(cred, MetaMutation.newBuilder().setAcquireLease(AcquireLeaseRequest.newBuilder()
                    .setVolumeId(volumeId).setInode(inode)).build());
            dirs.put(inode, new LeasedDir(inode, attr));
        }
        return attr;
    }

    /** unlink(2) of a non-directory this client created under the lease it still holds. */
    synchronized boolean unlink(Credentials cred, long dir, String name) throws CairnException {
        LeasedDir d = removable(cred, dir, name);
        InodeAttr victim = d == null ? null : fresh.get(d.entries.get(name).inode());
        if (victim == null || FileModes.isDir(victim.getMode())) {
            return false;
        }
        room();
        queue.add(cred, MetaMutation.newBuilder().setUnlink(io.cairn.proto.UnlinkRequest.newBuilder().setVolumeId(volumeId)
                .setParent(dir).setName(name)).build());
        d.entries.remove(name);
        d.changed(FileIo.nowNs(), 0);
        dropLink(victim);
        return true;
    }

    /**
     * link(2) of a non-directory this client created under a lease it still holds, into the same
     * directory (a temporary name made final, as git does for every object it writes). Keeping
     * every name of a file made ahead in one leased directory keeps the rule simple: while that
     * lease is held, nobody else can reach the file.
     */
    synchronized InodeAttr link(Credentials cred, long inode, long newDir, String newName) throws CairnException {
        InodeAttr a = fresh.get(inode);
        Long in = freshIn.get(inode);
        if (a == null || in == null || in != newDir || FileModes.isDir(a.getMode()) || a.getNlink() >= 65_000) {
            return null;
        }
        LeasedDir d = usable(newDir) == null ? null : writable(cred, newDir, newName);
        if (d == null) {
            return null;
        }
        queue.add(cred, MetaMutation.newBuilder().setLink(io.cairn.proto.LinkRequest.newBuilder().setVolumeId(volumeId)
                .setInode(inode).setNewParent(newDir).setNewName(newName)).build());
        InodeAttr after = a.toBuilder().setNlink(a.getNlink() + 1).setCtimeNs(FileIo.nowNs()).build();
        added(d, newName, after, 0);
        return after;
    }

    /** rmdir(2) of an empty directory this client created and still leases. */
    synchronized boolean rmdir(Credentials cred, long dir, String name) throws CairnException {
        LeasedDir d = removable(cred, dir, name);
        long inode = d == null ? 0 : d.entries.get(name).inode();
        LeasedDir child = dirs.get(inode);
        if (d == null || !fresh.containsKey(inode) || child == null || !child.entries.isEmpty()) {
            return false;
        }
        room();
        queue.add(cred, MetaMutation.newBuilder().setRmdir(io.cairn.proto.RmdirRequest.newBuilder().setVolumeId(volumeId)
                .setParent(dir).setName(name)).build());
        d.entries.remove(name);
        d.changed(FileIo.nowNs(), -1);
        dirs.remove(inode);
        fresh.remove(inode);
        freshIn.remove(inode);
        return true;
    }

    /**
     * rename(2) (flags 0 or RENAME_NOREPLACE) of something this client created under a held
     * lease, between leased directories, over nothing or over another such inode.
     */
    synchronized io.cairn.proto.RenameResult rename(Credentials cred, long dir, String name, long newDir, String newName,
                                                    int flags) throws CairnException {
        LeasedDir from = removable(cred, dir, name);
        LeasedDir to = usable(newDir);
        if (from == null || to == null || (flags & ~Namespace.RENAME_NOREPLACE) != 0 || !Names.valid(newName)
                || !Access.allows(to.attr, cred, Access.W | Access.X)) {
            return null;
        }
        InodeAttr moved = fresh.get(from.entries.get(name).inode());
        LeasedDir.Entry over = to.entries.get(newName);
        InodeAttr replaced = over == null ? null : fresh.get(over.inode());
        boolean isDir = moved != null && FileModes.isDir(moved.getMode());
        if (moved == null || (over != null && (replaced == null || (flags & Namespace.RENAME_NOREPLACE) != 0
                || FileModes.isDir(replaced.getMode()) != isDir || over.inode() == moved.getInode()
                || (isDir && (dirs.get(over.inode()) == null || !dirs.get(over.inode()).entries.isEmpty()))))
                || (isDir && inside(newDir, moved.getInode())) || (to.attr.getMode() & FileModes.S_ISVTX) != 0) {
            return null;
        }
        room();
        queue.add(cred, MetaMutation.newBuilder().setRename(io.cairn.proto.RenameRequest.newBuilder().setVolumeId(volumeId)
                .setParent(dir).setName(name).setNewParent(newDir).setNewName(newName).setFlags(flags)).build());
        long now = FileIo.nowNs();
        from.entries.remove(name);
        to.entries.put(newName, new LeasedDir.Entry(moved.getInode(), FileModes.type(moved.getMode())));
        int links = isDir && dir != newDir ? 1 : 0;
        from.changed(now, -links);
        if (replaced != null && isDir) {
            to.changed(now, links - 1);
            dirs.remove(replaced.getInode());
            fresh.remove(replaced.getInode());
            freshIn.remove(replaced.getInode());
        } else {
            to.changed(now, links);
            if (replaced != null) {
                dropLink(replaced);
            }
        }
        InodeAttr after = moved.toBuilder().setCtimeNs(now).build();
        fresh.put(after.getInode(), after);
        freshIn.put(after.getInode(), newDir);
        return io.cairn.proto.RenameResult.newBuilder().setMoved(after)
                .setReplacedInode(replaced == null ? 0 : replaced.getInode()).build();
    }

    /**
     * The commit of a small file's bytes inline (no chunk) to a file created under a held lease:
     * queued like its create, which it follows. Null when the meta group must take it now.
     */
    synchronized InodeAttr commitAhead(Credentials cred, io.cairn.proto.CommitWriteRequest commit) throws CairnException {
        InodeAttr a = fresh.get(commit.getInode());
        Long in = freshIn.get(commit.getInode());
        if (a == null || in == null || usable(in) == null || commit.getChunksCount() > 0 || commit.getEndSpill().size() > 0
                || !FileModes.isRegular(a.getMode())) {
            return null;
        }
        room();
        queue.add(cred, MetaMutation.newBuilder().setCommitWrite(commit).build());
        long now = FileIo.nowNs();
        long size = Math.max(a.getSize(), commit.getSize());
        InodeAttr.Builder b = a.toBuilder().setSize(size).setBlocks((size + 511) / 512)
                .setMtimeNs(commit.getMtimeNs() != 0 ? commit.getMtimeNs() : now).setCtimeNs(now);
        if (cred.getUid() != 0) {
            b.setMode(FileModes.killPrivileges(a.getMode()));
        }
        InodeAttr after = b.build();
        fresh.put(after.getInode(), after);
        freshBytes.committed(after.getInode(), commit.getInlineList());
        return after;
    }

    /**
     * The bytes of a small file this client made ahead and still alone knows, as it committed
     * them inline; null when the meta group must be asked (not made here, no longer this
     * client's alone, or not held any more).
     */
    synchronized byte[] inlineBytes(long inode) {
        InodeAttr a = fresh.get(inode);
        return a == null || !FileModes.isRegular(a.getMode()) ? null : freshBytes.get(inode, a.getSize());
    }

    /** chmod, chown (as root) and utimens of an inode created under a held lease; not truncate. */
    synchronized InodeAttr setattr(Credentials cred, io.cairn.proto.SetAttrRequest change) throws CairnException {
        InodeAttr a = fresh.get(change.getInode());
        Long in = freshIn.get(change.getInode());
        if (a == null || in == null || usable(in) == null || !FileModes.mayQueue(change, a, cred)) {
            return null;
        }
        if (!change.getSetMode() && !change.getSetUid() && !change.getSetGid() && !change.getSetAtime()
                && !change.getSetMtime()) {
            return a;  // nothing to change: not even ctime
        }
        room();
        queue.add(cred, MetaMutation.newBuilder().setSetAttr(change.toBuilder().setVolumeId(volumeId)).build());
        InodeAttr after = FileModes.applied(change, a, FileIo.nowNs());
        fresh.put(after.getInode(), after);
        LeasedDir self = dirs.get(after.getInode());
        if (self != null) {
            self.attr = after;
        }
        return after;
    }

    // ---- changes this client sends itself (the meta group is their authority) ----

    /**
     * Before this client changes an inode through the meta group (its data, its links, its
     * attributes): what this client knew of it ahead of the meta group no longer holds, so its
     * attributes come from the meta group from now on. A directory the change adds to or removes
     * from keeps its lease and listing ({@link #applied} brings them up to date), but not the
     * authority over its own attributes.
     */
    private synchronized void leaveToMeta(MetaMutation m) {
        for (long inode : MetaTargets.inodes(m)) {
            fresh.remove(inode);
            freshIn.remove(inode);
            freshBytes.forget(inode);
        }
        for (long dir : MetaTargets.dirs(m)) {
            LeasedDir d = dirs.get(dir);
            if (d != null) {
                d.attrFromMeta = true;
            }
        }
        for (long dir : MetaTargets.dirs(m)) {
            if (shared.holds(dir)) {
                shared.drop(dir, true);  // this mount's change moves the directory on: its shared listing goes
            }
        }
    }

    /** After a namespace change this client sent itself succeeded: the leased listings it touched follow it. */
    synchronized void applied(MetaMutation m, io.cairn.proto.MetaReply reply) {
        switch (m.getOpCase()) {
            case CREATE -> entered(m.getCreate().getParent(), m.getCreate().getName(), reply.getAttr());
            case MKDIR -> entered(m.getMkdir().getParent(), m.getMkdir().getName(), reply.getAttr());
            case SYMLINK -> entered(m.getSymlink().getParent(), m.getSymlink().getName(), reply.getAttr());
            case LINK -> entered(m.getLink().getNewParent(), m.getLink().getNewName(), reply.getAttr());
            case UNLINK -> left(m.getUnlink().getParent(), m.getUnlink().getName());
            case RMDIR -> left(m.getRmdir().getParent(), m.getRmdir().getName());
            case RENAME -> {
                io.cairn.proto.RenameRequest r = m.getRename();
                if ((r.getFlags() & Namespace.RENAME_EXCHANGE) != 0) {
                    for (long dir : List.of(r.getParent(), r.getNewParent())) {
                        if (dirs.containsKey(dir)) {
                            release(dir);  // rare: the listings are read again at the next lease
                        }
                    }
                } else {
                    left(r.getParent(), r.getName());
                    entered(r.getNewParent(), r.getNewName(), reply.getRename().getMoved());
                }
            }
            default -> { }
        }
    }

    private void entered(long dir, String name, InodeAttr attr) {
        LeasedDir d = dirs.get(dir);
        if (d != null) {
            d.entries.put(name, new LeasedDir.Entry(attr.getInode(), FileModes.type(attr.getMode())));
        }
    }

    private void left(long dir, String name) {
        LeasedDir d = dirs.get(dir);
        if (d != null) {
            d.entries.remove(name);
        }
    }

    // ---- sending ----

    /** Sends every queued change; returns once the meta group has them (the barrier before other calls). */
    void flush() throws CairnException {
        if (!queue.isEmpty()) {
            queue.flush();
        }
    }

    /** fsync: everything queued is applied, and a change refused since the last fsync is reported. */
    void sync() throws CairnException {
        flush();
        CairnException refused = queue.takeFailure();
        if (refused != null) {
            throw refused;
        }
    }

    private void flushQuietly() {
        try {
            if (!session.alive()) {
                abandon();
            }
            flush();
        } catch (CairnException | RuntimeException e) {
            log.warn("sending {} queued namespace changes failed (sent again next time): {}", queue.size(), e.getMessage());
        }
    }

    /**
     * The leader recalls a lease: what was queued goes with its release, in one batch; then the
     * caches forget the directory's names, which the other client is about to change.
     */
    private void recalled(Recall r) {
        long dir = r.getInode();
        List<String> names = null;
        synchronized (this) {
            LeasedDir d = dirs.get(dir);
            if (d != null) {
                names = new ArrayList<>(d.entries.keySet());
                release(dir);
            }
        }
        if (names == null) {
            java.util.function.LongPredicate files = fileRecalls;
            if (files == null || !files.test(dir)) {
                shared.recalled(dir);
            }
            return;
        }
        flushQuietly();
        shared.drop(dir, false);  // the exclusive release gave back any shared lease too
        forget.names(dir, names);
    }

    private void release(long dir) {
        dirs.remove(dir);
        freshIn.values().removeIf(d -> d == dir);
        fresh.keySet().retainAll(freshIn.keySet());
        freshBytes.retain(fresh::containsKey);
        cooldownUntil.put(dir, nanoClock.getAsLong() + COOLDOWN_NANOS);
        queue.add(ROOT, MetaMutation.newBuilder().setReleaseLease(ReleaseLeaseRequest.newBuilder()
                .setVolumeId(volumeId).setInode(dir)).build());
    }

    /** The session lapsed: the leader may have taken the leases back, so none is used until leased again. */
    private void abandon() {
        synchronized (this) {
            for (long dir : new ArrayList<>(dirs.keySet())) {
                release(dir);
            }
        }
        shared.abandon();
    }

    // ---- leases ----

    /** The leased directory when this client may act in it alone now, else null. */
    private LeasedDir usable(long dir) {
        LeasedDir d = dirs.get(dir);
        if (d != null && !session.alive()) {
            abandon();
            return null;
        }
        return d;
    }

    /** A leased directory where {@code cred} may add {@code name}, leasing it first if it can; else null. */
    private LeasedDir writable(Credentials cred, long dir, String name) throws CairnException {
        if (!Names.valid(name)) {
            return null;
        }
        LeasedDir d = usable(dir);
        if (d == null) {
            d = lease(cred, dir);
        }
        if (d == null || d.entries.containsKey(name) || !Access.allows(d.attr, cred, Access.W | Access.X)
                || d.attr.getNlink() >= 65_000) {
            return null;
        }
        room();
        return d;
    }

    /** A leased directory holding {@code name}, which {@code cred} may remove; else null. */
    private LeasedDir removable(Credentials cred, long dir, String name) {
        LeasedDir d = usable(dir);
        if (d == null || !d.entries.containsKey(name) || !Access.allows(d.attr, cred, Access.W | Access.X)
                || (d.attr.getMode() & FileModes.S_ISVTX) != 0) {
            return null;
        }
        return d;
    }

    /** Takes the directory's lease and its listing; null when it is not worth it or not possible now. */
    private LeasedDir lease(Credentials cred, long dir) {
        Long until = cooldownUntil.get(dir);
        if (!session.alive() || (until != null && nanoClock.getAsLong() < until)) {
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
            LeasedDir d = LeasedDir.read(meta, volumeId, cred, dir, MAX_LISTING);
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

    // ---- helpers ----

    private void added(LeasedDir d, String name, InodeAttr attr, int links) {
        d.entries.put(name, new LeasedDir.Entry(attr.getInode(), FileModes.type(attr.getMode())));
        d.changed(attr.getCtimeNs(), links);
        fresh.put(attr.getInode(), attr);
        freshIn.put(attr.getInode(), d.inode);
        if (queue.size() >= ChangeQueue.BATCH_OPS) {
            flusher.execute(this::flushQuietly);
        }
    }

    private void dropLink(InodeAttr victim) {
        if (victim.getNlink() <= 1) {
            fresh.remove(victim.getInode());
            freshIn.remove(victim.getInode());
            freshBytes.forget(victim.getInode());
        } else {
            // One of its names went: its link count, so its ctime, changes (the meta group does the same).
            fresh.put(victim.getInode(), victim.toBuilder().setNlink(victim.getNlink() - 1).setCtimeNs(FileIo.nowNs()).build());
        }
    }

    /** Whether {@code dir} is {@code ancestor} or below it, by the fresh directories' parents. */
    private boolean inside(long dir, long ancestor) {
        for (Long d = dir; d != null; d = freshIn.get(d)) {
            if (d == ancestor) {
                return true;
            }
        }
        return false;
    }

    /** Back-pressure: a full queue is sent before another change joins it (failing after the I/O timeout). */
    private void room() throws CairnException {
        if (queue.size() >= MAX_QUEUED) {
            queue.flush();
        }
    }

    /** The next inode number reserved to this client; the queue is sent before reserving more. */
    private long reserve() throws CairnException {
        if (nextInode >= endInode) {
            queue.flush();  // the creates naming the numbers reserved before are applied first
            InodeRange r = meta.mutateUnordered(ROOT, MetaMutation.newBuilder().setReserveInodes(
                    ReserveInodesRequest.newBuilder().setCount(RESERVE)).build(), meta.nextCallId()).getInodes();
            nextInode = r.getFirst();
            endInode = r.getFirst() + r.getCount();
        }
        return nextInode++;
    }

    /** Sends what is queued and gives every lease back (an unmount). */
    @Override
    public void close() {
        synchronized (this) {
            for (long dir : new ArrayList<>(dirs.keySet())) {
                release(dir);
            }
        }
        flusher.shutdownNow();
        shared.close();
        try {
            flush();
            // Ends what the session holds at once (leases, reserved inode numbers, locks), instead
            // of the leader ending it a client lease later.
            meta.mutateUnordered(ROOT, MetaMutation.newBuilder().setReleaseLocks(io.cairn.proto.ReleaseLocksRequest.newBuilder()
                    .setClientId(meta.clientId())).build(), meta.nextCallId());
        } catch (CairnException e) {
            log.warn("{} namespace changes made ahead of the meta group could not be sent at unmount: {}",
                    queue.size(), e.getMessage());
        }
        session.close();
    }
}
