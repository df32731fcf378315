package io.cairn.storage.replication;

import static io.cairn.storage.replication.LocalCluster.CHUNK_ID;
import static io.cairn.storage.replication.LocalCluster.random;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.proto.ChunkTarget;
import io.cairn.proto.RepairRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repair as the primary does it: copy to a new brick, next epoch, every member moved. */
class RepairCopierTest {
    @TempDir
    Path dir;

    @Test
    void aRepairCopyToANewBrickYieldsAnIdenticalReplicaAtTheNewEpoch() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 4, 3, 2)) {
            ChunkTarget t = c.meta.target();
            int piece = 1 << 20;
            long length = 2 * piece + piece / 2;  // the copy goes in three pieces, the last short
            for (long offset = 0; offset < length; offset += piece) {
                c.writeThroughPrimary(t, offset, random((int) Math.min(piece, length - offset), offset));
            }
            // Brick 4 holds an old replica of the chunk (it was dropped long ago): the copy replaces it.
            byte[] stale = random(3 * piece, 99);
            c.node(4).store.create(CHUNK_ID, 1, LocalCluster.CHUNK_SIZE);
            c.node(4).store.write(CHUNK_ID, 1, 0, ByteBuffer.wrap(stale), io.cairn.common.Crc32c.blocks(ByteBuffer.wrap(stale)));

            Replica four = c.replicas.get(4L);
            StorageReply reply = c.node(1).repairs.repair(RepairRequest.newBuilder().setTarget(t).setBrickId(1)
                    .addAdd(four).addDrop(3).setLength(length).build());

            assertThat(reply.getCode()).as(reply.getMessage()).isEqualTo(io.cairn.proto.ErrorCode.OK);
            assertThat(reply.getLength()).isEqualTo(length);
            assertThat(reply.getNewEpoch()).isEqualTo(2);
            assertThat(reply.getNewPlacementList()).extracting(Replica::getBrickId).containsExactly(1L, 2L, 4L);
            assertThat(c.meta.placement()).containsExactly(1L, 2L, 4L);
            PrimaryWriterTest.assertIdentical(c, 2, 1, 2, 4);
            assertThat(c.node(4).info().length()).isEqualTo(length);
            assertThat(c.node(3).info().epoch()).as("dropped: left at its epoch").isEqualTo(1);

            // The new member takes the chunk's writes like any other.
            ChunkTarget now = c.meta.target();
            StorageReply write = c.writeThroughPrimary(now, length - 10, random(1000, 7));
            assertThat(write.getFailedBricksList()).isEmpty();
            PrimaryWriterTest.assertIdentical(c, 2, 1, 2, 4);
        }
    }
}
