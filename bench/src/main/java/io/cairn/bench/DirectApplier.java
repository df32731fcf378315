package io.cairn.bench;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.meta.MetaApplier;
import io.cairn.meta.store.MetaStore;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.state.LogEntry;
import io.cairn.proto.state.LogReply;
import io.cairn.proto.state.LoggedMutation;
import java.time.Instant;
import java.util.List;

/**
 * A {@link MetaStore} fed through {@link MetaApplier} as the state machine feeds it, without
 * Raft: each call is one log entry at the next index, each mutation with a client id and call
 * id (so its dedup record is written too) and the entry's time from the wall clock, as the
 * leader's. Single-threaded, like the apply thread.
 */
final class DirectApplier {
    static final ByteString CLIENT_ID = ByteString.copyFrom(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

    private final MetaApplier applier;
    private long index;
    private long callId;

    DirectApplier(MetaStore store) {
        this.applier = new MetaApplier(store, "bench");
    }

    /** Applies one log entry holding these mutations; every one must succeed ({@link BenchVolume#ok}). */
    LogReply apply(List<MetaMutation> mutations) throws CairnException {
        LogEntry.Builder entry = LogEntry.newBuilder().setTimeNs(nowNs());
        for (MetaMutation m : mutations) {
            entry.addMutations(LoggedMutation.newBuilder()
                    .setClientId(CLIENT_ID).setCallId(++callId).setCred(BenchVolume.ROOT).setMutation(m));
        }
        LogReply reply = applier.apply(entry.build(), 1, ++index);
        reply.getRepliesList().forEach(BenchVolume::ok);
        return reply;
    }

    private static long nowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
