package io.cairn.meta;

import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.proto.VolumeState;
import org.junit.jupiter.api.Test;

/** The fixture's reset must be as good as a new store, or every FixtureTest proves less than it claims. */
class NamespaceFixtureTest {

    @Test
    void resetRestoresTheStoreByteForByte() {
        try (NamespaceFixture fresh = NamespaceFixture.openTemp();
             NamespaceFixture used = NamespaceFixture.openTemp()) {
            String initial = fresh.digest();
            assertThat(used.digest()).isEqualTo(initial);

            long d = used.mkdir(used.root(), "d", 0755);
            used.writeChunks(used.create(d, "f", 0644), 3, 10);
            ok(used.asRoot().unlink(d, "f"));
            ok(used.setVolumeState("vol", VolumeState.VOLUME_STOPPED));
            used.advance(1_000_000);
            assertThat(used.digest()).isNotEqualTo(initial);

            used.reset();
            assertThat(used.digest()).isEqualTo(initial);
            assertThat(used.appliedIndex()).isEqualTo(fresh.appliedIndex());
            assertThat(used.nextNs()).isEqualTo(fresh.nextNs());

            // and both go on identically
            long a = fresh.mkdir(fresh.root(), "x", 0700);
            long b = used.mkdir(used.root(), "x", 0700);
            assertThat(b).isEqualTo(a);
            assertThat(used.digest()).isEqualTo(fresh.digest());
        }
    }

    @Test
    void everyEntryTicksTheClock() {
        try (NamespaceFixture fx = NamespaceFixture.openTemp()) {
            long t0 = fx.nextNs();
            long d = fx.mkdir(fx.root(), "d", 0755);
            assertThat(fx.lastNs()).isEqualTo(t0);
            assertThat(fx.attr(d).getCtimeNs()).isEqualTo(t0);
            assertThat(fx.nextNs()).isEqualTo(t0 + NamespaceFixture.TICK_NS);
        }
    }
}
