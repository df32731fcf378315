package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.FixtureTest;
import io.cairn.proto.CreateRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.Replica;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A create that also allocates chunk 0 in the same commit (small files skip an AllocateChunk). */
class CreateWithFirstChunkTest extends FixtureTest {
    private long dir;

    @org.junit.jupiter.api.BeforeEach
    void sandbox() {
        dir = fx.sandbox();
    }

    private MetaReply create(String name, int mode, boolean exclusive, List<Long> placement) {
        return fx.apply(ApplyContext.ROOT, MetaMutation.newBuilder().setCreate(CreateRequest.newBuilder()
                .setVolumeId(fx.vol()).setParent(dir).setName(name).setMode(mode).setExclusive(exclusive)
                .setWithFirstChunk(true).addAllFirstChunkPlacement(placement)).build());
    }

    @Test
    void aNewRegularFileGetsItsFirstChunkWithThePlacementGiven() {
        List<Long> b = fx.bricks().subList(0, 3);
        MetaReply r = ok(create("small", 0100644, true, b));
        assertThat(r.hasCreatedChunk()).isTrue();
        assertThat(r.getCreatedChunk().getIndex()).isZero();
        assertThat(r.getCreatedChunk().getPlacementList()).extracting(Replica::getBrickId).containsExactlyElementsOf(b);
        // Opening it again without O_EXCL returns the same file and the same chunk.
        MetaReply again = ok(create("small", 0100644, false, List.of(b.get(2), b.get(1), b.get(0))));
        assertThat(again.getAttr().getInode()).isEqualTo(r.getAttr().getInode());
        assertThat(again.getCreatedChunk().getChunkId()).isEqualTo(r.getCreatedChunk().getChunkId());
        assertThat(again.getCreatedChunk().getPlacementList()).extracting(Replica::getBrickId).containsExactlyElementsOf(b);
    }

    @Test
    void noChunkForOtherTypesNoPlacementOrAPlacementThatDoesNotFit() {
        List<Long> b = fx.bricks().subList(0, 3);
        assertThat(ok(create("fifo", 0010644, true, b)).hasCreatedChunk()).isFalse();
        assertThat(ok(create("none", 0100644, true, List.of())).hasCreatedChunk()).isFalse();
        MetaReply foreign = ok(create("foreign", 0100644, true, List.of(b.get(0), 99_999L)));
        assertThat(foreign.hasCreatedChunk()).as("a brick of no volume").isFalse();
        assertThat(foreign.getAttr().getInode()).isPositive();
    }
}
