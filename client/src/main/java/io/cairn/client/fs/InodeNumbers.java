package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeRange;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.ReserveInodesRequest;

/**
 * The inode numbers reserved to this client's session for what it creates ahead of the meta group
 * (DESIGN.md, "Metadata fast path", 2), taken from the meta group {@value #RESERVE} at a time. The
 * write-back queue is sent before a new range is reserved, so the creates naming the numbers of
 * the range before are applied first. Not thread-safe: the {@link WriteBack} monitor guards it.
 * Errors: the meta group's, from sending the queue or from the reservation.
 */
final class InodeNumbers {
    private static final Credentials ROOT = Credentials.getDefaultInstance();
    private static final int RESERVE = 4096;

    private final MetaClient meta;
    private final ChangeQueue queue;
    private long nextInode;
    private long endInode;

    InodeNumbers(MetaClient meta, ChangeQueue queue) {
        this.meta = meta;
        this.queue = queue;
    }

    /** The next inode number reserved to this client; the queue is sent before reserving more. */
    long next() throws CairnException {
        if (nextInode >= endInode) {
            queue.flush();  // the creates naming the numbers reserved before are applied first
            InodeRange r = meta.mutateUnordered(ROOT, MetaMutation.newBuilder().setReserveInodes(
                    ReserveInodesRequest.newBuilder().setCount(RESERVE)).build(), meta.nextCallId()).getInodes();
            nextInode = r.getFirst();
            endInode = r.getFirst() + r.getCount();
        }
        return nextInode++;
    }
}
