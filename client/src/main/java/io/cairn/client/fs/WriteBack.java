package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.proto.Credentials;
import io.cairn.proto.DirEntry;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.Recall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
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
 * left to the caller, which asks the meta group.
 *
 * <p>This class is what the rest of the client sees, and wires the parts: the session
 * ({@link ClientSession}), the exclusive leases' life cycle ({@link DirLeases}) and the shared
 * ones ({@link SharedLeases}), the changes made ahead ({@link AheadChanges}) with the inodes they
 * made ({@link FreshInodes}), and when the queue is sent ({@link ChangeSender}). It keeps the
 * steps that span them: answers from the leased listings, following this client's own calls to
 * the meta group, recalls and unmount.
 *
 * <p>Thread-safe: one monitor, this object's, guards the leases, the fresh inodes and the changes
 * made ahead together; the parts that hold that state are not thread-safe on their own.
 */
final class WriteBack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteBack.class);
    private static final Credentials ROOT = Credentials.getDefaultInstance();

    private final MetaClient meta;
    private final ChangeQueue queue;
    private final ClientSession session;
    private final SharedLeases shared;
    private final FreshInodes fresh = new FreshInodes();
    private final DirLeases leases;
    private final ChangeSender sender;
    private final AheadChanges ahead;
    private volatile SharedLeases.Forget forget = (dir, names) -> { };
    private volatile LongPredicate fileRecalls;

    WriteBack(MetaClient meta, int volumeId, Duration delay, LongSupplier nanoClock) {
        this.meta = meta;
        this.queue = new ChangeQueue(meta);
        this.session = new ClientSession(meta, this::recallLater, nanoClock);
        this.shared = new SharedLeases(meta, volumeId, nanoClock, session::alive);
        this.leases = new DirLeases(this, meta, volumeId, nanoClock, session::alive, shared, queue, fresh);
        this.sender = new ChangeSender(queue, leases, delay);
        this.ahead = new AheadChanges(volumeId, queue, sender, leases, fresh, new InodeNumbers(meta, queue));
    }

    /**
     * Told the names of a directory whose lease was recalled (exclusive or shared), after the
     * lease went back: what the caches hold of them may be stale from now on.
     */
    void onForget(SharedLeases.Forget f) {
        this.forget = f;
        shared.onForget(f);
    }

    /**
     * Told the inode of a recalled lease that is not a directory's; answers whether it is an open
     * file of this client (whose held length it then commits, ending the lease).
     */
    void onFileRecall(LongPredicate f) {
        this.fileRecalls = f;
    }

    /** Whether this client's leases may be used now (see {@link ClientSession#alive}). */
    boolean sessionAlive() {
        return session.alive();
    }

    /** A lookup in {@code dir} went to the meta group (see {@link SharedLeases}). */
    void looked(Credentials cred, long dir) {
        synchronized (this) {
            if (leases.holds(dir)) {
                return;
            }
        }
        shared.looked(cred, dir);
    }

    void start() {
        session.start();
        sender.start();
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
        LeasedDir d = leases.usable(dir);
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
        LeasedDir d = leases.get(inode);
        if (d != null) {
            return d.attrFromMeta ? null : d.attr;  // a leased directory's own copy is the one its changes move
        }
        return fresh.attr(inode);
    }

    /** The listing of a leased directory (attributes of what this client created), or null. */
    synchronized List<DirEntry> readdir(Credentials cred, long dir) {
        LeasedDir d = leases.usable(dir);
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

    // ---- changes made here (null or false: the caller asks the meta group; see AheadChanges) ----

    /** create(2)/mknod(2) of a regular file, fifo or socket whose name does not exist. */
    synchronized InodeAttr create(Credentials cred, long dir, String name, int mode, long rdev) throws CairnException {
        return ahead.create(cred, dir, name, mode, rdev);
    }

    synchronized InodeAttr mkdir(Credentials cred, long dir, String name, int mode) throws CairnException {
        return ahead.mkdir(cred, dir, name, mode);
    }

    /** unlink(2) of a non-directory this client created under the lease it still holds. */
    synchronized boolean unlink(Credentials cred, long dir, String name) throws CairnException {
        return ahead.unlink(cred, dir, name);
    }

    /** link(2), into the same leased directory, of a non-directory this client created under a lease it still holds. */
    synchronized InodeAttr link(Credentials cred, long inode, long newDir, String newName) throws CairnException {
        return ahead.link(cred, inode, newDir, newName);
    }

    /** rmdir(2) of an empty directory this client created and still leases. */
    synchronized boolean rmdir(Credentials cred, long dir, String name) throws CairnException {
        return ahead.rmdir(cred, dir, name);
    }

    /** rename(2) (flags 0 or RENAME_NOREPLACE) of something this client created under a held lease, between leased directories. */
    synchronized io.cairn.proto.RenameResult rename(Credentials cred, long dir, String name, long newDir, String newName,
                                                    int flags) throws CairnException {
        return ahead.rename(cred, dir, name, newDir, newName, flags);
    }

    /** The inline commit of a small file's bytes to a file created under a held lease, queued after its create. */
    synchronized InodeAttr commitAhead(Credentials cred, io.cairn.proto.CommitWriteRequest commit) throws CairnException {
        return ahead.commitAhead(cred, commit);
    }

    /** The bytes of a small file this client made ahead and still alone knows; null when the meta group must be asked. */
    synchronized byte[] inlineBytes(long inode) {
        return ahead.inlineBytes(inode);
    }

    /** chmod, chown (as root) and utimens of an inode created under a held lease; not truncate. */
    synchronized InodeAttr setattr(Credentials cred, io.cairn.proto.SetAttrRequest change) throws CairnException {
        return ahead.setattr(cred, change);
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
            fresh.forget(inode);
        }
        for (long dir : MetaTargets.dirs(m)) {
            LeasedDir d = leases.get(dir);
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
                        if (leases.holds(dir)) {
                            leases.release(dir);  // rare: the listings are read again at the next lease
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
        LeasedDir d = leases.get(dir);
        if (d != null) {
            d.entries.put(name, new LeasedDir.Entry(attr.getInode(), FileModes.type(attr.getMode())));
        }
    }

    private void left(long dir, String name) {
        LeasedDir d = leases.get(dir);
        if (d != null) {
            d.entries.remove(name);
        }
    }

    // ---- sending ----

    /** Sends every queued change; returns once the meta group has them (the barrier before other calls). */
    void flush() throws CairnException {
        sender.flush();
    }

    /** fsync: everything queued is applied, and a change refused since the last fsync is reported. */
    void sync() throws CairnException {
        sender.sync();
    }

    /** A recall came on the session's stream: it is handled on the sender's thread, in order with the sends. */
    private void recallLater(Recall r) {
        sender.execute(() -> recalled(r));
    }

    /**
     * The leader recalls a lease: what was queued goes with its release, in one batch; then the
     * caches forget the directory's names, which the other client is about to change. Runs on
     * the sender's thread.
     */
    private void recalled(Recall r) {
        long dir = r.getInode();
        List<String> names = leases.recalled(dir);
        if (names == null) {
            LongPredicate files = fileRecalls;
            if (files == null || !files.test(dir)) {
                shared.recalled(dir);
            }
            return;
        }
        sender.flushQuietly();
        shared.drop(dir, false);  // the exclusive release gave back any shared lease too
        forget.names(dir, names);
    }

    /** Sends what is queued and gives every lease back (an unmount). */
    @Override
    public void close() {
        synchronized (this) {
            leases.releaseAll();
        }
        sender.close();
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
