package io.cairn.meta.locks;

import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.ok;
import static io.cairn.meta.locks.LockTableTest.client;
import static io.cairn.meta.locks.LockTableTest.lock;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.FixtureTest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.SetLockRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A silent client's locks are released after a lease, counted from renewal or from taking office. */
class ClientLeasesTest extends FixtureTest {
    private Instant now = Instant.parse("2026-11-24T10:00:00Z");
    private final List<MetaMutation> proposed = new ArrayList<>();
    private boolean leader = true;

    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void aSilentHolderLosesItsLocksAndARenewingOneKeepsThem() {
        long f = fx.create(fx.root(), "f", 0644);
        for (String l : new String[] {"a1:w:0-9", "b1:w:10-19"}) {
            ok(fx.apply(ROOT, MetaMutation.newBuilder().setSetLock(SetLockRequest.newBuilder()
                    .setVolumeId(fx.vol()).setInode(f).setLock(lock(l))).build()));
        }
        ClientLeases leases = new ClientLeases("m1", () -> leader, fx::store, proposed::add, clock,
                Duration.ofSeconds(10));
        now = now.plusSeconds(6);
        leases.renew(client('b'));
        leases.run();
        assertThat(proposed).as("a new leader gives everyone a full lease").isEmpty();

        now = now.plusSeconds(6);
        leases.run();
        assertThat(proposed).hasSize(1);
        assertThat(proposed.get(0).getReleaseLocks().getClientId()).isEqualTo(client('a'));

        now = now.plusSeconds(6);
        leader = false;
        proposed.clear();
        leases.run();
        assertThat(proposed).as("only the leader judges").isEmpty();

        leader = true;
        leases.leaderChanged();
        now = now.plusSeconds(11);
        leases.run();
        assertThat(proposed).extracting(m -> m.getReleaseLocks().getClientId())
                .containsExactlyInAnyOrder(client('a'), client('b'));
    }
}
