package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.assertCode;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.FixtureTest;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.Replica;
import io.cairn.proto.UpdatePlacementRequest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Placement changes: the next epoch with a new replica set, refused when stale or below min-size. */
class UpdatePlacementTest extends FixtureTest {

    private MetaReply update(long inode, ChunkInfo c, long expectedEpoch, List<Long> placement) {
        return fx.apply(io.cairn.meta.namespace.ApplyContext.ROOT, MetaMutation.newBuilder().setUpdatePlacement(
                UpdatePlacementRequest.newBuilder().setVolumeId(fx.vol()).setInode(inode).setIndex(c.getIndex())
                        .setChunkId(c.getChunkId()).setExpectedEpoch(expectedEpoch).addAllPlacement(placement)).build());
    }

    private ChunkInfo allocated(long inode) {
        List<Long> b = fx.bricks();
        return ok(fx.asRoot().allocate(inode, 0, b.get(0), b.get(1), b.get(2))).getChunk();
    }

    @Test
    void droppingAReplicaBumpsTheEpochAndKeepsTheOrder() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        ChunkInfo c = allocated(f);
        List<Long> b = fx.bricks();
        ChunkInfo next = ok(update(f, c, c.getEpoch(), List.of(b.get(0), b.get(2)))).getChunk();
        assertThat(next.getEpoch()).isEqualTo(c.getEpoch() + 1);
        assertThat(next.getPlacementList()).extracting(Replica::getBrickId).containsExactly(b.get(0), b.get(2));
        assertThat(next.getChunkId()).isEqualTo(c.getChunkId());
        // A later change must name the new epoch; the old one is stale now.
        assertCode(update(f, c, c.getEpoch(), List.of(b.get(0), b.get(1))), ErrorCode.STALE_EPOCH);
        ChunkInfo back = ok(update(f, next, next.getEpoch(), List.of(b.get(0), b.get(2), b.get(1)))).getChunk();
        assertThat(back.getEpoch()).isEqualTo(c.getEpoch() + 2);
        assertThat(back.getPlacementCount()).isEqualTo(3);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("below min-size (2)", 1, 0L, false, ErrorCode.QUORUM_NOT_MET),
                Arguments.of("a brick twice", 2, 0L, true, ErrorCode.INVALID_ARGUMENT),
                Arguments.of("a brick of no volume", 2, 9999L, false, ErrorCode.INVALID_ARGUMENT),
                Arguments.of("an epoch from the future", 2, -1L, false, ErrorCode.STALE_EPOCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aRefusedChangeChangesNothing(String what, int keep, long foreignBrick, boolean duplicate, ErrorCode code) {
        long f = fx.create(fx.sandbox(), "f", 0644);
        ChunkInfo c = allocated(f);
        String before = fx.stateDigest();
        List<Long> b = fx.bricks();
        List<Long> placement = new java.util.ArrayList<>(b.subList(0, keep));
        if (duplicate) {
            placement.set(1, placement.get(0));
        }
        if (foreignBrick > 0) {
            placement.set(1, foreignBrick);
        }
        long epoch = foreignBrick < 0 ? c.getEpoch() + 5 : c.getEpoch();
        if (foreignBrick < 0) {
            placement = b.subList(0, 2);
        }
        assertCode(update(f, c, epoch, placement), code);
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @Test
    void aChunkThatIsGoneCannotBeMoved() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        ChunkInfo c = allocated(f);
        ChunkInfo other = c.toBuilder().setChunkId(c.getChunkId() + 100).build();
        assertCode(update(f, other, c.getEpoch(), fx.bricks().subList(0, 2)), ErrorCode.NOT_FOUND);
    }
}
