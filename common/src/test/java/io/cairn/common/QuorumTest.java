package io.cairn.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.Quorum.WriteOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every size 1-5, every min-size 1-size, every number of failed replicas. */
class QuorumTest {

    static Stream<Arguments> everyCase() {
        List<Arguments> out = new ArrayList<>();
        for (int size = 1; size <= 5; size++) {
            for (int min = 1; min <= size; min++) {
                for (int failed = 0; failed <= size; failed++) {
                    out.add(Arguments.of(size, min, failed));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "size {0} min-size {1}, {2} failed")
    @MethodSource("everyCase")
    void aWriteIsAcknowledgedOnlyWhenMinSizeReplicasHoldIt(int size, int min, int failed) {
        WriteOutcome o = Quorum.afterWrite(size, failed, min);
        int holders = size - failed;
        if (failed == 0) {
            assertThat(o).isEqualTo(WriteOutcome.ACKNOWLEDGED);
        } else if (holders >= min) {
            assertThat(o).isEqualTo(WriteOutcome.ACKNOWLEDGED_DEGRADED);
        } else {
            assertThat(o).isEqualTo(WriteOutcome.NO_IO);
        }
        if (o != WriteOutcome.NO_IO) {
            // What was acknowledged survives the loss of any min-size - 1 of its holders.
            assertThat(holders).isGreaterThanOrEqualTo(min);
            assertThat(Quorum.survives(min, min - 1)).isTrue();
            assertThat(Quorum.survives(min, holders)).isFalse();
        }
        assertThat(Quorum.mayKeep(holders, min)).isEqualTo(o != WriteOutcome.NO_IO);
    }

    @ParameterizedTest(name = "size {0} min-size {1}, {2} nodes unreachable")
    @MethodSource("everyCase")
    void aNewChunkIsPlacedOnAsManyAsReachableUpToSizeAndNeverBelowMinSize(int size, int min, int unreachable) {
        int reachable = size - unreachable;
        int n = Quorum.placementCount(size, min, reachable);
        if (reachable >= min && reachable > 0) {
            assertThat(n).isEqualTo(Math.min(size, reachable));
        } else {
            assertThat(n).isZero();
        }
        assertThat(Quorum.placementCount(size, min, reachable + 10)).isEqualTo(size);
    }

    @Test
    void minSizeOutsideOneToSizeIsRefused() {
        assertThatThrownBy(() -> Quorum.afterWrite(3, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quorum.afterWrite(3, 0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quorum.afterWrite(3, 4, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quorum.placementCount(2, 3, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
