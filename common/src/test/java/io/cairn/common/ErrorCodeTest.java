package io.cairn.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The errno a user sees for each failure a write can meet. */
class ErrorCodeTest {

    @ParameterizedTest(name = "{0} -> errno {1}")
    @CsvSource({
            "NO_SPACE, 28",          // a full brick: ENOSPC
            "NO_PLACEMENT, 5",       // too few live nodes: EIO after the wait, as for an inactive Ceph PG
            "QUORUM_NOT_MET, 5",     // below min-size: EIO
            "IO_ERROR, 5",
            "TIMEOUT, 110",
            "FILE_TOO_BIG, 27",
    })
    void errnoOfEachWriteFailure(ErrorCode code, int errno) {
        assertThat(code.errno()).isEqualTo(errno);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void onlyAFullBrickOrAFullAttributeSpaceIsEnospc(ErrorCode code) {
        if (code.errno() == Errno.ENOSPC) {
            assertThat(code).isEqualTo(ErrorCode.NO_SPACE);
        }
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeRoundTripsThroughTheProtoEnum(ErrorCode code) {
        assertThat(ErrorCode.fromProto(code.toProto())).isEqualTo(code);
        assertThat(Arrays.asList(io.cairn.proto.ErrorCode.values())).contains(code.toProto());
    }
}
