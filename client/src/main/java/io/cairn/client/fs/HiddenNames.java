package io.cairn.client.fs;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hidden names of files whose last name this client removes while it holds them open
 * ({@value CairnFs#HIDDEN_PREFIX}INODE in {@value CairnFs#UNLINKED_DIR} of the volume's root,
 * linked just before the name goes, as NFS clients rename): the holder goes on reading and
 * writing, and the last release removes the hidden name (see {@link CairnFs}).
 */
final class HiddenNames {
    private static final Logger log = LoggerFactory.getLogger(HiddenNames.class);
    private static final Credentials ROOT = Credentials.getDefaultInstance();
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;

    private final Namespace ns;
    private final OpenFiles files;
    private final long root;
    /** The inode of {@link CairnFs#UNLINKED_DIR}, 0 until this client needed it. */
    private volatile long unlinkedDir;

    HiddenNames(Namespace ns, OpenFiles files, long root) {
        this.ns = ns;
        this.files = files;
        this.root = root;
    }

    /**
     * Before removing a name of {@code victim} (unlink, or a rename over it): when it is the last
     * name of a file this client holds open, gives the file a hidden second name in
     * {@link CairnFs#UNLINKED_DIR} first, so the holder can go on reading and writing and the name
     * itself goes atomically (the last release removes the hidden one). Returns the removal,
     * which opens of the file wait for until the caller calls {@code done()} after removing the
     * name.
     */
    OpenFiles.Removal hideIfOpen(Credentials cred, long parent, InodeAttr victim) throws CairnException {
        synchronized (files) {
            OpenInode f = (victim.getMode() & S_IFMT) == S_IFREG ? files.find(victim.getInode()) : null;
            if (f != null && f.hidden == null && ns.getattrFresh(cred, victim.getInode()).getNlink() == 1) {
                String hiddenName = CairnFs.HIDDEN_PREFIX + Long.toHexString(victim.getInode());
                f.hidden = new NamespaceCache.Key(hide(victim.getInode(), hiddenName, parent), hiddenName);
            }
            return files.startRemoval(victim.getInode());
        }
    }

    /**
     * Links {@code inode} as {@code hiddenName} in {@link CairnFs#UNLINKED_DIR}, made on first use;
     * returns that directory. If it cannot be had (a file took its name, say), the name goes in
     * {@code parent}, as before there was such a directory.
     */
    private long hide(long inode, String hiddenName, long parent) throws CairnException {
        for (int attempt = 0; attempt < 2; attempt++) {
            long dir;
            try {
                dir = unlinkedDir();
            } catch (CairnException e) {
                if (e.code().retryable()) {
                    throw e;
                }
                log.warn("no {} in the volume's root ({}); hiding inode {} in its directory", CairnFs.UNLINKED_DIR,
                        e.getMessage(), inode);
                break;
            }
            try {
                ns.link(ROOT, inode, dir, hiddenName);
                return dir;
            } catch (CairnException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
                unlinkedDir = 0;  // removed by someone since: make it again
            }
        }
        ns.link(ROOT, inode, parent, hiddenName);
        return parent;
    }

    private long unlinkedDir() throws CairnException {
        long dir = unlinkedDir;
        if (dir != 0) {
            return dir;
        }
        InodeAttr a;
        try {
            a = ns.mkdir(ROOT, root, CairnFs.UNLINKED_DIR, 0700);
        } catch (CairnException e) {
            if (e.code() != ErrorCode.ALREADY_EXISTS) {
                throw e;
            }
            a = ns.lookupFresh(ROOT, root, CairnFs.UNLINKED_DIR);  // another client made it
        }
        if ((a.getMode() & S_IFMT) != S_IFDIR) {
            throw new CairnException(ErrorCode.NOT_A_DIRECTORY, CairnFs.UNLINKED_DIR + " is not a directory");
        }
        unlinkedDir = a.getInode();
        return unlinkedDir;
    }

    /** At the last release of a file hidden so: its hidden name goes. */
    void remove(long inode, NamespaceCache.Key hiddenAs) throws CairnException {
        ns.unlink(ROOT, hiddenAs.parent(), hiddenAs.name(), inode);
    }
}
