package io.cairn.client.fs;

import com.google.protobuf.ByteString;
import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.AccessRequest;
import io.cairn.proto.CreateRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.DirEntry;
import io.cairn.proto.GetAttrRequest;
import io.cairn.proto.GetXattrRequest;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.LinkRequest;
import io.cairn.proto.ListXattrRequest;
import io.cairn.proto.LookupRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.MkdirRequest;
import io.cairn.proto.ReadDirRequest;
import io.cairn.proto.ReadDirResult;
import io.cairn.proto.ReadLinkRequest;
import io.cairn.proto.RemoveXattrRequest;
import io.cairn.proto.RenameRequest;
import io.cairn.proto.RenameResult;
import io.cairn.proto.RmdirRequest;
import io.cairn.proto.SetAttrRequest;
import io.cairn.proto.SetXattrRequest;
import io.cairn.proto.StatFsRequest;
import io.cairn.proto.StatFsResult;
import io.cairn.proto.SymlinkRequest;
import io.cairn.proto.UnlinkRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The inode-level namespace operations of one volume, as the meta service defines them, with the
 * attribute and lookup caches in front: each change updates or drops the cached entries it
 * touches. Permission checks are the meta service's; the cache answers a lookup only for a
 * caller who may search the directory. Thread-safe.
 */
public final class Namespace {
    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;

    private final MetaClient meta;
    private final int volumeId;
    private final NamespaceCache cache;
    private final StatAhead statAhead;
    /** Changes made ahead of the meta group in leased directories; null when the mount does not write back. */
    private final WriteBack writeBack;

    public Namespace(MetaClient meta, int volumeId, NamespaceCache cache) {
        this(meta, volumeId, cache, null);
    }

    Namespace(MetaClient meta, int volumeId, NamespaceCache cache, WriteBack writeBack) {
        this.meta = meta;
        this.volumeId = volumeId;
        this.cache = cache;
        this.statAhead = new StatAhead(cache.entryTtlNanos(), cache.clock());
        this.writeBack = writeBack;
    }

    /** The answer of a directory this client leases, or null: the meta group (or the cache) answers. */
    private InodeAttr leasedLookup(Credentials cred, long parent, String name) throws CairnException {
        return leasedLookup(cred, parent, name, false);
    }

    /**
     * As above; {@code fresh}: the attributes come from the meta service unless this client is
     * their authority (close-to-open: a listing says which inode a name names, not its size).
     */
    private InodeAttr leasedLookup(Credentials cred, long parent, String name, boolean fresh) throws CairnException {
        for (int attempt = 1; ; attempt++) {
            WriteBack.Lookup l = writeBack == null ? null : writeBack.lookup(cred, parent, name);
            if (l == null) {
                return null;
            }
            if (l.missing()) {
                throw new CairnException(ErrorCode.NOT_FOUND, "'" + name + "' does not exist");
            }
            InodeAttr attr;
            try {
                attr = l.attr() != null ? l.attr() : fresh ? getattrFresh(cred, l.inode()) : getattr(cred, l.inode());
            } catch (CairnException e) {
                // The name was replaced (a rename over it) between the listing's answer and the
                // attributes: the listing names the new inode now.
                if (e.code() != ErrorCode.NOT_FOUND || attempt == 3) {
                    throw e;
                }
                continue;
            }
            cache.putEntry(parent, name, attr);  // the kernel may keep it for the entry TTL, as any answer
            return attr;
        }
    }

    private InodeAttr leasedAttr(long inode) {
        InodeAttr attr = writeBack == null ? null : writeBack.attr(inode);
        if (attr != null) {
            cache.putAttr(attr);
        }
        return attr;
    }

    public int volumeId() {
        return volumeId;
    }

    public NamespaceCache cache() {
        return cache;
    }

    public InodeAttr lookup(Credentials cred, long parent, String name) throws CairnException {
        InodeAttr leased = leasedLookup(cred, parent, name);
        if (leased != null) {
            return leased;
        }
        InodeAttr cached = cachedLookup(cred, parent, name);
        if (cached != null) {
            return cached;
        }
        InodeAttr attr = remoteLookup(cred, parent, name);
        if (statAhead.missed(parent)) {
            readAhead(cred, parent);
        }
        return attr;
    }

    /** A lookup in {@code dir} went to meta: write-back may lease a directory looked in often. */
    private void looked(Credentials cred, long dir) {
        if (writeBack != null) {
            writeBack.looked(cred, dir);
        }
    }

    /** The directory's lease was recalled: its names may change now, so none is answered from the cache. */
    void forget(long dir, java.util.Collection<String> names) {
        for (String name : names) {
            cache.forgetEntry(dir, name);
        }
        cache.forgetAttr(dir);
    }

    /** Asks meta, and caches the answer (found or not). */
    private InodeAttr remoteLookup(Credentials cred, long parent, String name) throws CairnException {
        InodeAttr attr;
        try {
            attr = query(cred, MetaQuery.newBuilder().setLookup(LookupRequest.newBuilder()
                    .setVolumeId(volumeId).setParent(parent).setName(name))).getAttr();
        } catch (CairnException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                cache.putMissing(parent, name);
                looked(cred, parent);
            }
            throw e;
        }
        cache.putEntry(parent, name, attr);
        looked(cred, parent);
        return attr;
    }

    /**
     * The cached answer, for a caller who may search the directory (its attributes are read
     * again if only they have expired), or null; a cached "does not exist" is thrown.
     */
    private InodeAttr cachedLookup(Credentials cred, long parent, String name) throws CairnException {
        TtlCache.Hit<Long> hit = cache.entry(parent, name);
        InodeAttr attr = hit == null || hit.negative() ? null : cache.attr(hit.value());
        if (hit == null || (!hit.negative() && attr == null)) {
            return null;
        }
        InodeAttr dir = cache.attr(parent);
        if (dir == null) {
            dir = getattrFresh(cred, parent);
        }
        if (!Access.allows(dir, cred, Access.X)) {
            return null;  // meta gives the refusal its own words
        }
        if (hit.negative()) {
            throw new CairnException(ErrorCode.NOT_FOUND, "'" + name + "' does not exist");
        }
        return attr;
    }

    /** Lists {@code dir} with attributes into the cache (see {@link StatAhead}); a refusal is no error. */
    private void readAhead(Credentials cred, long dir) {
        try {
            list(cred, dir, StatAhead.MAX_ENTRIES);
        } catch (CairnException e) {
            // The caller may search the directory but not read it, or it went: lookups go one by one.
        }
    }

    /** A lookup that asks meta whatever the cache holds (an open must see another client's rename). */
    public InodeAttr lookupFresh(Credentials cred, long parent, String name) throws CairnException {
        InodeAttr leased = leasedLookup(cred, parent, name, true);
        if (leased != null) {
            return leased;
        }
        cache.forgetEntry(parent, name);
        return remoteLookup(cred, parent, name);  // not a miss the cache could have answered: no read-ahead
    }

    /** Attributes, from the cache when they are fresh enough. */
    public InodeAttr getattr(Credentials cred, long inode) throws CairnException {
        InodeAttr leased = leasedAttr(inode);
        if (leased != null) {
            return leased;
        }
        InodeAttr attr = cache.attr(inode);
        return attr != null ? attr : getattrFresh(cred, inode);
    }

    /** Attributes from the meta service (close-to-open: an open asks). */
    public InodeAttr getattrFresh(Credentials cred, long inode) throws CairnException {
        InodeAttr leased = leasedAttr(inode);
        if (leased != null) {
            return leased;
        }
        InodeAttr attr = query(cred, MetaQuery.newBuilder().setGetAttr(GetAttrRequest.newBuilder()
                .setVolumeId(volumeId).setInode(inode))).getAttr();
        cache.putAttr(attr);
        return attr;
    }

    /** Every entry of the directory with its attributes, in name order (the caches learn them all). */
    public List<DirEntry> readdir(Credentials cred, long dir) throws CairnException {
        List<DirEntry> leased = writeBack == null ? null : writeBack.readdir(cred, dir);
        if (leased != null) {
            List<DirEntry> out = new ArrayList<>(leased.size());
            for (DirEntry e : leased) {
                out.add(e.hasAttr() ? e : e.toBuilder().setAttr(getattr(cred, e.getInode())).build());
            }
            return out;
        }
        return list(cred, dir, Integer.MAX_VALUE);
    }

    /** The first {@code max} entries or so (whole pages) of the directory, into the caches too. */
    private List<DirEntry> list(Credentials cred, long dir, int max) throws CairnException {
        List<DirEntry> out = new ArrayList<>();
        String after = "";
        while (true) {
            ReadDirResult page = query(cred, MetaQuery.newBuilder().setReadDir(ReadDirRequest.newBuilder()
                    .setVolumeId(volumeId).setInode(dir).setAfter(after).setWithAttrs(true))).getReadDir();
            for (DirEntry e : page.getEntriesList()) {
                if (e.hasAttr()) {
                    cache.putEntry(dir, e.getName(), e.getAttr());
                }
                out.add(e);
            }
            if (!page.getMore() || page.getEntriesCount() == 0 || out.size() >= max) {
                return out;
            }
            after = page.getEntries(page.getEntriesCount() - 1).getName();
        }
    }

    public InodeAttr mkdir(Credentials cred, long parent, String name, int mode) throws CairnException {
        InodeAttr ahead = writeBack == null ? null : writeBack.mkdir(cred, parent, name, mode);
        if (ahead != null) {
            created(parent, name, ahead);
            return ahead;
        }
        InodeAttr attr = mutate(cred, MetaMutation.newBuilder().setMkdir(MkdirRequest.newBuilder()
                .setVolumeId(volumeId).setParent(parent).setName(name).setMode(mode))).getAttr();
        created(parent, name, attr);
        return attr;
    }

    /** create(2)/mknod(2); {@code mode} carries the type bits (0 means a regular file). */
    public InodeAttr create(Credentials cred, long parent, String name, int mode, long rdev, boolean exclusive)
            throws CairnException {
        return create(cred, parent, name, mode, rdev, exclusive, false).attr();
    }

    /** A created file and, when asked for and placed, its chunk 0 (allocated in the same commit). */
    public record Created(InodeAttr attr, io.cairn.proto.ChunkInfo firstChunk) {
    }

    public Created create(Credentials cred, long parent, String name, int mode, long rdev, boolean exclusive,
                          boolean withFirstChunk) throws CairnException {
        InodeAttr ahead = writeBack == null ? null : writeBack.create(cred, parent, name, mode, rdev);
        if (ahead != null) {
            created(parent, name, ahead);
            return new Created(ahead, null);
        }
        io.cairn.proto.MetaReply reply = mutate(cred, MetaMutation.newBuilder().setCreate(CreateRequest.newBuilder()
                .setVolumeId(volumeId).setParent(parent).setName(name).setMode(mode).setRdev(rdev)
                .setExclusive(exclusive).setWithFirstChunk(withFirstChunk)));
        created(parent, name, reply.getAttr());
        return new Created(reply.getAttr(), reply.hasCreatedChunk() ? reply.getCreatedChunk() : null);
    }

    public InodeAttr symlink(Credentials cred, long parent, String name, String target) throws CairnException {
        InodeAttr attr = mutate(cred, MetaMutation.newBuilder().setSymlink(SymlinkRequest.newBuilder()
                .setVolumeId(volumeId).setParent(parent).setName(name).setTarget(target))).getAttr();
        created(parent, name, attr);
        return attr;
    }

    public InodeAttr link(Credentials cred, long inode, long newParent, String newName) throws CairnException {
        InodeAttr ahead = writeBack == null ? null : writeBack.link(cred, inode, newParent, newName);
        if (ahead != null) {
            added(newParent, newName, ahead);
            return ahead;
        }
        InodeAttr attr = mutate(cred, MetaMutation.newBuilder().setLink(LinkRequest.newBuilder()
                .setVolumeId(volumeId).setInode(inode).setNewParent(newParent).setNewName(newName))).getAttr();
        added(newParent, newName, attr);
        return attr;
    }

    /** Removes a name of a non-directory; {@code inode} is what it named (its nlink changes), 0 if unknown. */
    public void unlink(Credentials cred, long parent, String name, long inode) throws CairnException {
        if (writeBack != null && writeBack.unlink(cred, parent, name)) {
            removed(parent, name, inode);
            return;
        }
        try {
            mutate(cred, MetaMutation.newBuilder().setUnlink(UnlinkRequest.newBuilder()
                    .setVolumeId(volumeId).setParent(parent).setName(name)));
        } finally {
            removed(parent, name, inode);
        }
    }

    public void rmdir(Credentials cred, long parent, String name) throws CairnException {
        TtlCache.Hit<Long> hit = cache.entry(parent, name);
        if (writeBack != null && writeBack.rmdir(cred, parent, name)) {
            removed(parent, name, hit == null || hit.negative() ? 0 : hit.value());
            return;
        }
        try {
            mutate(cred, MetaMutation.newBuilder().setRmdir(RmdirRequest.newBuilder()
                    .setVolumeId(volumeId).setParent(parent).setName(name)));
        } finally {
            removed(parent, name, hit == null || hit.negative() ? 0 : hit.value());
        }
    }

    public RenameResult rename(Credentials cred, long parent, String name, long newParent, String newName, int flags)
            throws CairnException {
        try {
            RenameResult ahead = writeBack == null ? null : writeBack.rename(cred, parent, name, newParent, newName, flags);
            RenameResult r = ahead != null ? ahead : mutate(cred, MetaMutation.newBuilder().setRename(RenameRequest.newBuilder()
                    .setVolumeId(volumeId).setParent(parent).setName(name).setNewParent(newParent)
                    .setNewName(newName).setFlags(flags))).getRename();
            if (r.getReplacedInode() != 0) {
                cache.forgetAttr(r.getReplacedInode());
            }
            if ((flags & RENAME_EXCHANGE) == 0) {
                cache.putMissing(parent, name);
                cache.putEntry(newParent, newName, r.getMoved());
            }
            return r;
        } finally {
            cache.forgetEntry(newParent, newName);
            cache.forgetEntry(parent, name);
            cache.forgetAttr(parent);
            cache.forgetAttr(newParent);
        }
    }

    /** setattr: {@code change} without a volume id; the result is cached. */
    public InodeAttr setattr(Credentials cred, SetAttrRequest change) throws CairnException {
        InodeAttr ahead = writeBack == null ? null : writeBack.setattr(cred, change);
        if (ahead != null) {
            cache.putAttr(ahead);
            return ahead;
        }
        try {
            InodeAttr attr = mutate(cred, MetaMutation.newBuilder().setSetAttr(change.toBuilder().setVolumeId(volumeId)))
                    .getAttr();
            cache.putAttr(attr);
            return attr;
        } catch (CairnException e) {
            cache.forgetAttr(change.getInode());
            throw e;
        }
    }

    public String readlink(Credentials cred, long inode) throws CairnException {
        return query(cred, MetaQuery.newBuilder().setReadLink(ReadLinkRequest.newBuilder()
                .setVolumeId(volumeId).setInode(inode))).getValue().toString(StandardCharsets.UTF_8);
    }

    /** {@code flags}: 1 = XATTR_CREATE, 2 = XATTR_REPLACE. */
    public void setxattr(Credentials cred, long inode, String name, byte[] value, int flags) throws CairnException {
        try {
            mutate(cred, MetaMutation.newBuilder().setSetXattr(SetXattrRequest.newBuilder().setVolumeId(volumeId)
                    .setInode(inode).setName(name).setValue(ByteString.copyFrom(value)).setFlags(flags)));
        } finally {
            cache.forgetAttr(inode);  // ctime
            cache.forgetXattr(inode, name);
        }
    }

    /** security.* names (security.capability before every write) are answered from the cache when fresh. */
    public byte[] getxattr(Credentials cred, long inode, String name) throws CairnException {
        TtlCache.Hit<byte[]> hit = NamespaceCache.cachedXattr(name) ? cache.xattr(inode, name) : null;
        if (hit != null) {
            if (hit.negative()) {
                throw new CairnException(ErrorCode.NO_SUCH_ATTRIBUTE, "xattr '" + name + "' does not exist");
            }
            return hit.value().clone();
        }
        try {
            byte[] value = query(cred, MetaQuery.newBuilder().setGetXattr(GetXattrRequest.newBuilder()
                    .setVolumeId(volumeId).setInode(inode).setName(name))).getValue().toByteArray();
            cache.putXattr(inode, name, value.clone());
            return value;
        } catch (CairnException e) {
            if (e.code() == ErrorCode.NO_SUCH_ATTRIBUTE) {
                cache.putXattr(inode, name, null);
            }
            throw e;
        }
    }

    public List<String> listxattr(Credentials cred, long inode) throws CairnException {
        return query(cred, MetaQuery.newBuilder().setListXattr(ListXattrRequest.newBuilder().setVolumeId(volumeId)
                .setInode(inode))).getXattrNames().getNamesList();
    }

    public void removexattr(Credentials cred, long inode, String name) throws CairnException {
        try {
            mutate(cred, MetaMutation.newBuilder().setRemoveXattr(RemoveXattrRequest.newBuilder().setVolumeId(volumeId)
                    .setInode(inode).setName(name)));
        } finally {
            cache.forgetAttr(inode);
            cache.forgetXattr(inode, name);
        }
    }

    public StatFsResult statfs(Credentials cred) throws CairnException {
        return query(cred, MetaQuery.newBuilder().setStatFs(StatFsRequest.newBuilder().setVolumeId(volumeId))).getStatFs();
    }

    /** access(2): mask of 4 (R), 2 (W), 1 (X); 0 checks existence. */
    public void access(Credentials cred, long inode, int mask) throws CairnException {
        query(cred, MetaQuery.newBuilder().setAccess(AccessRequest.newBuilder().setVolumeId(volumeId)
                .setInode(inode).setMask(mask)));
    }

    private void added(long parent, String name, InodeAttr attr) {
        cache.putEntry(parent, name, attr);
        cache.forgetAttr(parent);
    }

    /** As {@link #added}, for a new inode, which has no xattrs: the kernel's check before each write needs no call. */
    private void created(long parent, String name, InodeAttr attr) {
        added(parent, name, attr);
        cache.putXattr(attr.getInode(), NamespaceCache.CAPABILITY, null);
    }

    private void removed(long parent, String name, long inode) {
        cache.forgetEntry(parent, name);
        cache.forgetAttr(parent);
        if (inode != 0) {
            cache.forgetAttr(inode);
        }
    }

    private io.cairn.proto.MetaReply query(Credentials cred, MetaQuery.Builder q) throws CairnException {
        return meta.query(cred, q.build());
    }

    private io.cairn.proto.MetaReply mutate(Credentials cred, MetaMutation.Builder m) throws CairnException {
        MetaMutation built = m.build();
        io.cairn.proto.MetaReply reply = meta.mutate(cred, built);
        if (writeBack != null) {
            writeBack.applied(built, reply);
        }
        return reply;
    }
}
