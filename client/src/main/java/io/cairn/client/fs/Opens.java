package io.cairn.client.fs;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;

/**
 * Opening and closing files: the access check and fresh attributes of open (close-to-open), a
 * create's first handle, and the last close, which commits, releases the client's locks on the
 * file and removes a name hidden while it was open.
 */
final class Opens {
    private static final int O_ACCMODE = 3;
    private static final int O_WRONLY = 1;
    private static final int O_RDWR = 2;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;

    private final OpenFiles files;
    private final Namespace ns;
    private final FileIo io;
    private final FileData data;
    private final WriteBack writeBack;
    private final Locks locks;
    private final HiddenNames hidden;

    /** {@code writeBack}: null on a mount without write-back. */
    Opens(OpenFiles files, Namespace ns, FileIo io, FileData data, WriteBack writeBack, Locks locks, HiddenNames hidden) {
        this.files = files;
        this.ns = ns;
        this.io = io;
        this.data = data;
        this.writeBack = writeBack;
        this.locks = locks;
        this.hidden = hidden;
    }

    /**
     * Opens a regular file with open(2) {@code flags}: checks the access mode with meta and reads
     * the attributes fresh (close-to-open). O_TRUNC is the caller's setattr; O_CREAT is
     * {@link #create}. Returns the handle.
     */
    long open(Credentials cred, long inode, int flags) throws CairnException {
        return open(cred, inode, flags, () -> ns.getattrFresh(cred, inode));
    }

    /**
     * As {@link #open}, for a file found by {@code name} in {@code parent}: one lookup at the meta
     * service both checks that the name still names the file and reads its attributes. Returns
     * -1 when the name now names another file (another client renamed or replaced it: look the
     * name up again). When the name is gone, the file is opened as it is, if it still exists
     * (open by a descriptor, say).
     */
    long openFound(Credentials cred, long parent, String name, long inode, int flags) throws CairnException {
        return open(cred, inode, flags, () -> {
            try {
                InodeAttr attr = ns.lookupFresh(cred, parent, name);
                return attr.getInode() == inode ? attr : null;
            } catch (CairnException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    return ns.getattrFresh(cred, inode);
                }
                throw e;
            }
        });
    }

    private interface FreshAttr {
        /** The file's attributes read at the meta service, or null if it is not the file asked for. */
        InodeAttr read() throws CairnException;
    }

    private long open(Credentials cred, long inode, int flags, FreshAttr fresh) throws CairnException {
        // Counted as open before its attributes are read: from here a rename or unlink by this
        // client hides the file instead of removing it, so what the read finds stays readable.
        OpenInode f = files.ref(inode);
        try {
            InodeAttr attr = fresh.read();
            if (attr != null) {
                return attach(f, cred, checked(attr, cred, flags & O_ACCMODE, inode), flags);
            }
        } catch (CairnException | RuntimeException e) {
            try {
                unref(f);
            } catch (CairnException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        unref(f);
        return -1;
    }

    /** {@code attr}, if the caller may open the file with access mode {@code acc}. */
    private static InodeAttr checked(InodeAttr attr, Credentials cred, int acc, long inode) throws CairnException {
        int mask = acc == O_WRONLY ? Access.W : acc == O_RDWR ? Access.R | Access.W : Access.R;
        if (!Access.allows(attr, cred, mask)) {
            // The meta service's own rule, on attributes just read from it: one round trip fewer.
            throw new CairnException(ErrorCode.PERMISSION_DENIED, "permission denied opening inode " + inode);
        }
        if ((attr.getMode() & S_IFMT) == S_IFDIR && acc != 0) {
            throw new CairnException(ErrorCode.IS_A_DIRECTORY, "inode " + inode + " is a directory; it opens read-only");
        }
        return attr;
    }

    /** create(2) with O_CREAT: a new regular file (O_EXCL: it must not exist), opened. */
    long create(Credentials cred, long parent, String name, int mode, int flags) throws CairnException {
        boolean exclusive = (flags & 0200) != 0;  // O_EXCL
        boolean inline = io.inlineEnabled();  // a small file's bytes go with its length: no chunk 0 to allocate
        Namespace.Created made = ns.create(cred, parent, name, S_IFREG | (mode & 07777), 0, exclusive, !inline);
        long handle = attach(files.ref(made.attr().getInode()), cred, made.attr(), flags);
        if (made.attr().getSize() == 0 && inline) {
            io.knowCreated(files.get(handle).file());  // meta refuses inline bytes if an old empty file has a chunk
        } else if (made.firstChunk() != null && made.attr().getSize() == 0) {
            io.knowFirstChunk(files.get(handle).file(), made.firstChunk());
        }
        return handle;
    }

    /** A handle on {@code f} (counted open by the caller), its cached data checked against {@code attr}. */
    private long attach(OpenInode f, Credentials cred, InodeAttr attr, int flags) {
        byte[] inline = writeBack == null ? null : writeBack.inlineBytes(f.inode);
        f.lock.lock();
        try {
            io.revalidate(f, attr.getSize());
            if (inline != null && f.layout.unknown()) {
                f.layout.known(inline);  // made here ahead of the meta group: read here too
            }
        } finally {
            f.lock.unlock();
        }
        return files.add(f, cred, flags).id();
    }

    /**
     * The last close of a handle: commits and forgets it; at the client's last handle on the file,
     * releases the client's locks on it and removes a hidden name.
     */
    void release(long handle) throws CairnException {
        OpenFiles.Handle h = files.remove(handle);
        CairnException failed = null;
        try {
            data.commit(h, false);
        } catch (CairnException e) {
            failed = e;
        }
        try {
            unref(h.file());
        } catch (CairnException e) {
            failed = failed != null ? failed : e;
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * One user of the open file less. After the last: the client's locks on it go, and a file
     * hidden when its last name was removed while open is removed now.
     */
    void unref(OpenInode f) throws CairnException {
        NamespaceCache.Key hiddenAs = null;
        boolean last;
        synchronized (files) {
            last = files.unref(f);
            if (last) {
                hiddenAs = f.hidden;
            }
        }
        if (!last) {
            return;
        }
        try {
            locks.releaseAll(f.inode);  // no handle left here: no lock either
        } finally {
            if (hiddenAs != null) {
                hidden.remove(f.inode, hiddenAs);
            }
        }
    }
}
