package io.cairn.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A mount keeps working through the failures it is meant to ride out: a storage node down, a meta leader change. */
class FuseFaultIT {
    MountFixture fx;

    @BeforeEach
    void mount() throws Exception {
        fx = MountFixture.start(3, 3);
    }

    @AfterEach
    void unmount() {
        if (fx != null) {
            fx.close();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void filesStayReadableAndWritableWithOneStorageNodeDown() throws Exception {
        byte[] before = random(6 << 20, 1);
        Files.write(fx.root().resolve("before"), before);
        fx.cluster().stopNode(0);
        assertThat(Files.readAllBytes(fx.root().resolve("before"))).isEqualTo(before);
        byte[] during = random(5 << 20, 2);
        Files.write(fx.root().resolve("during"), during);  // min-size 2 of size 3: writes go on
        assertThat(Files.readAllBytes(fx.root().resolve("during"))).isEqualTo(during);
        fx.cluster().startNode(0);
        Path other = fx.mountAnother();
        assertThat(Files.readAllBytes(other.resolve("during"))).isEqualTo(during);
    }

    @Test
    void theNamespaceFollowsANewMetaLeader() throws Exception {
        Files.writeString(fx.root().resolve("a"), "one");
        int leader = fx.cluster().waitForLeader(Duration.ofSeconds(30));
        fx.cluster().stopMeta(leader);
        Files.createDirectory(fx.root().resolve("after-failover"));
        Files.writeString(fx.root().resolve("after-failover/b"), "two");
        assertThat(Files.readString(fx.root().resolve("a"))).isEqualTo("one");
        assertThat(Files.readString(fx.root().resolve("after-failover/b"))).isEqualTo("two");
        fx.cluster().startMeta(leader);
    }
}
