package io.cairn.client.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class WriteBufferTest {
    static byte[] fill(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    /** The buffer's bytes laid out from 0 to end, 0 where nothing was written. */
    static byte[] image(List<WriteBuffer.Run> runs, int size) {
        byte[] out = new byte[size];
        for (WriteBuffer.Run r : runs) {
            ByteBuffer d = r.data().duplicate();
            d.get(out, (int) r.offset(), d.remaining());
        }
        return out;
    }

    record Write(long offset, int len, int value) {
    }

    static Stream<Arguments> overlaps() {
        return Stream.of(
                // writes, expected growth of each, expected buffered bytes
                Arguments.of(List.of(new Write(0, 10, 1), new Write(10, 10, 2)), List.of(10L, 10L), 20L),
                Arguments.of(List.of(new Write(0, 10, 1), new Write(0, 10, 2)), List.of(10L, 0L), 10L),
                Arguments.of(List.of(new Write(0, 10, 1), new Write(5, 10, 2)), List.of(10L, 5L), 15L),
                Arguments.of(List.of(new Write(5, 10, 1), new Write(0, 10, 2)), List.of(10L, 5L), 15L),
                Arguments.of(List.of(new Write(0, 30, 1), new Write(10, 5, 2)), List.of(30L, 0L), 30L),
                Arguments.of(List.of(new Write(10, 5, 1), new Write(20, 5, 2), new Write(0, 30, 3)),
                        List.of(5L, 5L, 20L), 30L),
                Arguments.of(List.of(new Write(0, 5, 1), new Write(20, 5, 2)), List.of(5L, 5L), 10L));
    }

    @ParameterizedTest
    @MethodSource("overlaps")
    void newerBytesWinAndTheBufferCountsEachByteOnce(List<Write> writes, List<Long> growth, long total) {
        WriteBuffer b = new WriteBuffer();
        byte[] expected = new byte[64];
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            assertThat(b.add(w.offset(), fill(w.len(), w.value()), 0, w.len())).as("growth of write %d", i)
                    .isEqualTo(growth.get(i));
            java.util.Arrays.fill(expected, (int) w.offset(), (int) w.offset() + w.len(), (byte) w.value());
        }
        assertThat(b.bytes()).isEqualTo(total);
        assertThat(image(b.drain(1 << 20), 64)).isEqualTo(expected);
        assertThat(b.isEmpty()).isTrue();
        assertThat(b.bytes()).isZero();
    }

    @Test
    void drainJoinsContiguousWritesAndSplitsOnChunkBoundariesAndGaps() {
        WriteBuffer b = new WriteBuffer();
        b.add(0, fill(6, 1), 0, 6);
        b.add(6, fill(6, 2), 0, 6);    // contiguous: one run until the chunk boundary at 10
        b.add(20, fill(3, 3), 0, 3);   // a gap: a run of its own
        List<WriteBuffer.Run> runs = b.drain(10);
        assertThat(runs).extracting(WriteBuffer.Run::index, WriteBuffer.Run::offset, r -> r.data().remaining())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, 0L, 10),
                        org.assertj.core.groups.Tuple.tuple(1L, 10L, 2),
                        org.assertj.core.groups.Tuple.tuple(2L, 20L, 3));
    }

    @Test
    void truncateDropsBytesPastTheNewEnd() {
        WriteBuffer b = new WriteBuffer();
        b.add(0, fill(10, 1), 0, 10);
        b.add(20, fill(10, 2), 0, 10);
        assertThat(b.truncate(5)).isEqualTo(15);
        assertThat(b.bytes()).isEqualTo(5);
        assertThat(b.end()).isEqualTo(5);
    }

    @Test
    void addUnderFillsOnlyWhereNothingIsBuffered() {
        WriteBuffer b = new WriteBuffer();
        b.add(2, fill(2, 9), 0, 2);
        b.add(10, fill(2, 8), 0, 2);
        long grew = b.addUnder(0, fill(8, 1));  // old inline bytes [0, 8) under newer writes
        assertThat(grew).isEqualTo(6);
        assertThat(b.bytes()).isEqualTo(10);
        assertThat(image(b.drain(1 << 20), 12)).containsExactly(1, 1, 9, 9, 1, 1, 1, 1, 0, 0, 8, 8);
    }
}
