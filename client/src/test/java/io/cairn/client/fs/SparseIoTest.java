package io.cairn.client.fs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where SEEK_DATA and SEEK_HOLE land within one chunk, from the ranges its replica holds. */
class SparseIoTest {
    private static final long[][] RANGES = {{0, 100}, {200, 300}, {300, 400}, {1000, 1100}};

    @Test
    void seekDataFindsTheNextRangeOrNone() {
        assertThat(SparseIo.firstData(RANGES, 0, 2000)).isEqualTo(0);
        assertThat(SparseIo.firstData(RANGES, 50, 2000)).isEqualTo(50);
        assertThat(SparseIo.firstData(RANGES, 100, 2000)).isEqualTo(200);
        assertThat(SparseIo.firstData(RANGES, 400, 2000)).isEqualTo(1000);
        assertThat(SparseIo.firstData(RANGES, 1100, 2000)).isEqualTo(-1);
        assertThat(SparseIo.firstData(RANGES, 400, 900)).as("data past the file's end in the chunk").isEqualTo(-1);
        assertThat(SparseIo.firstData(new long[0][], 0, 2000)).as("a chunk never written").isEqualTo(-1);
    }

    @Test
    void seekHoleSkipsAdjacentRangesAndFindsTheChunkEndAsNone() {
        assertThat(SparseIo.firstHole(RANGES, 0, 2000)).isEqualTo(100);
        assertThat(SparseIo.firstHole(RANGES, 150, 2000)).isEqualTo(150);
        assertThat(SparseIo.firstHole(RANGES, 250, 2000)).as("200-300 and 300-400 touch").isEqualTo(400);
        assertThat(SparseIo.firstHole(RANGES, 1050, 2000)).isEqualTo(1100);
        assertThat(SparseIo.firstHole(RANGES, 1050, 1100)).as("data to the chunk's end: look further").isEqualTo(-1);
        assertThat(SparseIo.firstHole(new long[0][], 10, 2000)).isEqualTo(10);
    }
}
