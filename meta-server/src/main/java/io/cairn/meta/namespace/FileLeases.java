package io.cairn.meta.namespace;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.state.InodeRecord;
import io.cairn.proto.state.LeaseRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Exclusive leases on regular files: the holder keeps the file's length ahead of the meta group.
 * A client that appends and calls fdatasync makes each append durable on every replica of the
 * chunk's epoch (the replicas hold their lengths) and tells the meta group the length later: at
 * close, when the lease is recalled (another client reads the file's attributes or changes it),
 * or at most a second later. If its session ends first, the leader reads the lengths from the
 * replicas and commits them ({@code CommitWriteRequest.settles}) before the session's other
 * leases and locks go. Kept in the same table as the directory leases, so the leader's recalls
 * and the apply guard ({@link DirLeases#guard}) cover both.
 */
public final class FileLeases {
    private FileLeases() {
    }

    /** Checks a commit's lease fields before it changes anything. */
    static void check(ApplyContext c, CommitWriteRequest r) throws CairnException {
        if (!r.getSettles().isEmpty() && !Permissions.isRoot(c.cred())) {
            throw new CairnException(ErrorCode.NOT_PERMITTED, "only the meta leader settles another client's file length");
        }
        if (r.getHoldLength() && c.clientId().size() != 16) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "holding a file's length needs the caller's 16-byte client id");
        }
    }

    /** After a commit: takes, keeps or ends the lease its fields ask for. */
    static void afterCommit(Txn t, ApplyContext c, CommitWriteRequest r) {
        LeaseRecord cur = record(t, r.getInode());
        ByteString holder = cur == null ? ByteString.EMPTY : cur.getClientId();
        if (!r.getSettles().isEmpty()) {
            if (holder.equals(r.getSettles())) {
                t.delete(Table.LEASES, MetaSchema.u64(r.getInode()));
            }
        } else if (r.getHoldLength()) {  // another client's lease refused it already (the apply guard, LeaseTargets)
            t.put(Table.LEASES, MetaSchema.u64(r.getInode()), LeaseRecord.newBuilder().setVolumeId(r.getVolumeId())
                    .setClientId(c.clientId()).build().toByteArray());
        } else if (!holder.isEmpty() && holder.equals(c.clientId())) {
            t.delete(Table.LEASES, MetaSchema.u64(r.getInode()));
        }
    }

    /** The regular files whose length {@code client} holds. */
    public static List<Long> heldBy(ReadView v, ByteString client) {
        List<Long> out = new ArrayList<>();
        for (long inode : DirLeases.exclusiveOf(v, client)) {
            if (isFile(v, inode)) {
                out.add(inode);
            }
        }
        return out;
    }

    /** Whether the leased inode is a regular file (its lease is a held length, not a directory's). */
    static boolean isFile(ReadView v, long inode) {
        InodeRecord rec = Records.inode(v, inode);
        return rec != null && FileMode.isRegular(rec.getMode());
    }

    private static LeaseRecord record(ReadView v, long inode) {
        return Records.parse(v.get(Table.LEASES, MetaSchema.u64(inode)), LeaseRecord.parser());
    }
}
