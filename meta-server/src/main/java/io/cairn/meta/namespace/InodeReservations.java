package io.cairn.meta.namespace;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.InodeRange;
import io.cairn.proto.ReserveInodesRequest;
import io.cairn.proto.state.ClientRecord;
import io.cairn.proto.state.Counters;
import io.cairn.proto.state.ReservedInodes;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Inode numbers reserved to one client, so that it names the inodes of what it creates ahead of
 * the meta group (write-back) and refers to them in the changes it queues after the create. Each
 * number is used once: a create takes it and every number below it in its range.
 */
public final class InodeReservations {
    public static final int MAX_COUNT = 65_536;
    /**
     * Ranges with numbers left that one client keeps; a new reservation beyond it ends the oldest.
     * A client sends the creates naming its numbers before it reserves more, so it has no use for
     * what is left of an older range (numbers skipped by a create that failed).
     */
    public static final int MAX_RANGES = 4;

    private InodeReservations() {
    }

    public static InodeRange reserve(Txn t, ApplyContext c, ReserveInodesRequest r) throws CairnException {
        if (c.clientId().size() != 16) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "reserving inode numbers needs the caller's 16-byte client id");
        }
        if (r.getCount() < 1 || r.getCount() > MAX_COUNT) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "reserve from 1 to " + MAX_COUNT + " inode numbers at a time, not " + Integer.toUnsignedString(r.getCount()));
        }
        ClientRecord held = Records.client(t, c.clientId());
        ClientRecord.Builder b = held == null ? ClientRecord.newBuilder() : held.toBuilder();
        while (b.getInodeRangesCount() >= MAX_RANGES) {
            b.removeInodeRanges(0);
        }
        Counters counters = Records.counters(t);
        long first = counters.getNextInode();
        Records.putCounters(t, counters.toBuilder().setNextInode(first + r.getCount()).build());
        Records.putClient(t, c.clientId(), b.addInodeRanges(
                ReservedInodes.newBuilder().setNext(first).setEnd(first + r.getCount())).build());
        return InodeRange.newBuilder().setFirst(first).setCount(r.getCount()).build();
    }

    /**
     * The inode number of something new: the meta group's next when {@code requested} is 0, else
     * {@code requested}, which must be reserved to the calling client and not used yet.
     */
    static long claim(Txn t, ApplyContext c, long requested) throws CairnException {
        if (requested == 0) {
            return Inodes.allocateInode(t);
        }
        ClientRecord held = c.clientId().size() == 16 ? Records.client(t, c.clientId()) : null;
        for (int i = 0; held != null && i < held.getInodeRangesCount(); i++) {
            ReservedInodes range = held.getInodeRanges(i);
            if (Long.compareUnsigned(requested, range.getNext()) >= 0 && Long.compareUnsigned(requested, range.getEnd()) < 0) {
                if (Records.inode(t, requested) != null) {
                    throw new CairnException(ErrorCode.INTERNAL, "reserved inode " + requested + " is in use");
                }
                ClientRecord.Builder b = held.toBuilder();
                if (requested + 1 == range.getEnd()) {
                    b.removeInodeRanges(i);
                } else {
                    b.setInodeRanges(i, range.toBuilder().setNext(requested + 1));
                }
                Records.putClient(t, c.clientId(), b.build());
                return requested;
            }
        }
        throw new CairnException(ErrorCode.INVALID_ARGUMENT, "inode " + Long.toUnsignedString(requested)
                + " is not reserved to this client or was used already: reserve inode numbers first"
                + " (ReserveInodes) and use each once, in increasing order");
    }

    /** Forgets every number the client reserved and did not use: its lease ended. */
    public static void release(Txn t, ByteString clientId) {
        t.delete(Table.CLIENTS, clientId.toByteArray());
    }

    /**
     * The client that reserved {@code inode} and has not applied its create yet, if any: a call
     * naming that number waits for that client's queue (the leader recalls its leases).
     */
    public static java.util.Optional<ByteString> reserver(ReadView v, long inode) {
        ByteString[] found = {null};
        v.scan(Table.CLIENTS, new byte[0], null, (k, val) -> {
            for (ReservedInodes range : Records.parse(val, ClientRecord.parser()).getInodeRangesList()) {
                if (Long.compareUnsigned(inode, range.getNext()) >= 0 && Long.compareUnsigned(inode, range.getEnd()) < 0) {
                    found[0] = ByteString.copyFrom(k);
                    return false;
                }
            }
            return true;
        });
        return java.util.Optional.ofNullable(found[0]);
    }

    /** Every client holding reserved inode numbers. */
    public static Set<ByteString> holders(ReadView v) {
        Set<ByteString> out = new LinkedHashSet<>();
        v.scan(Table.CLIENTS, new byte[0], null, (k, val) -> {
            out.add(ByteString.copyFrom(k));
            return true;
        });
        return out;
    }
}
