package io.cairn.client.fs;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open-file table of one mount: handles (what open returns) and, per inode, the one
 * {@link OpenInode} all its handles share. Thread-safe.
 */
final class OpenFiles {
    /** An open file: the inode's state, who opened it and with which flags. */
    record Handle(long id, OpenInode file, Credentials cred, int flags) {
        boolean writable() {
            return (flags & 3) != 0;  // O_WRONLY or O_RDWR
        }
    }

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Handle> handles = new ConcurrentHashMap<>();
    private final Map<Long, OpenInode> inodes = new HashMap<>();

    /** Inodes whose last name this client is removing; opens of them wait for the removal. */
    private final Map<Long, Removal> removing = new HashMap<>();

    /**
     * The inode's state with one more user; every call is matched by {@link #unref}. Waits while
     * this client removes the inode's last name, so an open either comes first (and the removal
     * hides the file instead) or finds the file gone.
     */
    OpenInode ref(long inode) {
        boolean interrupted = false;
        try {
            while (true) {
                Removal busy;
                synchronized (this) {
                    busy = removing.get(inode);
                    if (busy == null) {
                        OpenInode f = inodes.computeIfAbsent(inode, OpenInode::new);
                        f.opens++;
                        return f;
                    }
                }
                try {
                    busy.finished.await();  // one meta round trip, bounded by its timeout
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A removal of an inode's name in progress; {@link #done} lets waiting opens go on. */
    final class Removal {
        private final long inode;
        private final CountDownLatch finished = new CountDownLatch(1);

        private Removal(long inode) {
            this.inode = inode;
        }

        void done() {
            synchronized (OpenFiles.this) {
                removing.remove(inode, this);
            }
            finished.countDown();
        }
    }

    /** Marks the inode's name as being removed (the caller holds this table's monitor and found it not open). */
    synchronized Removal startRemoval(long inode) {
        Removal r = new Removal(inode);
        removing.put(inode, r);
        return r;
    }

    /** One user less; true when it was the last (the state is forgotten). */
    synchronized boolean unref(OpenInode f) {
        f.opens--;
        if (f.opens == 0) {
            inodes.remove(f.inode, f);
            return true;
        }
        return false;
    }

    synchronized OpenInode find(long inode) {
        return inodes.get(inode);
    }

    synchronized Collection<OpenInode> all() {
        return new ArrayList<>(inodes.values());
    }

    Handle add(OpenInode f, Credentials cred, int flags) {
        Handle h = new Handle(ids.incrementAndGet(), f, cred, flags);
        handles.put(h.id(), h);
        return h;
    }

    Handle get(long id) throws CairnException {
        Handle h = handles.get(id);
        if (h == null) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "file handle " + id + " is not open");
        }
        return h;
    }

    Handle remove(long id) throws CairnException {
        Handle h = handles.remove(id);
        if (h == null) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "file handle " + id + " is not open");
        }
        return h;
    }

    Collection<Handle> handles() {
        return new ArrayList<>(handles.values());
    }
}
