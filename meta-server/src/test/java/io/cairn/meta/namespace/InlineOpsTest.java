package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.assertCode;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.meta.FixtureTest;
import io.cairn.meta.store.MetaStore;
import io.cairn.meta.store.Records;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.ChunkList;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.SetVolumeOptionRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inline data of small files: commits, truncation, deletion, and the spill to chunks. */
class InlineOpsTest extends FixtureTest {
    private static final ByteString A = ByteString.copyFromUtf8("client-a--------");
    private static final ByteString B = ByteString.copyFromUtf8("client-b--------");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ChunkList list(long f) throws Exception {
        return fx.asRoot().chunkList(f);
    }

    private long inlineFile(String content) {
        return inlineFile(fx.sandbox(), content);
    }

    private long inlineFile(long dir, String content) {
        long f = fx.create(dir, "f", 0644);
        ok(fx.asRoot().commitInline(f, content.length(), 0, bytes(content)));
        return f;
    }

    @Test
    void bytesAndLengthGoInOneCommitWithNoChunk() throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0644);
        InodeAttr a = ok(fx.asRoot().commitInline(f, 5, 0, bytes("hello"))).getAttr();
        assertThat(a.getSize()).isEqualTo(5);
        assertThat(a.getBlocks()).isEqualTo(1);
        ChunkList l = list(f);
        assertThat(l.getInline()).isTrue();
        assertThat(l.getSpilling()).isFalse();
        assertThat(l.getInlineData().toStringUtf8()).isEqualTo("hello");
        assertThat(l.getChunksList()).isEmpty();
        assertThat(fx.record(f).getSize()).as("the inode record holds no data").isEqualTo(5);
    }

    @Test
    void aHoleBelowAWriteReadsAsZerosAndLaterWritesPatch() throws Exception {
        long f = fx.create(fx.sandbox(), "f", 0644);
        ok(fx.asRoot().commitInline(f, 110, 100, bytes("0123456789")));
        ok(fx.asRoot().commitInline(f, 3, 0, bytes("abc")));
        byte[] want = new byte[110];
        System.arraycopy(bytes("abc"), 0, want, 0, 3);
        System.arraycopy(bytes("0123456789"), 0, want, 100, 10);
        assertThat(list(f).getInlineData().toByteArray()).isEqualTo(want);
        assertThat(fx.attr(f).getSize()).isEqualTo(110);
    }

    @Test
    void badInlineCommitsAreRefusedAndChangeNothing() {
        long sb = fx.sandbox();
        long f = fx.create(sb, "f", 0644);
        long d = fx.mkdir(sb, "d", 0755);
        String before = fx.stateDigest();
        assertCode(fx.asRoot().commitInline(f, 65537, 0, new byte[65537]), ErrorCode.LAYOUT_CHANGED);
        assertCode(fx.asRoot().commitInline(f, 5, -1, bytes("x")), ErrorCode.INVALID_ARGUMENT);
        assertCode(fx.asRoot().commitInline(f, 2, 0, bytes("long")), ErrorCode.INVALID_ARGUMENT);
        assertCode(fx.asRoot().commitInline(d, 4, 0, bytes("data")), ErrorCode.IS_A_DIRECTORY);
        assertCode(fx.asRoot().mutate(MetaMutation.newBuilder().setCommitWrite(
                fx.build(c -> c.commitInline(f, 4, 0, bytes("data"))).getCommitWrite().toBuilder()
                        .addChunks(ChunkLength.newBuilder().setIndex(0).setLength(4))).build()), ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @Test
    void aFileWithChunksTakesNoInlineBytes() {
        long f = fx.create(fx.sandbox(), "f", 0644);
        fx.writeChunks(f, 1, 10);
        String before = fx.stateDigest();
        assertCode(fx.asRoot().commitInline(f, 4, 0, bytes("data")), ErrorCode.LAYOUT_CHANGED);
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @Test
    void inlineSizeZeroTurnsItOff() {
        ok(fx.apply(ROOT, MetaMutation.newBuilder().setSetVolumeOption(SetVolumeOptionRequest.newBuilder()
                .setName("vol").setKey("inline-size").setValue("0")).build()));
        long f = fx.create(fx.sandbox(), "f", 0644);
        assertCode(fx.asRoot().commitInline(f, 4, 0, bytes("data")), ErrorCode.LAYOUT_CHANGED);
    }

    @Test
    void truncateCutsTheInlineBytesAndGrowsWithZeros() throws Exception {
        long f = inlineFile("hello world");
        ok(fx.asRoot().truncate(f, 5));
        assertThat(list(f).getInlineData().toStringUtf8()).isEqualTo("hello");
        ok(fx.asRoot().truncate(f, 1 << 30));
        assertThat(fx.attr(f).getSize()).isEqualTo(1 << 30);
        assertThat(list(f).getInlineData().toStringUtf8()).as("the rest reads as zeros").isEqualTo("hello");
        ok(fx.asRoot().truncate(f, 0));
        assertThat(list(f).getInline()).as("an empty file keeps nothing").isFalse();
    }

    @Test
    void unlinkDeletesTheInlineBytesWithTheInode() {
        long sb = fx.sandbox();
        long f = inlineFile(sb, "hello");
        ok(fx.asRoot().unlink(sb, "f"));
        assertThat(Records.inline(fx.store(), f)).isNull();
    }

    @Test
    void hardLinksAndRenameKeepTheBytes() throws Exception {
        long sb = fx.sandbox();
        long f = inlineFile(sb, "hello");
        ok(fx.asRoot().link(f, sb, "g"));
        ok(fx.asRoot().rename(sb, "f", sb, "h"));
        ok(fx.asRoot().unlink(sb, "g"));
        assertThat(list(f).getInlineData().toStringUtf8()).isEqualTo("hello");
    }

    @Test
    void aSpillMovesTheBytesToChunkZeroInOneCommit() throws Exception {
        long f = inlineFile("hello");
        List<Long> b = fx.bricks();
        String before = fx.stateDigest();
        assertCode(fx.asRoot().allocate(f, 0, b.get(0)), ErrorCode.LAYOUT_CHANGED);
        assertThat(fx.stateDigest()).as("an allocation without a spill owner changes nothing").isEqualTo(before);

        ChunkInfo c = ok(fx.asRoot().allocateAs(A, false, f, 0, b.get(0), b.get(1))).getChunk();
        ChunkList during = list(f);
        assertThat(during.getInline()).as("readers keep the inline bytes during the spill").isTrue();
        assertThat(during.getSpilling()).isTrue();
        assertThat(during.getChunksList()).isEmpty();
        assertThat(ok(fx.asRoot().allocateAs(A, false, f, 1, b.get(1))).getChunk().getIndex()).isEqualTo(1);

        String spilling = fx.stateDigest();
        assertCode(fx.asRoot().commitInline(f, 6, 0, bytes("HELLO!")), ErrorCode.SPILL_IN_PROGRESS);
        assertCode(fx.asRoot().allocateAs(B, false, f, 0, b.get(0)), ErrorCode.SPILL_IN_PROGRESS);
        assertCode(fx.asRoot().commitWrite(f, 5, 0, ChunkLength.newBuilder().setIndex(0).setLength(5).build()),
                ErrorCode.SPILL_IN_PROGRESS);
        assertCode(fx.asRoot().endSpill(B, f, 5, ChunkLength.newBuilder().setIndex(0).setLength(5).build()),
                ErrorCode.IO_ERROR);
        assertThat(fx.stateDigest()).isEqualTo(spilling);

        InodeAttr a = ok(fx.asRoot().endSpill(A, f, 2 << 20, ChunkLength.newBuilder().setIndex(0).setLength(1 << 20).build(),
                ChunkLength.newBuilder().setIndex(1).setLength(1 << 20).build())).getAttr();
        assertThat(a.getSize()).isEqualTo(2 << 20);
        ChunkList after = list(f);
        assertThat(after.getInline()).isFalse();
        assertThat(after.getChunksList()).extracting(ChunkInfo::getChunkId).contains(c.getChunkId());
        assertThat(Records.inline(fx.store(), f)).isNull();
        assertCode(fx.asRoot().commitInline(f, 4, 0, bytes("data")), ErrorCode.LAYOUT_CHANGED);
    }

    @Test
    void aStalledSpillIsTakenOverAtTheNextEpoch() throws Exception {
        long f = inlineFile("hello");
        List<Long> b = fx.bricks();
        ChunkInfo first = ok(fx.asRoot().allocateAs(A, false, f, 0, b.get(0), b.get(1))).getChunk();
        ChunkInfo taken = ok(fx.asRoot().allocateAs(B, true, f, 0, b.get(2))).getChunk();
        assertThat(taken.getChunkId()).isEqualTo(first.getChunkId());
        assertThat(taken.getEpoch()).as("the first spiller's writes are fenced").isEqualTo(first.getEpoch() + 1);
        assertThat(taken.getPlacementList()).as("same placement").isEqualTo(first.getPlacementList());
        ChunkLength five = ChunkLength.newBuilder().setIndex(0).setLength(5).build();
        assertCode(fx.asRoot().endSpill(A, f, 5, five), ErrorCode.IO_ERROR);
        ok(fx.asRoot().endSpill(B, f, 5, five));
        assertThat(list(f).getInline()).isFalse();
    }

    @Test
    void aTruncateToZeroDuringASpillKeepsItsRecord() throws Exception {
        long f = inlineFile("hello");
        ok(fx.asRoot().allocateAs(A, false, f, 0, fx.bricks().get(0)));
        ok(fx.asRoot().truncate(f, 0));
        assertThat(list(f).getInlineData().isEmpty()).isTrue();
        ok(fx.asRoot().endSpill(A, f, 0));
        assertThat(list(f).getInline()).isFalse();
    }

    @Test
    void inlineBytesAreInACheckpoint(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        long f = inlineFile("hello");
        Path copy = tmp.resolve("cp");
        fx.store().checkpoint(copy);
        try (MetaStore restored = MetaStore.open(copy)) {
            assertThat(Records.inline(restored, f).getData().toStringUtf8()).isEqualTo("hello");
            assertThat(restored.digest()).isEqualTo(fx.store().digest());
        }
    }
}
