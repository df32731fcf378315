package io.cairn.storage.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.Crc32c;
import io.cairn.storage.chunk.ChunkStore;
import io.cairn.storage.chunk.FileChunkStore;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrubberTest {
    @TempDir
    Path brick;

    @Test
    void aPassFindsAFlippedByteInAReplicaNobodyReadsAndLeavesTheOthersAlone() throws Exception {
        FileChunkStore store = FileChunkStore.open(brick, false);
        for (long id = 1; id <= 5; id++) {
            store.create(id, 1, 1 << 20);
            byte[] b = new byte[300_000];
            new Random(id).nextBytes(b);
            store.write(id, 1, 0, ByteBuffer.wrap(b), Crc32c.blocks(ByteBuffer.wrap(b)));
        }
        try (RandomAccessFile f = new RandomAccessFile(store.layout().dataFile(3).toFile(), "rw")) {
            f.seek(200_000);
            int v = f.read();
            f.seek(200_000);
            f.write(v ^ 0x10);
        }
        Scrubber scrubber = new Scrubber("test", () -> List.<ChunkStore>of(store), 1L << 30);
        scrubber.run();
        assertThat(scrubber.scrubbed()).isEqualTo(5);
        assertThat(scrubber.corrupt()).isEqualTo(1);
        assertThat(store.info(3).orElseThrow().suspect()).isTrue();
        for (long id : new long[] {1, 2, 4, 5}) {
            assertThat(store.info(id).orElseThrow().suspect()).isFalse();
        }
        // A second pass skips the known-suspect replica and finds nothing new.
        scrubber.run();
        assertThat(scrubber.scrubbed()).isEqualTo(9);
        assertThat(scrubber.corrupt()).isEqualTo(1);
    }
}
