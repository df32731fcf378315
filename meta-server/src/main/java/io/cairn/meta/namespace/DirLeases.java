package io.cairn.meta.namespace;

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
import java.util.Optional;
import java.util.Set;

/**
 * Exclusive directory leases in the replicated state: who holds which directory, so that a new
 * leader knows them, and the guard every change passes at apply: a change by one client to a
 * directory another holds is refused (LEASED), and the leader recalls the lease before it
 * proposes such a change, so the refusal only meets a change that raced with a grant.
 */
public final class DirLeases {
    private DirLeases() {
    }

    public static void acquire(Txn t, ApplyContext c, AcquireLeaseRequest r) throws CairnException {
        if (c.clientId().size() != 16) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a lease needs the caller's 16-byte client id");
        }
        Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord dir = Inodes.dir(t, r.getVolumeId(), r.getInode());
        Permissions.check(dir, c.cred(), W | X, "lease the directory");
        guard(t, c.clientId(), List.of(r.getInode()));
        t.put(Table.LEASES, MetaSchema.u64(r.getInode()),
                LeaseRecord.newBuilder().setClientId(c.clientId()).setVolumeId(r.getVolumeId()).build().toByteArray());
    }

    public static void release(Txn t, ApplyContext c, ReleaseLeaseRequest r) {
        if (holder(t, r.getInode()).filter(h -> h.equals(c.clientId())).isPresent()) {
            t.delete(Table.LEASES, MetaSchema.u64(r.getInode()));
        }
    }

    /** Drops every lease of the client: its client lease ended, or it is unmounting. */
    public static void releaseAll(Txn t, ByteString clientId) {
        List<byte[]> keys = new ArrayList<>();
        t.scan(Table.LEASES, new byte[0], null, (k, v) -> {
            if (Records.parse(v, LeaseRecord.parser()).getClientId().equals(clientId)) {
                keys.add(k);
            }
            return true;
        });
        keys.forEach(k -> t.delete(Table.LEASES, k));
    }

    /** A directory that is gone holds no lease. */
    static void forget(Txn t, long inode) {
        t.delete(Table.LEASES, MetaSchema.u64(inode));
    }

    public static Optional<ByteString> holder(ReadView v, long inode) {
        LeaseRecord r = Records.parse(v.get(Table.LEASES, MetaSchema.u64(inode)), LeaseRecord.parser());
        return r == null ? Optional.empty() : Optional.of(r.getClientId());
    }

    /** The volume of a leased directory (0 if it holds no lease). */
    public static int volumeOf(ReadView v, long inode) {
        LeaseRecord r = Records.parse(v.get(Table.LEASES, MetaSchema.u64(inode)), LeaseRecord.parser());
        return r == null ? 0 : r.getVolumeId();
    }

    /** Refuses with LEASED when another client than {@code caller} holds one of the inodes. */
    public static void guard(ReadView v, ByteString caller, Collection<Long> inodes) throws CairnException {
        for (long inode : inodes) {
            Optional<ByteString> h = holder(v, inode);
            if (h.isPresent() && !h.get().equals(caller)) {
                throw new CairnException(ErrorCode.LEASED, "directory inode " + inode + " is leased to client "
                        + HexFormat.of().formatHex(h.get().toByteArray()) + "; retry once the leader has recalled it");
            }
        }
    }

    /** Every client holding a lease. */
    public static Set<ByteString> holders(ReadView v) {
        Set<ByteString> out = new LinkedHashSet<>();
        v.scan(Table.LEASES, new byte[0], null, (k, val) -> {
            out.add(Records.parse(val, LeaseRecord.parser()).getClientId());
            return true;
        });
        return out;
    }
}
