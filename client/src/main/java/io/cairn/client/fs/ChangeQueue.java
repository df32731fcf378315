package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.BatchOp;
import io.cairn.proto.BatchRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes this client made ahead of the meta group, in the order it made them, sent in
 * batches (one log entry each) by {@link #flush}. A batch that could not be sent stays first
 * under its call id and is sent again by the next flush, so it is applied once whatever happened
 * to the first attempt. A change the meta group refused is logged and reported by the next
 * {@link #takeFailure} (an fsync), as a kernel reports a failed write-back.
 */
final class ChangeQueue {
    private static final Logger log = LoggerFactory.getLogger(ChangeQueue.class);
    /** Changes per batch: well under the meta group's bound, one log entry of a few hundred KiB at most. */
    static final int BATCH_OPS = 1024;

    private final MetaClient meta;
    private final ReentrantLock sending = new ReentrantLock();
    private final List<BatchOp> queued = new ArrayList<>();
    private List<BatchOp> unsent;
    private long unsentCallId;
    private CairnException failure;

    ChangeQueue(MetaClient meta) {
        this.meta = meta;
    }

    synchronized void add(Credentials cred, MetaMutation m) {
        queued.add(BatchOp.newBuilder().setCred(cred).setMutation(m).build());
    }

    synchronized int size() {
        return queued.size() + (unsent == null ? 0 : unsent.size());
    }

    synchronized boolean isEmpty() {
        return queued.isEmpty() && unsent == null;
    }

    /** Sends everything queued so far, in order; returns once the meta group applied it. */
    void flush() throws CairnException {
        sending.lock();
        try {
            while (true) {
                List<BatchOp> batch;
                long callId;
                synchronized (this) {
                    if (unsent == null) {
                        if (queued.isEmpty()) {
                            return;
                        }
                        List<BatchOp> head = queued.subList(0, Math.min(BATCH_OPS, queued.size()));
                        unsent = new ArrayList<>(head);
                        head.clear();
                        unsentCallId = meta.nextCallId();
                    }
                    batch = unsent;
                    callId = unsentCallId;
                }
                MetaReply reply = meta.mutateUnordered(Credentials.getDefaultInstance(), MetaMutation.newBuilder()
                        .setBatch(BatchRequest.newBuilder().addAllOps(batch)).build(), callId);
                synchronized (this) {
                    unsent = null;
                }
                check(batch, reply);
            }
        } finally {
            sending.unlock();
        }
    }

    private void check(List<BatchOp> batch, MetaReply reply) {
        for (int i = 0; i < reply.getBatch().getRepliesCount(); i++) {
            MetaReply r = reply.getBatch().getReplies(i);
            if (r.getCode() != io.cairn.proto.ErrorCode.OK) {
                MetaMutation.OpCase what = batch.get(i).getMutation().getOpCase();
                log.warn("a {} this client made ahead of the meta group was refused: {}", what, r.getMessage());
                synchronized (this) {
                    if (failure == null) {
                        failure = new CairnException(ErrorCode.IO_ERROR, "a " + what.name().toLowerCase(java.util.Locale.ROOT)
                                + " made ahead of the meta group was refused when sent: " + r.getMessage());
                    }
                }
            }
        }
    }

    /** The first refusal since the last call, if any (reported once). */
    synchronized CairnException takeFailure() {
        CairnException f = failure;
        failure = null;
        return f;
    }
}
