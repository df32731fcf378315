package io.cairn.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.Crc32c;
import io.cairn.common.ErrorCode;
import io.cairn.common.SparseFiles;
import io.cairn.common.brick.BrickLayout;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FileChunkStoreTest {
    static final int B = Crc32c.BLOCK_SIZE;
    static final long CHUNK = 16L * B;  // 1 MiB chunks keep the tests small
    static final long ID = 0xabcdef12L;

    @TempDir
    Path brick;
    FileChunkStore store;

    @BeforeEach
    void open() throws Exception {
        store = FileChunkStore.open(brick, false);
    }

    static ByteBuffer bytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    static byte[] array(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    ReplicaInfo write(long offset, ByteBuffer data) throws CairnException {
        return store.write(ID, 1, offset, data, Crc32c.blocks(data));
    }

    @Test
    void randomWritesTruncatesAndReadsMatchAModel() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Random r = new Random(seed);
        store.create(ID, 1, CHUNK);
        byte[] model = new byte[(int) CHUNK];
        int length = 0;
        for (int step = 0; step < 400; step++) {
            String context = "seed " + seed + " step " + step;
            int op = r.nextInt(10);
            if (op < 6) {
                int off = r.nextBoolean() ? r.nextInt(16) * B : r.nextInt((int) CHUNK);
                int len = Math.min((int) CHUNK - off, r.nextBoolean() ? r.nextInt(3 * B) : r.nextInt(300));
                ByteBuffer data = bytes(len, r.nextLong());
                assertThat(write(off, data).length()).as(context).isEqualTo(Math.max(length, len == 0 ? length : off + len));
                if (len > 0) {
                    if (off > length) {
                        Arrays.fill(model, length, off, (byte) 0);
                    }
                    System.arraycopy(array(data), 0, model, off, len);
                    length = Math.max(length, off + len);
                }
            } else if (op < 7 && length > 0) {
                int to = r.nextInt(length + 1);
                store.truncate(ID, 1, to);
                Arrays.fill(model, to, length, (byte) 0);
                length = to;
            } else if (op < 8) {
                int off = r.nextBoolean() ? r.nextInt(16) * B : r.nextInt((int) CHUNK);
                int len = Math.min((int) CHUNK - off, r.nextBoolean() ? r.nextInt(4 * B) : r.nextInt(300));
                assertThat(store.zero(ID, 1, off, len).length()).as(context).isEqualTo(length);
                Arrays.fill(model, Math.min(off, length), Math.min(off + len, length), (byte) 0);
                for (SparseFiles.Range hole : holes(store.dataRanges(ID, 1), length)) {
                    assertThat(Arrays.copyOfRange(model, (int) hole.start(), (int) hole.end())).as(context + " hole " + hole)
                            .containsOnly((byte) 0);
                }
            } else {
                int off = r.nextInt((int) CHUNK);
                int len = r.nextInt(2 * B);
                ByteBuffer got = store.read(ID, 1, off, len);
                int expected = Math.max(0, Math.min(off + len, length) - off);
                assertThat(got.remaining()).as(context).isEqualTo(expected);
                assertThat(array(got)).as(context).isEqualTo(Arrays.copyOfRange(model, off, off + expected));
            }
        }
        assertThat(store.verify(ID)).isTrue();
        // A restarted node reads the same bytes.
        FileChunkStore reopened = FileChunkStore.open(brick, false);
        assertThat(array(reopened.read(ID, 1, 0, (int) CHUNK))).isEqualTo(Arrays.copyOf(model, length));
    }

    /** The ranges of [0, length) outside the data ranges. */
    static java.util.List<SparseFiles.Range> holes(java.util.List<SparseFiles.Range> data, long length) {
        java.util.List<SparseFiles.Range> out = new java.util.ArrayList<>();
        long at = 0;
        for (SparseFiles.Range d : data) {
            if (d.start() > at) {
                out.add(new SparseFiles.Range(at, d.start()));
            }
            at = Math.max(at, d.end());
        }
        if (at < length) {
            out.add(new SparseFiles.Range(at, length));
        }
        return out;
    }

    @Test
    void zeroingFreesTheBlocksKeepsTheLengthAndTheChecksums() throws Exception {
        store.create(ID, 1, CHUNK);
        ByteBuffer data = bytes(8 * B, 3);
        write(0, data);
        store.zero(ID, 1, B + 100, 4 * B);  // a part of block 1, blocks 2-4, a part of block 5
        byte[] expected = array(data);
        Arrays.fill(expected, B + 100, 5 * B + 100, (byte) 0);
        assertThat(array(store.read(ID, 1, 0, 8 * B))).isEqualTo(expected);
        assertThat(store.info(ID).orElseThrow().length()).isEqualTo(8 * B);
        assertThat(store.verify(ID)).isTrue();
        // The whole blocks inside the range hold no data on the brick any more.
        assertThat(holes(store.dataRanges(ID, 1), 8 * B)).anySatisfy(h -> {
            assertThat(h.start()).isLessThanOrEqualTo(2 * B);
            assertThat(h.end()).isGreaterThanOrEqualTo(5 * B);
        });
        // Past the length nothing changes; a write later reads back whole.
        store.zero(ID, 1, 8 * B, 2 * B);
        assertThat(store.info(ID).orElseThrow().length()).isEqualTo(8 * B);
        write(3 * B, bytes(B, 4));
        System.arraycopy(array(bytes(B, 4)), 0, expected, 3 * B, B);
        assertThat(array(store.read(ID, 1, 0, 8 * B))).isEqualTo(expected);
        assertThat(store.verify(ID)).isTrue();
    }

    @Test
    void aZeroingACrashInterruptedIsDoneAgainNotCutOff() throws Exception {
        store.create(ID, 1, CHUNK);
        ByteBuffer data = bytes(8 * B, 6);
        write(0, data);
        store.sync(ID);
        // The crash came after the range was written down and the hole punched, before the checksums.
        BrickLayout layout = store.layout();
        io.cairn.common.DurableFiles.write(layout.zeroingFile(ID), (2 * B + 10) + " " + (4 * B));
        assertThat(SparseFiles.punchHole(layout.dataFile(ID), 2 * B + 10, 2 * B - 10)).isTrue();
        FileChunkStore restarted = FileChunkStore.open(brick, false);
        assertThat(restarted.trimToIntactPrefix(ID)).as("nothing cut").isEmpty();
        byte[] expected = array(data);
        Arrays.fill(expected, 2 * B + 10, 4 * B, (byte) 0);
        assertThat(array(restarted.read(ID, 1, 0, 8 * B))).isEqualTo(expected);
        assertThat(restarted.verify(ID)).isTrue();
        assertThat(Files.exists(layout.zeroingFile(ID))).isFalse();
    }

    @Test
    void aZeroOutsideTheChunkOrAtAnOldEpochChangesNothing() throws Exception {
        store.create(ID, 2, CHUNK);
        write2(bytes(2 * B, 5));
        assertThatThrownBy(() -> store.zero(ID, 1, 0, B)).isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.STALE_EPOCH));
        assertThatThrownBy(() -> store.zero(ID, 2, CHUNK - 10, 11)).isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(array(store.read(ID, 2, 0, 2 * B))).isEqualTo(array(bytes(2 * B, 5)));
    }

    private void write2(ByteBuffer data) throws CairnException {
        store.write(ID, 2, 0, data, Crc32c.blocks(data));
    }

    static Stream<Arguments> badWrites() {
        return Stream.of(
                Arguments.of("stale epoch", 1L, 0L, 10, false, ErrorCode.STALE_EPOCH),
                Arguments.of("epoch this replica missed", 1L, 5L, 10, false, ErrorCode.STALE_EPOCH),
                Arguments.of("unknown chunk", 2L, 2L, 10, false, ErrorCode.NOT_FOUND),
                Arguments.of("past the chunk end", 1L, 2L, 10, false, ErrorCode.INVALID_ARGUMENT),
                Arguments.of("wrong checksum", 1L, 2L, 0, true, ErrorCode.CHECKSUM_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badWrites")
    void aRefusedWriteWritesNothing(String what, long chunkFactor, long epoch, int offsetBlocks, boolean badCrc,
                                    ErrorCode code) throws Exception {
        store.create(ID, 2, CHUNK);
        store.write(ID, 2, 0, bytes(B + 7, 1), Crc32c.blocks(bytes(B + 7, 1)));
        byte[] before = array(store.read(ID, 2, 0, (int) CHUNK));
        ByteBuffer data = bytes(B, 9);
        int[] crcs = Crc32c.blocks(data);
        if (badCrc) {
            crcs[0] ^= 1;
        }
        long offset = offsetBlocks == 10 && code == ErrorCode.INVALID_ARGUMENT ? CHUNK - 10 : (long) offsetBlocks * B;
        assertThatThrownBy(() -> store.write(ID * chunkFactor, epoch, offset, data, crcs))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
        assertThat(array(store.read(ID, 2, 0, (int) CHUNK))).isEqualTo(before);
        assertThat(store.info(ID).orElseThrow().length()).isEqualTo(B + 7);
    }

    @Test
    void aWriteNeedsOneChecksumPerPiece() throws Exception {
        store.create(ID, 1, CHUNK);
        assertThatThrownBy(() -> store.write(ID, 1, 0, bytes(2 * B, 1), new int[1]))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("needs 2 checksums");
                });
    }

    @Test
    void readsWithAnotherEpochAreRefusedSoStaleReplicasAreNeverServed() throws Exception {
        store.create(ID, 3, CHUNK);
        write3(0, bytes(100, 1));
        assertThatThrownBy(() -> store.read(ID, 2, 0, 10)).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_EPOCH));
        assertThatThrownBy(() -> store.read(ID, 4, 0, 10)).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_EPOCH));
        store.setEpoch(ID, 4);
        assertThat(store.read(ID, 4, 0, 10).remaining()).isEqualTo(10);
        assertThatThrownBy(() -> store.setEpoch(ID, 3)).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_EPOCH));
    }

    private void write3(long offset, ByteBuffer data) throws CairnException {
        store.write(ID, 3, offset, data, Crc32c.blocks(data));
    }

    @Test
    void aFlippedByteIsDetectedByReadAndScrubAndTheReplicaIsNeverServedAgain() throws Exception {
        store.create(ID, 1, CHUNK);
        write(0, bytes(3 * B, 5));
        flipByte(store.layout().dataFile(ID), B + 100);
        assertThat(store.read(ID, 1, 0, 100).remaining()).as("an untouched block still reads").isEqualTo(100);
        assertThatThrownBy(() -> store.read(ID, 1, B, 200)).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(e.getMessage()).contains("offset " + B);
        });
        assertThat(store.info(ID).orElseThrow().suspect()).isTrue();
        assertThatThrownBy(() -> store.read(ID, 1, 0, 100)).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR));
        assertThat(FileChunkStore.open(brick, false).info(ID).orElseThrow().suspect()).as("suspect survives a restart").isTrue();
    }

    @Test
    void theScrubberFindsAFlippedByteNobodyReads() throws Exception {
        store.create(ID, 1, CHUNK);
        write(0, bytes(5 * B + 3, 6));
        assertThat(store.verify(ID)).isTrue();
        flipByte(store.layout().dataFile(ID), 5L * B + 1);
        assertThat(store.verify(ID)).isFalse();
        assertThat(store.info(ID).orElseThrow().suspect()).isTrue();
    }

    @Test
    void aCrashThatLostTheDataTailIsDetected() throws Exception {
        store.create(ID, 1, CHUNK);
        write(0, bytes(2 * B, 7));
        // The header and checksums reached the disk, the last data block did not.
        try (RandomAccessFile f = new RandomAccessFile(store.layout().dataFile(ID).toFile(), "rw")) {
            f.setLength(B + 10);
        }
        assertThat(store.verify(ID)).isFalse();
    }

    /** A header torn by a crash: the store that starts next reads the replica as suspect and never serves it. */
    @Test
    void aTornHeaderMakesTheReplicaSuspect() throws Exception {
        store.create(ID, 1, CHUNK);
        write(0, bytes(100, 8));
        store.close();
        flipByte(store.layout().metaFile(ID), 20);
        store = FileChunkStore.open(brick, false);
        assertThat(store.info(ID).orElseThrow().suspect()).isTrue();
        assertThatThrownBy(() -> store.read(ID, 1, 0, 10)).isInstanceOf(CairnException.class);
    }

    /** Pieces of a stream can land out of order: the later one opens a gap, whose blocks hold zeros and their checksums. */
    @Test
    void aWritePastTheEndLeavesAGapOfZerosWithTheirChecksums() throws Exception {
        store.create(ID, 1, CHUNK);
        write(0, bytes(10, 1));
        write(3 * B, bytes(B, 2));
        assertThat(store.verify(ID)).isTrue();
        byte[] all = array(store.read(ID, 1, 0, 4 * B));
        assertThat(Arrays.copyOfRange(all, 10, 3 * B)).containsOnly((byte) 0);
        assertThat(Arrays.copyOfRange(all, 3 * B, 4 * B)).isEqualTo(array(bytes(B, 2)));
        write(10, bytes(3 * B - 10, 3));  // the earlier piece arrives
        assertThat(store.verify(ID)).isTrue();
        assertThat(store.read(ID, 1, 0, 4 * B).remaining()).isEqualTo(4 * B);
    }

    @Test
    void aGapOpenedAfterTruncateReadsAsZeros() throws Exception {
        store.create(ID, 1, CHUNK);
        write(0, bytes(3 * B, 9));
        store.truncate(ID, 1, 100);
        write(2L * B, bytes(10, 10));
        byte[] all = array(store.read(ID, 1, 0, (int) CHUNK));
        assertThat(all).hasSize(2 * B + 10);
        assertThat(Arrays.copyOfRange(all, 100, 2 * B)).containsOnly(0);
        assertThat(store.verify(ID)).isTrue();
    }

    @Test
    void listReportsEveryReplicaAndDeleteRemovesOne() throws Exception {
        for (long id = 1; id <= 300; id++) {
            store.create(id, id % 3 + 1, CHUNK);
        }
        assertThat(store.list()).hasSize(300).anySatisfy(i -> {
            assertThat(i.chunkId()).isEqualTo(299);
            assertThat(i.epoch()).isEqualTo(3);
        });
        store.delete(5);
        assertThat(store.info(5)).isEmpty();
        assertThat(store.list()).hasSize(299);
        assertThatThrownBy(() -> store.create(6, 1, CHUNK)).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    }

    static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0x40);
        }
        assertThat(Files.size(file)).isPositive();
    }

    @Test
    void aReplicaThatLostItsEndInACrashIsCutToItsIntactPrefixAndMarked() throws Exception {
        store.create(ID, 1, CHUNK);
        ByteBuffer data = bytes(3 * B + 100, 5);
        write(0, data);
        assertThat(store.trimToIntactPrefix(ID)).as("intact: nothing to cut").isEmpty();
        assertThat(store.syncDirty()).isEqualTo(1);
        assertThat(store.syncDirty()).as("nothing written since").isZero();
        // The crash kept the header (new length) but not the last bytes: block 2 is now zeros.
        try (RandomAccessFile f = new RandomAccessFile(brick.resolve("chunks").resolve(String.format("%02x", ID & 0xff))
                .resolve(String.format("%016x.data", ID)).toFile(), "rw")) {
            f.setLength(2 * B + 10);
        }
        ReplicaInfo cut = store.trimToIntactPrefix(ID).orElseThrow();
        assertThat(cut.length()).isEqualTo(2 * B);
        assertThat(cut.trimmed()).isTrue();
        assertThat(cut.suspect()).isFalse();
        assertThat(array(store.read(ID, 1, 0, 4 * B))).isEqualTo(Arrays.copyOf(data.array(), 2 * B));
        assertThat(store.verify(ID)).isTrue();
        // The next write clears the mark.
        assertThat(write(2 * B, bytes(10, 6)).trimmed()).isFalse();
        assertThat(store.info(ID).orElseThrow().trimmed()).isFalse();
    }

    /**
     * A full file system, without mounting one: the replica's data file made a link to
     * /dev/full, where every write fails with ENOSPC. The failure is NO_SPACE naming the brick,
     * the listener hears of it, and the replica is as it was.
     */
    @Test
    void aFullFileSystemIsNoSpaceNamingTheBrickAndLeavesTheReplicaAsItWas() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full here");
        store.create(ID, 1, CHUNK);
        write(0, bytes(B, 1));
        int[] told = {0};
        store.onFull(() -> told[0]++);
        Path data = store.layout().dataFile(ID);
        Path kept = data.resolveSibling("kept");
        store.close();  // the store keeps a replica's files open: the link takes effect at the next open
        Files.move(data, kept);
        Files.createSymbolicLink(data, Path.of("/dev/full"));
        assertThatThrownBy(() -> write(B, bytes(B, 2)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE))
                .hasMessage("brick " + brick + " is full (No space left on device): write to chunk "
                        + Long.toHexString(ID) + " failed; free space on it or add bricks with `cairn volume add-brick`");
        assertThat(told[0]).isEqualTo(1);
        Files.delete(data);
        Files.move(kept, data);
        store.close();
        assertThat(store.info(ID).orElseThrow().length()).isEqualTo(B);
        assertThat(array(store.read(ID, 1, 0, B))).isEqualTo(array(bytes(B, 1)));
    }
}
