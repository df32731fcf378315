package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.client.data.StorageClient;
import io.cairn.common.CairnException;
import io.cairn.common.DataSizes;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.DirEntry;
import io.cairn.proto.FileLock;
import io.cairn.proto.LockType;
import io.cairn.proto.GetVolumeRequest;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.RenameResult;
import io.cairn.proto.SetAttrRequest;
import io.cairn.proto.StatFsResult;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One volume as a file system, usable without FUSE: the namespace operations of the meta
 * service by inode, with caches, plus open files with buffered writes, read-ahead and
 * close-to-open consistency (an open asks meta for the attributes; close and fsync commit
 * length and mtime after the data is on the replicas). Every call takes the caller's
 * credentials, which the meta service checks as Linux would. Errors are {@link CairnException}s
 * whose code knows the errno. Thread-safe; one per mount.
 *
 * <p>A file whose last name is removed while this client holds it open keeps a hidden name
 * ({@value #HIDDEN_PREFIX}INODE, linked just before, as NFS clients rename), removed at the
 * last release; such names are left out of {@link #readdir} and of the file's link count. The
 * hidden name is in one directory of the volume's root, {@value #UNLINKED_DIR} (itself hidden
 * by its name), not in the file's own directory: as CephFS keeps such files in its stray
 * directories, so that the directory the name was removed from is empty at once and rmdir
 * works (with a hidden name there, rmdir right after an unlink and close failed with ENOTEMPTY,
 * since FUSE sends the release after close() returns).
 */
public final class CairnFs implements AutoCloseable {
    public static final String HIDDEN_PREFIX = ".cairn-unlinked-";
    /** The directory in the volume's root (owned by root, mode 0700) that holds the hidden names. */
    public static final String UNLINKED_DIR = HIDDEN_PREFIX + "files";
    private static final Logger log = LoggerFactory.getLogger(CairnFs.class);
    private static final Credentials ROOT = Credentials.getDefaultInstance();

    private final MetaClient meta;
    private final StorageClient storage;
    private final VolumeInfo volume;
    private final FsOptions options;
    private final Namespace ns;
    private final OpenFiles files = new OpenFiles();
    private final FileIo io;
    private final Locks locks;
    private final HiddenNames hidden;
    private final WriteBack writeBack;
    private final FileData data;
    private final SparseCalls sparse;
    private final Opens opens;
    private volatile NamesChanged namesChanged = (dir, names) -> { };

    /**
     * Told, after the fact, the names of a directory whose lease this mount gave back to the
     * leader because another client is changing it: a cache of them (the kernel's) drops them.
     */
    public interface NamesChanged {
        void names(long dir, java.util.Collection<String> names);
    }

    private CairnFs(MetaClient meta, StorageClient storage, VolumeInfo volume, FsOptions options) {
        this.meta = meta;
        this.storage = storage;
        this.volume = volume;
        this.options = options;
        this.writeBack = options.writeBack()
                ? new WriteBack(meta, volume.getVolumeId(), options.writeBackDelay(), System::nanoTime) : null;
        this.ns = new Namespace(meta, volume.getVolumeId(), new NamespaceCache(options.attrTtl(), options.entryTtl(),
                System::nanoTime), writeBack);
        if (writeBack != null) {
            writeBack.onForget((dir, names) -> {
                ns.forget(dir, names);
                namesChanged.names(dir, names);
            });
            writeBack.start();
        }
        this.io = new FileIo(meta, storage, volume.getVolumeId(), volume.getChunkSize(), options,
                new DirtyBudget(options.dirtyLimit()), files::all,
                "always".equals(volume.getOptionsMap().get("durability")), inlineSize(volume), writeBack,
                attr -> ns.cache().putAttr(attr));
        this.data = new FileData(io, () -> writeBack != null && writeBack.sessionAlive());
        this.sparse = new SparseCalls(data, this::getattr, this::setattr);
        if (writeBack != null) {
            writeBack.onFileRecall(inode -> data.recalled(files.find(inode)));
        }
        this.locks = new Locks(meta, volume.getVolumeId());
        this.hidden = new HiddenNames(ns, files, volume.getRootInode());
        this.opens = new Opens(files, ns, io, data, writeBack, locks, hidden);
    }

    /** Where the names of a recalled directory go (the FUSE mount sets it; nothing by default). */
    public void onNamesChanged(NamesChanged listener) {
        this.namesChanged = listener;
    }

    /** The volume's inline-size option (0 when the meta service predates it). */
    private static long inlineSize(VolumeInfo volume) {
        return DataSizes.parse(volume.getOptionsMap().getOrDefault("inline-size", "0"));
    }

    /**
     * Connects to the pool's meta servers and opens the volume; fails with a clear message when
     * no meta server answers, the volume does not exist or is not started.
     */
    public static CairnFs connect(String metaAddresses, String volumeName, FsOptions options) throws CairnException {
        return connect(metaAddresses, volumeName, options, options.ioTimeout());
    }

    /** As {@link #connect(String, String, FsOptions)}, giving up on unreachable meta servers after {@code connectTimeout}. */
    public static CairnFs connect(String metaAddresses, String volumeName, FsOptions options,
                                  java.time.Duration connectTimeout) throws CairnException {
        MetaClient meta = MetaClient.connect(metaAddresses, options.ioTimeout());
        try {
            VolumeInfo v;
            try (MetaClient first = MetaClient.connect(metaAddresses, connectTimeout)) {
                v = first.query(ROOT, MetaQuery.newBuilder().setGetVolume(GetVolumeRequest.newBuilder()
                        .setName(volumeName)).build()).getVolume();
            } catch (CairnException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    throw new CairnException(ErrorCode.NOT_FOUND, "volume '" + volumeName
                            + "' does not exist; see 'cairn volume list' for the volumes of the pool");
                }
                throw e;
            }
            if (v.getState() != VolumeState.VOLUME_STARTED) {
                throw new CairnException(ErrorCode.VOLUME_NOT_STARTED, "volume '" + volumeName
                        + "' is not started; start it with 'cairn volume start " + volumeName + "'");
            }
            log.info("volume {} (id {}, replica {}, min-size {}, chunk-size {}) opened with {}", v.getName(),
                    v.getVolumeId(), v.getSize(), v.getMinSize(), v.getChunkSize(), options);
            return new CairnFs(meta, new StorageClient(options.ioTimeout(), options.shortCircuit()), v, options);
        } catch (CairnException | RuntimeException e) {
            meta.close();
            throw e;
        }
    }

    public VolumeInfo volume() {
        return volume;
    }

    public FsOptions options() {
        return options;
    }

    public long root() {
        return volume.getRootInode();
    }

    // ---- namespace ----

    public InodeAttr lookup(Credentials cred, long parent, String name) throws CairnException {
        return overlay(ns.lookup(cred, parent, name));
    }

    /** As {@link #lookup}, but asking meta rather than the cache (close-to-open: what open uses). */
    public InodeAttr lookupFresh(Credentials cred, long parent, String name) throws CairnException {
        return overlay(ns.lookupFresh(cred, parent, name));
    }

    /** Attributes as this client sees them: its own writes not yet committed count. */
    public InodeAttr getattr(Credentials cred, long inode) throws CairnException {
        return overlay(ns.getattr(cred, inode));
    }

    /**
     * How much longer what this client last answered for {@code inode}'s attributes holds (ns):
     * a kernel may keep them that long and no longer, so another client's change shows within
     * the TTL however many layers cache it.
     */
    public long attrFreshNanos(long inode) {
        return ns.cache().attrFreshNanos(inode);
    }

    /** As {@link #attrFreshNanos}, for the lookup of (parent, name). */
    public long entryFreshNanos(long parent, String name) {
        return ns.cache().entryFreshNanos(parent, name);
    }

    private InodeAttr overlay(InodeAttr attr) {
        OpenInode f = files.find(attr.getInode());
        if (f == null) {
            return attr;
        }
        if (f.hidden != null) {
            // its last name was removed while open: the hidden name it lives on under is not a link
            attr = attr.toBuilder().setNlink(Math.max(0, attr.getNlink() - 1)).build();
        }
        f.lock.lock();
        try {
            if (!f.dirty()) {
                f.size = attr.getSize();
                return attr;
            }
            return attr.toBuilder().setSize(f.size).setMtimeNs(Math.max(attr.getMtimeNs(), f.pendingMtimeNs)).build();
        } finally {
            f.lock.unlock();
        }
    }

    /** The directory's entries with attributes (without "." and ".."). */
    public List<DirEntry> readdir(Credentials cred, long dir) throws CairnException {
        return ns.readdir(cred, dir).stream().filter(e -> !e.getName().startsWith(HIDDEN_PREFIX)).toList();
    }

    public InodeAttr mkdir(Credentials cred, long parent, String name, int mode) throws CairnException {
        return ns.mkdir(cred, parent, name, mode);
    }

    /** mknod(2) (and create(2) without opening): {@code mode} carries the file type. */
    public InodeAttr mknod(Credentials cred, long parent, String name, int mode, long rdev) throws CairnException {
        return ns.create(cred, parent, name, mode, rdev, true);
    }

    public InodeAttr symlink(Credentials cred, long parent, String name, String target) throws CairnException {
        return ns.symlink(cred, parent, name, target);
    }

    public InodeAttr link(Credentials cred, long inode, long newParent, String newName) throws CairnException {
        return ns.link(cred, inode, newParent, newName);
    }

    public String readlink(Credentials cred, long inode) throws CairnException {
        return ns.readlink(cred, inode);
    }

    public void unlink(Credentials cred, long parent, String name) throws CairnException {
        InodeAttr victim = ns.lookup(cred, parent, name);
        OpenFiles.Removal removal = hidden.hideIfOpen(cred, parent, victim);
        try {
            ns.unlink(cred, parent, name, victim.getInode());
        } finally {
            removal.done();
        }
    }

    public void rmdir(Credentials cred, long parent, String name) throws CairnException {
        ns.rmdir(cred, parent, name);
    }

    /** rename(2) and renameat2(2) with {@link Namespace#RENAME_NOREPLACE} / {@link Namespace#RENAME_EXCHANGE}. */
    public RenameResult rename(Credentials cred, long parent, String name, long newParent, String newName, int flags)
            throws CairnException {
        OpenFiles.Removal removal = null;
        if (flags == 0) {
            try {
                InodeAttr target = ns.lookup(cred, newParent, newName);
                InodeAttr source = ns.lookup(cred, parent, name);
                if (target.getInode() != source.getInode()) {
                    removal = hidden.hideIfOpen(cred, newParent, target);
                }
            } catch (CairnException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
            }
        }
        try {
            return ns.rename(cred, parent, name, newParent, newName, flags);
        } finally {
            if (removal != null) {
                removal.done();
            }
        }
    }

    /** setattr (chmod, chown, utimens, truncate); {@code change.inode} names the file, its volume id is filled in. */
    public InodeAttr setattr(Credentials cred, SetAttrRequest change) throws CairnException {
        if (!change.getSetSize()) {
            OpenInode open = files.find(change.getInode());
            if (open == null) {
                return overlay(ns.setattr(cred, change));
            }
            open.lock.lock();
            try {
                // Written data is committed first: its commit would otherwise overwrite a mtime
                // set after the write (tar and cp -p write, then set the times, then close).
                InodeAttr committed = io.commit(open, open.writer != null ? open.writer : cred, false);
                if (committed != null) {
                    ns.cache().putAttr(committed);
                }
                return overlay(ns.setattr(cred, change));
            } finally {
                open.lock.unlock();
            }
        }
        OpenInode f = files.ref(change.getInode());
        try {
            f.lock.lock();
            try {
                io.commit(f, cred, false);  // data first: what was written lands before the cut
                InodeAttr before = ns.getattrFresh(cred, change.getInode());
                InodeAttr after = ns.setattr(cred, change);
                io.truncated(f, cred, before.getSize(), after.getSize());
                return after;
            } finally {
                f.lock.unlock();
            }
        } finally {
            opens.unref(f);
        }
    }

    public void setxattr(Credentials cred, long inode, String name, byte[] value, int flags) throws CairnException {
        ns.setxattr(cred, inode, name, value, flags);
    }

    public byte[] getxattr(Credentials cred, long inode, String name) throws CairnException {
        return ns.getxattr(cred, inode, name);
    }

    public List<String> listxattr(Credentials cred, long inode) throws CairnException {
        return ns.listxattr(cred, inode);
    }

    public void removexattr(Credentials cred, long inode, String name) throws CairnException {
        ns.removexattr(cred, inode, name);
    }

    public StatFsResult statfs(Credentials cred) throws CairnException {
        return ns.statfs(cred);
    }

    public void access(Credentials cred, long inode, int mask) throws CairnException {
        ns.access(cred, inode, mask);
    }

    // ---- open files ----

    /**
     * Opens a regular file with open(2) {@code flags}: checks the access mode with meta and reads
     * the attributes fresh (close-to-open). O_TRUNC is the caller's setattr; O_CREAT is
     * {@link #create}. Returns the handle.
     */
    public long open(Credentials cred, long inode, int flags) throws CairnException {
        return opens.open(cred, inode, flags);
    }

    /**
     * As {@link #open}, for a file found by {@code name} in {@code parent}: one lookup at the meta
     * service both checks that the name still names the file and reads its attributes. Returns
     * -1 when the name now names another file (another client renamed or replaced it: look the
     * name up again). When the name is gone, the file is opened as it is, if it still exists.
     */
    public long openFound(Credentials cred, long parent, String name, long inode, int flags) throws CairnException {
        return opens.openFound(cred, parent, name, inode, flags);
    }

    /** create(2) with O_CREAT: a new regular file (O_EXCL: it must not exist), opened. */
    public long create(Credentials cred, long parent, String name, int mode, int flags) throws CairnException {
        return opens.create(cred, parent, name, mode, flags);
    }

    /** The inode a handle is open on. */
    public long inodeOf(long handle) throws CairnException {
        return files.get(handle).file().inode;
    }

    public int read(long handle, long offset, byte[] dst, int len) throws CairnException {
        return data.read(files.get(handle), offset, dst, len);
    }

    /**
     * Writes at {@code offset}, or, on a handle opened with O_APPEND, at the end of the file as
     * this client knows it (fresh since the open or the last lock taken), whatever offset the
     * caller (the kernel, from its own cached size) passed.
     */
    public void write(long handle, long offset, byte[] src, int srcOffset, int len) throws CairnException {
        data.write(files.get(handle), offset, src, srcOffset, len);
    }

    /**
     * copy_file_range(2): up to {@code len} bytes (at most 1 GiB a call) from one open file to
     * another, or within one; whole pieces of chunks go from storage node to storage node, not
     * through this client. Returns the bytes copied, fewer at the source's end.
     */
    public long copyFileRange(long in, long inOffset, long out, long outOffset, long len) throws CairnException {
        return sparse.copy(files.get(in), inOffset, files.get(out), outOffset, len);
    }

    /** close(2) of one descriptor: what it wrote is committed (length and mtime), not fsynced. */
    public void flush(long handle) throws CairnException {
        data.commit(files.get(handle), false);
    }

    /**
     * fsync(2): the data is durable on every replica of its chunks, then committed; the namespace
     * changes this client made ahead of the meta group (the file's create among them) are applied.
     */
    public void fsync(long handle) throws CairnException {
        data.commit(files.get(handle), true);
        syncNamespace();
    }

    /**
     * fdatasync(2): the data and the length are durable on every replica of the file's chunks;
     * the meta group may learn the length later (see {@link FileIo#datasync}). Namespace changes
     * made ahead of the meta group that the file needs to be found (its create) are applied.
     */
    public void fdatasync(long handle) throws CairnException {
        data.datasync(files.get(handle));
        syncNamespace();
    }

    /** fsync(2) of a directory, and of a file after its data: every change made ahead of the meta group is applied. */
    public void syncNamespace() throws CairnException {
        if (writeBack != null) {
            writeBack.sync();
        }
    }

    /**
     * The last close of a handle: commits and forgets it; at the client's last handle on the file,
     * releases the client's locks on it and removes a hidden name.
     */
    public void release(long handle) throws CairnException {
        opens.release(handle);
    }

    /**
     * An advisory lock (fcntl record lock or flock, by {@code lock}'s kind) taken, changed or
     * released (type LOCK_UNLOCK) for its owner on the handle's file; held across every client of
     * the volume. {@code wait}: until it is granted or {@code interrupted} says to give up
     * (INTERRUPTED); otherwise a conflict fails at once with LOCKED. As an NFS client does, an
     * unlock first commits what was written, so the next holder reads it, and a lock taken reads
     * the file's attributes afresh, so this client writes after what the last holder wrote.
     */
    public void lock(long handle, FileLock lock, boolean wait, BooleanSupplier interrupted) throws CairnException {
        OpenFiles.Handle h = files.get(handle);
        OpenInode f = h.file();
        if (lock.getType() == LockType.LOCK_UNLOCK) {
            if (locks.mayHold(f.inode, lock)) {
                try {
                    data.commit(h, false);
                } finally {
                    locks.set(f.inode, lock, false, interrupted);  // a failed commit must not keep the lock
                }
            }
            return;
        }
        locks.set(f.inode, lock, wait, interrupted);
        InodeAttr attr = ns.getattrFresh(h.cred(), f.inode);
        f.lock.lock();
        try {
            io.revalidate(f, attr.getSize());
        } finally {
            f.lock.unlock();
        }
    }

    /** F_GETLK: the first lock of another holder (any client) that conflicts with {@code lock}. */
    public Optional<FileLock> conflictingLock(long handle, FileLock lock) throws CairnException {
        return locks.conflicting(files.get(handle).file().inode, lock);
    }

    /**
     * A truncate through an open handle (ftruncate(2), and the truncate of open(2) with O_TRUNC):
     * through a handle open for writing the access was checked at open, so the file's mode now
     * does not matter (as on Linux, where a descriptor keeps its access after a chmod); through
     * any other handle the mode is checked as for truncate(2).
     */
    public InodeAttr ftruncate(Credentials cred, long handle, long size) throws CairnException {
        OpenFiles.Handle h = files.get(handle);
        return setattr(cred, SetAttrRequest.newBuilder().setInode(h.file().inode).setSetSize(true).setSize(size)
                .setViaOpenFile(h.writable()).build());
    }

    /**
     * fallocate(2): mode 0 makes the file at least offset + length long; KEEP_SIZE alone changes
     * nothing visible; PUNCH_HOLE (with KEEP_SIZE) and ZERO_RANGE make the range read as zeros
     * and free its blocks on the bricks (see {@link SparseCalls}).
     */
    public void fallocate(long handle, int mode, long offset, long length) throws CairnException {
        sparse.fallocate(files.get(handle), mode, offset, length);
    }

    /**
     * lseek(2)'s SEEK_DATA ({@code data}) and SEEK_HOLE: the first data (or hole) at or after
     * {@code offset}; the end of the file is a hole. ENXIO at or past the end, or when only holes follow.
     */
    public long seekDataOrHole(long handle, long offset, boolean data) throws CairnException {
        return sparse.seek(files.get(handle), offset, data);
    }

    /** Commits every open file (what an unmount does) and closes the connections. */
    @Override
    public void close() {
        closeHandles();
        data.close();
        if (writeBack != null) {
            writeBack.close();
        }
        locks.close();
        storage.close();
        meta.close();
    }

    private void closeHandles() {
        for (OpenFiles.Handle h : files.handles()) {
            try {
                release(h.id());
            } catch (CairnException e) {
                log.warn("volume {}: inode {} could not be committed at close: {}", volume.getName(), h.file().inode,
                        e.getMessage());
            }
        }
    }
}
