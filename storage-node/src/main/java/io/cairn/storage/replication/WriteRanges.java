package io.cairn.storage.replication;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.WriteExtent;
import io.cairn.proto.WriteRequest;
import io.cairn.storage.chunk.ChunkStore;
import io.cairn.storage.chunk.ReplicaInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte ranges one WriteRequest carries: its own (offset, data, crcs), then its extents, in
 * the order they are applied; the same on the primary and on every replica.
 */
public final class WriteRanges {
    /** The most bytes one call carries (a write's ranges in all, a copy, a read, a piece of a repair copy). */
    public static final int MAX_PIECE = 1 << 20;

    private WriteRanges() {
    }

    public record Range(long offset, ByteString data, List<Integer> crcs) {
    }

    public static List<Range> of(WriteRequest r) {
        List<Range> out = new ArrayList<>(1 + r.getExtentsCount());
        out.add(new Range(r.getOffset(), r.getData(), r.getCrcsList()));
        for (WriteExtent e : r.getExtentsList()) {
            out.add(new Range(e.getOffset(), e.getData(), e.getCrcsList()));
        }
        return out;
    }

    /** The call's bytes in all. */
    public static long bytes(WriteRequest r) {
        long n = r.getData().size();
        for (WriteExtent e : r.getExtentsList()) {
            n += e.getData().size();
        }
        return n;
    }

    /** Writes the ranges in order; the replica as it stands after the last. */
    static ReplicaInfo write(ChunkStore store, ChunkTarget t, List<Range> ranges) throws CairnException {
        ReplicaInfo after = null;
        for (Range range : ranges) {
            after = store.write(t.getChunkId(), t.getEpoch(), range.offset(), range.data().asReadOnlyByteBuffer(),
                    toInts(range.crcs()));
        }
        return after;
    }

    private static int[] toInts(List<Integer> crcs) {
        int[] out = new int[crcs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = crcs.get(i);
        }
        return out;
    }
}
