package io.cairn.meta.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.proto.BrickUsage;
import io.cairn.proto.HeartbeatRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeLivenessTest {

    @ParameterizedTest(name = "{0} ms after the heartbeat: live {1}")
    @CsvSource({"0, true", "1, true", "9999, true", "10000, true", "10001, false", "3600000, false"})
    void aNodeIsLiveForTheDownTimeout(long elapsed, boolean live) {
        VolumeAdminTest.MutableClock clock = new VolumeAdminTest.MutableClock();
        NodeLiveness l = new NodeLiveness(clock, Duration.ofSeconds(10));
        l.heartbeat(1, HeartbeatRequest.getDefaultInstance());
        clock.millis += elapsed;
        assertThat(l.isLive(1)).isEqualTo(live);
    }

    @Test
    void unknownNodesAreNotLive() {
        NodeLiveness l = new NodeLiveness(new VolumeAdminTest.MutableClock(), Duration.ofSeconds(10));
        assertThat(l.isLive(7)).isFalse();
        assertThat(l.lastHeartbeatMs(7)).isZero();
        assertThat(l.usage(7, "/b")).isEmpty();
    }

    @Test
    void usageAndResetAndTheLatestHeartbeatWins() {
        VolumeAdminTest.MutableClock clock = new VolumeAdminTest.MutableClock();
        NodeLiveness l = new NodeLiveness(clock, Duration.ofSeconds(10));
        l.heartbeat(1, HeartbeatRequest.newBuilder()
                .addBricks(BrickUsage.newBuilder().setPath("/a").setCapacityBytes(10).setFreeBytes(5))
                .addBricks(BrickUsage.newBuilder().setPath("/b").setCapacityBytes(20).setFreeBytes(1)).build());
        assertThat(l.usage(1, "/a")).hasValueSatisfying(u -> assertThat(u.getFreeBytes()).isEqualTo(5));
        assertThat(l.usage(1, "/c")).isEmpty();
        clock.millis += 500;
        l.heartbeat(1, HeartbeatRequest.newBuilder()
                .addBricks(BrickUsage.newBuilder().setPath("/a").setCapacityBytes(10).setFreeBytes(2)).build());
        assertThat(l.usage(1, "/a")).hasValueSatisfying(u -> assertThat(u.getFreeBytes()).isEqualTo(2));
        assertThat(l.usage(1, "/b")).as("a brick missing from the latest heartbeat").isEmpty();
        assertThat(l.lastHeartbeatMs(1)).isEqualTo(clock.millis);
        l.reset();
        assertThat(l.isLive(1)).isFalse();
        assertThat(l.lastHeartbeatMs(1)).isZero();
    }
}
