package io.cairn.client.fs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkList;
import io.cairn.proto.InlineExtent;
import java.util.List;
import org.junit.jupiter.api.Test;

class InlineStateTest {
    private static InlineExtent extent(long offset, String data) {
        return InlineExtent.newBuilder().setOffset(offset).setData(ByteString.copyFromUtf8(data)).build();
    }

    private static byte[] read(InlineState s, long offset, int n) {
        byte[] dst = new byte[n];
        java.util.Arrays.fill(dst, (byte) 'x');
        s.read(offset, dst, n);
        return dst;
    }

    @Test
    void anUnknownFileAsksMetaAndMayTryInline() {
        InlineState s = new InlineState();
        assertThat(s.unknown()).isTrue();
        assertThat(s.inline()).isFalse();
        assertThat(s.mayCommitInline()).isTrue();
        assertThat(s.needsSpillCheck()).isTrue();
    }

    @Test
    void inlineBytesReadWithZerosPastThem() {
        InlineState s = new InlineState();
        s.saw(ChunkList.newBuilder().setInline(true).setInlineData(ByteString.copyFromUtf8("abc")).build());
        assertThat(s.inline()).isTrue();
        assertThat(read(s, 1, 4)).containsExactly('b', 'c', 0, 0);
        assertThat(read(s, 10, 2)).containsExactly(0, 0);
        s.committed(List.of(extent(5, "z")));
        assertThat(read(s, 0, 6)).containsExactly('a', 'b', 'c', 0, 0, 'z');
        s.truncated(2);
        assertThat(read(s, 0, 3)).containsExactly('a', 'b', 0);
    }

    @Test
    void chunksSeenMeanNoInlineAndNoSpillCheck() {
        InlineState s = new InlineState();
        s.saw(ChunkList.newBuilder().addChunks(ChunkInfo.newBuilder().setIndex(0)).build());
        assertThat(s.inline()).isFalse();
        assertThat(s.mayCommitInline()).isFalse();
        assertThat(s.needsSpillCheck()).isFalse();
        s.truncated(0);
        assertThat(s.mayCommitInline()).as("a file cut to 0 has no chunk").isTrue();
    }

    @Test
    void aRefusedCommitStillChecksForASpill() {
        InlineState s = new InlineState();
        s.created();
        s.refused();
        assertThat(s.mayCommitInline()).isFalse();
        assertThat(s.needsSpillCheck()).isTrue();
        s.inChunks(true);
        assertThat(s.spilling()).isTrue();
        assertThat(s.needsSpillCheck()).isFalse();
        s.spillEnded();
        assertThat(s.spilling()).isFalse();
    }

    @Test
    void aFailedSpillIsNeverEndedAndIsCheckedAgain() {
        InlineState s = new InlineState();
        s.inChunks(true);
        s.spillFailed();
        assertThat(s.spilling()).isFalse();
        assertThat(s.needsSpillCheck()).isTrue();
        assertThat(s.mayCommitInline()).isFalse();
    }
}
