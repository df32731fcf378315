package io.cairn.meta;

import io.cairn.common.Replies;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.namespace.ApplyContext;
import io.cairn.meta.store.Txn;
import io.cairn.proto.BatchOp;
import io.cairn.proto.BatchReply;
import io.cairn.proto.BatchRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import java.util.EnumSet;
import java.util.Set;

/**
 * A batch of one client's changes applied in order inside one log entry: each op in its own save
 * point, so one that fails leaves no trace and the ones after it still apply (as the kernel's
 * write-back of a local file system reports a failed write at the next fsync, not by undoing the
 * others). The whole batch is one mutation for the exactly-once table.
 */
public final class BatchOps {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BatchOps.class);
    /** At most this many ops in one batch: a log entry stays well under the gRPC message limit. */
    public static final int MAX_OPS = 4096;

    /** The changes a client may make ahead of the meta group: namespace and file changes. */
    public static final Set<MetaMutation.OpCase> BATCHABLE = EnumSet.of(
            MetaMutation.OpCase.CREATE, MetaMutation.OpCase.MKDIR, MetaMutation.OpCase.SYMLINK,
            MetaMutation.OpCase.LINK, MetaMutation.OpCase.UNLINK, MetaMutation.OpCase.RMDIR,
            MetaMutation.OpCase.RENAME, MetaMutation.OpCase.SET_ATTR, MetaMutation.OpCase.SET_XATTR,
            MetaMutation.OpCase.REMOVE_XATTR, MetaMutation.OpCase.ALLOCATE_CHUNK, MetaMutation.OpCase.COMMIT_WRITE,
            MetaMutation.OpCase.ACQUIRE_LEASE, MetaMutation.OpCase.RELEASE_LEASE);

    private BatchOps() {
    }

    /** Refuses a batch that is empty, too long, or holds an op that may not be batched. */
    public static void check(BatchRequest r) throws CairnException {
        if (r.getOpsCount() == 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "the batch holds no change");
        }
        if (r.getOpsCount() > MAX_OPS) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "a batch holds at most " + MAX_OPS + " changes, not " + r.getOpsCount() + ": send it in parts");
        }
        for (int i = 0; i < r.getOpsCount(); i++) {
            BatchOp op = r.getOps(i);
            if (!op.hasCred()) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "change " + i + " of the batch carries no caller credentials");
            }
            MetaMutation.OpCase kind = op.getMutation().getOpCase();
            if (!BATCHABLE.contains(kind)) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "change " + i + " of the batch is "
                        + (kind == MetaMutation.OpCase.OP_NOT_SET ? "empty" : kind.name().toLowerCase(java.util.Locale.ROOT))
                        + ", which cannot be batched: send it on its own");
            }
        }
    }

    static BatchReply apply(Txn t, ApplyContext c, BatchRequest r) throws CairnException {
        check(r);
        BatchReply.Builder out = BatchReply.newBuilder();
        for (BatchOp op : r.getOpsList()) {
            t.setSavePoint();
            try {
                out.addReplies(MetaApplier.dispatch(t, c.as(op.getCred()), op.getMutation()));
                t.releaseSavePoint();
            } catch (CairnException e) {
                t.rollbackToSavePoint();
                out.addReplies(Replies.meta(e));
            } catch (RuntimeException e) {
                t.rollbackToSavePoint();
                log.error("batched mutation {} failed unexpectedly; nothing of it was applied", op.getMutation().getOpCase(), e);
                out.addReplies(MetaReply.newBuilder().setCode(ErrorCode.INTERNAL.toProto())
                        .setMessage("internal error applying " + op.getMutation().getOpCase() + ": " + e));
            }
        }
        return out.build();
    }
}
