package io.cairn.meta.namespace;

import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.BatchOp;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.state.DentryRecord;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The inodes a call reads or changes that a directory lease may cover: the directories whose
 * entries it reads or changes, and the inodes whose attributes it reads or changes. One list for
 * the leader, which recalls leases on them before it answers, and for apply, which refuses a
 * change to a directory another client holds. A change conflicts with every other holder, a
 * read ({@link #of(MetaQuery)}, {@link #reads(MetaMutation)}) only with an exclusive one.
 */
public final class LeaseTargets {
    private LeaseTargets() {
    }

    public static Set<Long> of(ReadView v, MetaMutation m) {
        Set<Long> out = new LinkedHashSet<>();
        switch (m.getOpCase()) {
            case CREATE -> out.add(m.getCreate().getParent());
            case MKDIR -> out.add(m.getMkdir().getParent());
            case SYMLINK -> out.add(m.getSymlink().getParent());
            case LINK -> {
                out.add(m.getLink().getNewParent());
                out.add(m.getLink().getInode());
            }
            case UNLINK -> named(v, m.getUnlink().getParent(), m.getUnlink().getName(), out);
            case RMDIR -> named(v, m.getRmdir().getParent(), m.getRmdir().getName(), out);
            case RENAME -> {
                named(v, m.getRename().getParent(), m.getRename().getName(), out);
                named(v, m.getRename().getNewParent(), m.getRename().getNewName(), out);
            }
            case SET_ATTR -> out.add(m.getSetAttr().getInode());
            case SET_XATTR -> out.add(m.getSetXattr().getInode());
            case COMMIT_WRITE -> {
                if (m.getCommitWrite().getSettles().isEmpty()) {
                    out.add(m.getCommitWrite().getInode());  // another client's held length is committed first
                }
            }
            case REMOVE_XATTR -> out.add(m.getRemoveXattr().getInode());
            case ACQUIRE_LEASE -> {
                if (!m.getAcquireLease().getShared()) {
                    out.add(m.getAcquireLease().getInode());  // a shared one only reads: see reads()
                }
            }
            case BATCH -> {
                for (BatchOp op : m.getBatch().getOpsList()) {
                    out.addAll(of(v, op.getMutation()));
                }
            }
            default -> { }  // data, pool and repair changes touch no directory
        }
        return out;
    }

    /** The inodes a mutation only reads: the directory of a shared lease it asks for (a batch's included). */
    public static Set<Long> reads(MetaMutation m) {
        Set<Long> out = new LinkedHashSet<>();
        if (m.hasAcquireLease() && m.getAcquireLease().getShared()) {
            out.add(m.getAcquireLease().getInode());
        } else if (m.hasBatch()) {
            for (BatchOp op : m.getBatch().getOpsList()) {
                out.addAll(reads(op.getMutation()));
            }
        }
        return out;
    }

    /**
     * The inodes a query reads. A lookup answers with the named inode's attributes too: a file
     * whose length another client holds ({@link FileLeases}) is recalled first, so the size it
     * answers is the file's.
     */
    public static Set<Long> of(ReadView v, MetaQuery q) {
        return switch (q.getOpCase()) {
            case LOOKUP -> {
                Set<Long> out = new LinkedHashSet<>();
                out.add(q.getLookup().getParent());
                // Only a file named: a directory's lease covers its entries, and a lookup of its
                // name from elsewhere does not take it away from the client working in it.
                String name = q.getLookup().getName();
                DentryRecord d = name.isEmpty() ? null : Records.dentry(v, q.getLookup().getParent(), name);
                if (d != null && FileLeases.isFile(v, d.getInode())) {
                    out.add(d.getInode());
                }
                yield out;
            }
            case GET_ATTR -> Set.of(q.getGetAttr().getInode());
            case READ_DIR -> Set.of(q.getReadDir().getInode());
            case GET_XATTR -> Set.of(q.getGetXattr().getInode());
            case LIST_XATTR -> Set.of(q.getListXattr().getInode());
            case ACCESS -> Set.of(q.getAccess().getInode());
            default -> Set.of();
        };
    }

    /** The directory and what its entry {@code name} names, if anything. */
    private static void named(ReadView v, long dir, String name, Set<Long> out) {
        out.add(dir);
        DentryRecord d = name.isEmpty() ? null : Records.dentry(v, dir, name);
        if (d != null) {
            out.add(d.getInode());
        }
    }
}
