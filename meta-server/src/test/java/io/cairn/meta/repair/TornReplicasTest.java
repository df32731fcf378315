package io.cairn.meta.repair;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.proto.ReplicaDelete;
import io.cairn.proto.state.ChunkRecord;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TornReplicasTest {
    static ChunkRecord chunk(long id, Long... placement) {
        return ChunkRecord.newBuilder().setChunkId(id).setEpoch(3).addAllPlacement(java.util.List.of(placement)).build();
    }

    @Test
    void aTornMemberIsMatchedByItsChunkAndTheRestAreStraysDeletedOnce() {
        TornReplicas t = new TornReplicas();
        assertThat(t.report(10, 1)).isTrue();
        assertThat(t.report(10, 1)).as("again").isFalse();
        t.report(10, 9);   // brick 9 is not in chunk 10's placement
        t.report(20, 2);   // chunk 20 does not exist
        TornReplicas.Scan scan = t.startScan();
        t.report(30, 3);   // reported during the scan: waits for the next one
        assertThat(scan.match(chunk(10, 1L, 2L, 3L))).containsExactly(1L);
        assertThat(scan.match(chunk(11, 1L, 2L, 3L))).isEmpty();
        scan.finish();

        assertThat(t.straysOn(Set.of(9L, 2L))).extracting(ReplicaDelete::getBrickId, ReplicaDelete::getChunkId,
                ReplicaDelete::getMaxEpoch).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(9L, 10L, 0L), org.assertj.core.groups.Tuple.tuple(2L, 20L, 0L));
        assertThat(t.straysOn(Set.of(9L, 2L))).as("handed out once").isEmpty();
        assertThat(t.straysOn(Set.of(3L))).as("chunk 30 not judged yet").isEmpty();

        TornReplicas.Scan next = t.startScan();
        assertThat(next.match(chunk(30, 3L))).containsExactly(3L);
        next.finish();
        assertThat(t.startScan().match(chunk(10, 1L))).as("matched reports are forgotten").isEmpty();
    }
}
