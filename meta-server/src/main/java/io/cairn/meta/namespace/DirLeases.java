package io.cairn.meta.namespace;

import static io.cairn.meta.namespace.Permissions.R;
import static io.cairn.meta.namespace.Permissions.W;
import static io.cairn.meta.namespace.Permissions.X;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.AcquireLeaseRequest;
import io.cairn.proto.ReleaseLeaseRequest;
import io.cairn.proto.state.InodeRecord;
import io.cairn.proto.state.LeaseRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Directory leases in the replicated state, so that a new leader knows them: an exclusive lease
 * (one client may change the directory's entries on its own) or shared ones (clients cache its
 * listing), never both at once. The guard every change passes at apply refuses (LEASED) a change
 * to a directory another client holds in either way, and a read of one another client holds
 * exclusively; the leader recalls such leases before it proposes or answers, so the refusal only
 * meets a call that raced with a grant.
 */
public final class DirLeases {
    /** Shared holders of one directory at most; past it a shared lease is refused (BUSY) and the client asks meta. */
    static final int MAX_READERS = 64;

    private DirLeases() {
    }

    public static void acquire(Txn t, ApplyContext c, AcquireLeaseRequest r) throws CairnException {
        if (c.clientId().size() != 16) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a lease needs the caller's 16-byte client id");
        }
        Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord dir = Inodes.dir(t, r.getVolumeId(), r.getInode());
        LeaseRecord cur = record(t, r.getInode());
        LeaseRecord.Builder next = cur == null ? LeaseRecord.newBuilder().setVolumeId(r.getVolumeId()) : cur.toBuilder();
        if (r.getShared()) {
            Permissions.check(dir, c.cred(), R | X, "lease the directory's listing");
            guardRead(t, c.clientId(), List.of(r.getInode()));
            if (next.getClientId().equals(c.clientId()) || next.getReadersList().contains(c.clientId())) {
                return;  // held already (an exclusive lease covers a shared one)
            }
            if (next.getReadersCount() >= MAX_READERS) {
                throw new CairnException(ErrorCode.BUSY, "directory inode " + r.getInode() + " is shared by "
                        + MAX_READERS + " clients already; ask the meta service instead of caching it");
            }
            next.addReaders(c.clientId());
        } else {
            Permissions.check(dir, c.cred(), W | X, "lease the directory");
            guard(t, c.clientId(), List.of(r.getInode()));
            next.setClientId(c.clientId()).clearReaders();  // its own shared lease, if any, is part of it now
        }
        t.put(Table.LEASES, MetaSchema.u64(r.getInode()), next.build().toByteArray());
    }

    /** Gives back the caller's lease on the directory: a shared one only when asked so, else either. */
    public static void release(Txn t, ApplyContext c, ReleaseLeaseRequest r) {
        LeaseRecord cur = record(t, r.getInode());
        if (cur == null) {
            return;
        }
        if (r.getShared()) {
            List<ByteString> readers = new ArrayList<>(cur.getReadersList());
            readers.remove(c.clientId());
            put(t, r.getInode(), cur.toBuilder().clearReaders().addAllReaders(readers).build());
        } else {
            put(t, r.getInode(), without(cur, c.clientId()));
        }
    }

    /**
     * Drops every directory lease of the client: its client lease ended, or it is unmounting. Its
     * leases on files stay until the leader has committed the lengths their replicas hold ({@link FileLeases}).
     */
    public static void releaseAll(Txn t, ByteString clientId) {
        Map<Long, LeaseRecord> touched = new java.util.LinkedHashMap<>();
        t.scan(Table.LEASES, new byte[0], null, (k, v) -> {
            LeaseRecord r = Records.parse(v, LeaseRecord.parser());
            if ((r.getClientId().equals(clientId) || r.getReadersList().contains(clientId))
                    && !FileLeases.isFile(t, java.nio.ByteBuffer.wrap(k).getLong())) {
                touched.put(java.nio.ByteBuffer.wrap(k).getLong(), r);
            }
            return true;
        });
        touched.forEach((inode, r) -> put(t, inode, without(r, clientId)));
    }

    private static LeaseRecord without(LeaseRecord r, ByteString client) {
        LeaseRecord.Builder b = r.toBuilder();
        if (b.getClientId().equals(client)) {
            b.clearClientId();
        }
        List<ByteString> readers = new ArrayList<>(b.getReadersList());
        readers.remove(client);
        return b.clearReaders().addAllReaders(readers).build();
    }

    private static void put(Txn t, long inode, LeaseRecord r) {
        if (r.getClientId().isEmpty() && r.getReadersCount() == 0) {
            t.delete(Table.LEASES, MetaSchema.u64(inode));
        } else {
            t.put(Table.LEASES, MetaSchema.u64(inode), r.toByteArray());
        }
    }

    /** A directory that is gone holds no lease. */
    static void forget(Txn t, long inode) {
        t.delete(Table.LEASES, MetaSchema.u64(inode));
    }

    private static LeaseRecord record(ReadView v, long inode) {
        return Records.parse(v.get(Table.LEASES, MetaSchema.u64(inode)), LeaseRecord.parser());
    }

    /** The exclusive holder of the directory, if any. */
    public static Optional<ByteString> holder(ReadView v, long inode) {
        LeaseRecord r = record(v, inode);
        return r == null || r.getClientId().isEmpty() ? Optional.empty() : Optional.of(r.getClientId());
    }

    /** The shared holders of the directory, in the order they took it. */
    public static List<ByteString> readers(ReadView v, long inode) {
        LeaseRecord r = record(v, inode);
        return r == null ? List.of() : r.getReadersList();
    }

    /** The volume of a leased directory (0 if it holds no lease). */
    public static int volumeOf(ReadView v, long inode) {
        LeaseRecord r = record(v, inode);
        return r == null ? 0 : r.getVolumeId();
    }

    /**
     * The clients other than {@code caller} whose leases stand in the way of a change to
     * {@code inode} (every holder) or, when {@code read}, of a read of it (the exclusive holder).
     */
    public static Set<ByteString> conflicts(ReadView v, ByteString caller, long inode, boolean read) {
        LeaseRecord r = record(v, inode);
        Set<ByteString> out = new LinkedHashSet<>();
        if (r == null) {
            return out;
        }
        if (!r.getClientId().isEmpty() && !r.getClientId().equals(caller)) {
            out.add(r.getClientId());
        }
        if (!read) {
            for (ByteString reader : r.getReadersList()) {
                if (!reader.equals(caller)) {
                    out.add(reader);
                }
            }
        }
        return out;
    }

    /** Refuses with LEASED a change to one of the inodes while another client than {@code caller} holds a lease on it. */
    public static void guard(ReadView v, ByteString caller, Collection<Long> inodes) throws CairnException {
        check(v, caller, inodes, false);
    }

    /** Refuses with LEASED a read of one of the inodes while another client holds it exclusively. */
    public static void guardRead(ReadView v, ByteString caller, Collection<Long> inodes) throws CairnException {
        check(v, caller, inodes, true);
    }

    private static void check(ReadView v, ByteString caller, Collection<Long> inodes, boolean read) throws CairnException {
        for (long inode : inodes) {
            Set<ByteString> others = conflicts(v, caller, inode, read);
            if (!others.isEmpty()) {
                throw new CairnException(ErrorCode.LEASED, "inode " + inode + " is leased to client "
                        + HexFormat.of().formatHex(others.iterator().next().toByteArray())
                        + "; retry once the leader has recalled it");
            }
        }
    }

    /** The directories {@code client} holds exclusively (where it may have changes queued). */
    public static List<Long> exclusiveOf(ReadView v, ByteString client) {
        List<Long> out = new ArrayList<>();
        v.scan(Table.LEASES, new byte[0], null, (k, val) -> {
            if (Records.parse(val, LeaseRecord.parser()).getClientId().equals(client)) {
                out.add(java.nio.ByteBuffer.wrap(k).getLong());
            }
            return true;
        });
        return out;
    }

    /** Every client holding a lease, exclusive or shared. */
    public static Set<ByteString> holders(ReadView v) {
        Set<ByteString> out = new LinkedHashSet<>();
        v.scan(Table.LEASES, new byte[0], null, (k, val) -> {
            LeaseRecord r = Records.parse(val, LeaseRecord.parser());
            if (!r.getClientId().isEmpty()) {
                out.add(r.getClientId());
            }
            out.addAll(r.getReadersList());
            return true;
        });
        return out;
    }
}
