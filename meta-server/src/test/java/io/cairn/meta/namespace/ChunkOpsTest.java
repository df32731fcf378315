package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.ALICE;
import static io.cairn.meta.NamespaceFixture.CHUNK_SIZE;
import static io.cairn.meta.NamespaceFixture.assertCode;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.FixtureTest;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.Replica;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Chunk records: allocation with a placement, write commits, and chunk queries. */
class ChunkOpsTest extends FixtureTest {

    private static ChunkLength len(long index, long length) {
        return ChunkLength.newBuilder().setIndex(index).setLength(length).build();
    }

    @Test
    void allocateCreatesAChunkWithThePlacementAndItsAddresses() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        List<Long> b = fx.bricks();
        ChunkInfo c = ok(fx.asRoot().allocate(f, 0, b.get(2), b.get(0))).getChunk();
        assertThat(c.getIndex()).isZero();
        assertThat(c.getEpoch()).isEqualTo(1);
        assertThat(c.getLength()).isZero();
        assertThat(c.getPlacementList()).extracting(Replica::getBrickId).containsExactly(b.get(2), b.get(0));
        assertThat(c.getPlacementList()).extracting(Replica::getNodeId).containsExactly(3L, 1L);
        assertThat(c.getPlacementList()).extracting(Replica::getAddress).containsExactly("10.0.0.3:7100", "10.0.0.1:7100");
        assertThat(fx.chunks(f)).containsExactly(c);
    }

    @Test
    void allocatingAgainReturnsTheFirstRecord() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        List<Long> b = fx.bricks();
        ChunkInfo first = ok(fx.asRoot().allocate(f, 3, b.get(0))).getChunk();
        String before = fx.stateDigest();
        ChunkInfo second = ok(fx.asRoot().allocate(f, 3, b.get(1), b.get(2))).getChunk();
        assertThat(second).isEqualTo(first);
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @Test
    void chunkIdsAreUniqueAndIncreasing() {
        long sb = fx.sandbox();
        long f = fx.create(sb, "f", 0644);
        long g = fx.create(sb, "g", 0644);
        long b = fx.bricks().get(0);
        long c1 = ok(fx.asRoot().allocate(f, 0, b)).getChunk().getChunkId();
        long c2 = ok(fx.asRoot().allocate(f, 1, b)).getChunk().getChunkId();
        long c3 = ok(fx.asRoot().allocate(g, 0, b)).getChunk().getChunkId();
        assertThat(c2).isGreaterThan(c1);
        assertThat(c3).isGreaterThan(c2);
    }

    @Test
    void allocateWithoutAPlacementIsRefused() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        String before = fx.stateDigest();
        assertCode(fx.asRoot().allocate(f, 0), ErrorCode.NO_PLACEMENT);
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @Test
    void allocateMayNotUseAnotherVolumesBricks() {
        long otherBrick = fx.createVolume("other", "/data/other").getBricks(0).getBrickId();
        long f = fx.create(fx.sandbox(), "f", 0644);
        assertCode(fx.asRoot().allocate(f, 0, otherBrick), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void commitWriteGrowsSizeAndLengthsButNeverShrinksThem() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        long b = fx.bricks().get(0);
        ok(fx.asRoot().allocate(f, 0, b));
        ok(fx.asRoot().allocate(f, 1, b));
        InodeAttr a = ok(fx.asRoot().commitWrite(f, CHUNK_SIZE + 10, 0, len(0, CHUNK_SIZE), len(1, 10))).getAttr();
        assertThat(a.getSize()).isEqualTo(CHUNK_SIZE + 10);
        // an older, smaller commit arriving late changes neither
        a = ok(fx.asRoot().commitWrite(f, 5, 0, len(0, 5), len(1, 3))).getAttr();
        assertThat(a.getSize()).isEqualTo(CHUNK_SIZE + 10);
        assertThat(fx.chunks(f)).extracting(ChunkInfo::getLength).containsExactly(CHUNK_SIZE, 10L);
        ok(fx.asRoot().commitWrite(f, CHUNK_SIZE + 20, 0, len(1, 20)));
        assertThat(fx.chunks(f)).extracting(ChunkInfo::getLength).containsExactly(CHUNK_SIZE, 20L);
        assertThat(fx.attr(f).getSize()).isEqualTo(CHUNK_SIZE + 20);
    }

    io.cairn.proto.MetaMutation trim(long f, long index, ChunkInfo c, long expectedLength, long length) {
        return io.cairn.proto.MetaMutation.newBuilder().setTrimChunk(io.cairn.proto.TrimChunkRequest.newBuilder()
                .setVolumeId(fx.vol()).setInode(f).setIndex(index).setChunkId(c.getChunkId()).setExpectedEpoch(c.getEpoch())
                .setExpectedLength(expectedLength).setLength(length)).build();
    }

    @Test
    void trimCutsAChunkAndTheFileToWhatSurvivedACrashOnlyIfNothingChangedSince() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        long b = fx.bricks().get(0);
        ChunkInfo c0 = ok(fx.asRoot().allocate(f, 0, b)).getChunk();
        ChunkInfo c1 = ok(fx.asRoot().allocate(f, 1, b)).getChunk();
        ok(fx.asRoot().commitWrite(f, CHUNK_SIZE + 300, 0, len(0, CHUNK_SIZE), len(1, 300)));
        String before = fx.stateDigest();
        assertCode(fx.as(ALICE).mutate(trim(f, 1, c1, 300, 100)), ErrorCode.NOT_PERMITTED);
        assertCode(fx.asRoot().mutate(trim(f, 1, c1, 299, 100)), ErrorCode.STALE_EPOCH);
        assertCode(fx.asRoot().mutate(trim(f, 1, c1, 300, 300)), ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.stateDigest()).isEqualTo(before);

        // The last chunk kept 100 bytes: the file ends there.
        assertThat(ok(fx.asRoot().mutate(trim(f, 1, c1, 300, 100))).getAttr().getSize()).isEqualTo(CHUNK_SIZE + 100);
        assertThat(fx.chunks(f)).extracting(ChunkInfo::getLength).containsExactly(CHUNK_SIZE, 100L);
        // The first chunk kept 64 KiB: the file ends there and the chunk after it is freed.
        ok(fx.asRoot().mutate(trim(f, 0, c0, CHUNK_SIZE, 65536)));
        assertThat(fx.attr(f).getSize()).isEqualTo(65536);
        assertThat(fx.chunks(f)).extracting(ChunkInfo::getIndex).containsExactly(0L);
    }

    @ParameterizedTest(name = "commit with mtime {0}")
    @CsvSource({"0", "12345"})
    void commitWriteSetsMtimeAndCtime(long mtime) {
        long f = fx.create(fx.sandbox(), "f", 0644);
        ok(fx.asRoot().allocate(f, 0, fx.bricks().get(0)));
        fx.advance(1_000_000);
        InodeAttr a = ok(fx.asRoot().commitWrite(f, 10, mtime, len(0, 10))).getAttr();
        assertThat(a.getMtimeNs()).isEqualTo(mtime == 0 ? fx.lastNs() : mtime);
        assertThat(a.getCtimeNs()).isEqualTo(fx.lastNs());
        assertThat(a).isEqualTo(fx.attr(f));
    }

    @ParameterizedTest(name = "{0} writes a 0{1} file -> 0{2}")
    @CsvSource({"alice, 6777, 777", "alice, 2767, 2767", "alice, 4700, 700", "root, 6777, 6777"})
    void writesByNonRootDropPrivileges(String caller, String mode, String expected) {
        long f = fx.create(fx.sandbox(), "f", Integer.parseInt(mode, 8), 1000, 1000);
        ok(fx.asRoot().allocate(f, 0, fx.bricks().get(0)));
        var c = caller.equals("root") ? fx.asRoot() : fx.as(ALICE);
        InodeAttr a = ok(c.commitWrite(f, 10, 0, len(0, 10))).getAttr();
        assertThat(Integer.toOctalString(a.getMode() & 07777)).isEqualTo(expected);
    }

    @Test
    void aCommitThatFailsOnOneChunkChangesNoChunk() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        ok(fx.asRoot().allocate(f, 0, fx.bricks().get(0)));
        String before = fx.stateDigest();
        assertCode(fx.asRoot().commitWrite(f, 2 * CHUNK_SIZE, 0, len(0, CHUNK_SIZE), len(1, 10)), ErrorCode.NOT_FOUND);
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @ParameterizedTest(name = "size {0} with {1} is refused ({2})")
    @CsvSource(delimiter = '|', textBlock = """
            754974720000 | no chunk               | INVALID_ARGUMENT
            754974720000 | chunk 0 at 10          | INVALID_ARGUMENT
            11           | chunk 0 at 10          | INVALID_ARGUMENT
            2097162      | chunk 0 at 10          | INVALID_ARGUMENT
            10           | chunk 0 at 2^64-1      | INVALID_ARGUMENT
            10           | chunk 2^63 at 10       | FILE_TOO_BIG
            18446744073709551615 | chunk 0 at 10  | FILE_TOO_BIG
            """)
    void aCommitWhoseSizeOrLengthsNoChunkCanHoldIsRefusedAndChangesNothing(String size, String chunk, String code) {
        long f = fx.create(fx.sandbox(), "f", 0644);
        ok(fx.asRoot().allocate(f, 0, fx.bricks().get(0)));
        ok(fx.asRoot().commitWrite(f, 5, 0, len(0, 5)));
        String before = fx.stateDigest();
        ChunkLength[] chunks = switch (chunk) {
            case "no chunk" -> new ChunkLength[0];
            case "chunk 0 at 10" -> new ChunkLength[] {len(0, 10)};
            case "chunk 0 at 2^64-1" -> new ChunkLength[] {len(0, -1)};
            default -> new ChunkLength[] {len(Long.MIN_VALUE, 10)};
        };
        assertCode(fx.asRoot().commitWrite(f, Long.parseUnsignedLong(size), 0, chunks), ErrorCode.valueOf(code));
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @Test
    void aSparseCommitMayReachAsFarAsItsLastChunk() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        ok(fx.asRoot().allocate(f, 5, fx.bricks().get(0)));
        assertThat(ok(fx.asRoot().commitWrite(f, 5 * CHUNK_SIZE + 10, 0, len(5, 10))).getAttr().getSize())
                .isEqualTo(5 * CHUNK_SIZE + 10);
        // a later commit of fewer bytes needs no chunk past what the file already has
        assertThat(ok(fx.asRoot().commitWrite(f, 7, 0)).getAttr().getSize()).isEqualTo(5 * CHUNK_SIZE + 10);
    }

    @ParameterizedTest(name = "chunks from {0}, count {1} -> indexes {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0 | 100 | 0 2 3 7
            0 | 1   | 0
            0 | 3   | 0 2
            1 | 2   | 2
            3 | 5   | 3 7
            4 | 3   | ''
            8 | 100 | ''
            """)
    void getChunksReturnsExistingChunksOfTheRangeOnly(long first, int count, String indexes) throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0644);
        for (long i : new long[] {0, 2, 3, 7}) {
            ok(fx.asRoot().allocate(f, i, fx.bricks().get((int) i % 3)));
        }
        List<Long> expected = indexes.isBlank() ? List.of()
                : Arrays.stream(indexes.trim().split(" ")).map(Long::parseLong).toList();
        assertThat(fx.asRoot().getChunks(f, first, count)).extracting(ChunkInfo::getIndex).containsExactlyElementsOf(expected);
    }
}
