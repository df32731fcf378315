package io.cairn.storage.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.Replica;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StorageRequestsTest {
    static ChunkTarget target(long chunkSize, long epoch, int replicas) {
        ChunkTarget.Builder t = ChunkTarget.newBuilder().setChunkId(5).setChunkSize(chunkSize).setEpoch(epoch);
        for (int i = 0; i < replicas; i++) {
            t.addPlacement(Replica.newBuilder().setBrickId(i + 1));
        }
        return t.build();
    }

    static String check(CheckedRunnable r) {
        try {
            r.run();
            return "ok";
        } catch (CairnException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).isNotBlank();
            return "refused";
        }
    }

    interface CheckedRunnable {
        void run() throws CairnException;
    }

    @ParameterizedTest(name = "chunk size {0}, epoch {1}, {2} replicas: {3}")
    @CsvSource({
            "1048576, 1, 3, ok",
            "1073741824, 9, 1, ok",
            "0, 1, 3, refused",
            "-1, 1, 3, refused",
            "1000, 1, 3, refused",
            "2147483648, 1, 3, refused",
            "1048576, 0, 3, ok",
            "1048576, -1, 3, ok",
            "1048576, 1, 0, refused"})
    void targets(long chunkSize, long epoch, int replicas, String expected) {
        assertThat(check(() -> StorageRequests.target(target(chunkSize, epoch, replicas)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{1} bytes at {0}: {2}")
    @CsvSource({
            "0, 1048576, ok",
            "1048576, 0, ok",
            "1048000, 576, ok",
            "1048000, 577, refused",
            "-1, 1, refused",
            "0, -1, refused",
            "9223372036854775807, 1, refused",
            "1048577, 0, refused"})
    void ranges(long offset, long length, String expected) {
        assertThat(check(() -> StorageRequests.range(target(1 << 20, 1, 1), offset, length))).isEqualTo(expected);
    }
}
