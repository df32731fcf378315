package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.fuse.MountTable;
import io.cairn.minicluster.MiniCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cairn mount} as a real process against an in-process pool: detached and foreground
 * mounts that serve files and go away cleanly, and bad input answered with one line, exit 1,
 * nothing mounted.
 */
class MountCommandIT {
    static MiniCluster cluster;
    static String meta;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Cli.markJarCurrent();
        cluster = MiniCluster.builder().metaServers(1).storageNodes(2).start();
        cluster.createVolume("data", 2, 4L << 20);
        cluster.createVolume("idle", 1, 4L << 20);
        Cli.withMeta(cluster.metaAddresses()).run("volume", "stop", "idle", "--yes");
        cluster.waitForLiveNodes(Duration.ofSeconds(30));
        meta = cluster.metaAddresses();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static void assertOneLineError(Cli.Result r, String fragment) {
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).as(r.toString()).contains(fragment);
    }

    @Test
    void aDetachedMountServesFilesUntilFusermountUnmountsIt() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        try {
            Cli.Result r = Cli.launch(120, "mount", "data", mnt.toString(), "--meta", meta, "--log",
                    tmp.resolve("mount.log").toString(), "-o", "attr-ttl=500ms");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains("Mounted volume data on " + mnt);
            assertThat(MountTable.isMounted(mnt)).isTrue();
            Files.writeString(mnt.resolve("hello"), "hello");
            assertThat(Files.readString(mnt.resolve("hello"))).isEqualTo("hello");

            Cli.Result again = Cli.launch(60, "mount", "data", mnt.toString(), "--meta", meta);
            assertOneLineError(again, "something is mounted on " + mnt + " already");
        } finally {
            new ProcessBuilder("fusermount", "-u", mnt.toString()).start().waitFor();
        }
        Awaitility.await("the mount gone").atMost(Duration.ofSeconds(30)).until(() -> !MountTable.isMounted(mnt));
    }

    @Test
    void aForegroundMountUnmountsOnSigterm() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("fg"));
        Process p = Cli.start("mount", "data", mnt.toString(), "--meta", meta, "--foreground");
        try {
            Awaitility.await("mounted").atMost(Duration.ofSeconds(60)).until(() -> MountTable.isMounted(mnt));
            Files.writeString(mnt.resolve("fg.txt"), "kept");
            p.destroy();  // SIGTERM
            assertThat(p.waitFor() == 0 || p.exitValue() == 143).isTrue();
            assertThat(MountTable.isMounted(mnt)).isFalse();
        } finally {
            p.destroyForcibly();
            if (MountTable.isMounted(mnt)) {
                new ProcessBuilder("fusermount", "-u", "-z", mnt.toString()).start().waitFor();
            }
        }
        // What was written is in the volume: mount again and read it.
        Cli.Result r = Cli.launch(120, "mount", "data", mnt.toString(), "--meta", meta, "--log",
                tmp.resolve("again.log").toString());
        try {
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(Files.readString(mnt.resolve("fg.txt"))).isEqualTo("kept");
        } finally {
            new ProcessBuilder("fusermount", "-u", mnt.toString()).start().waitFor();
        }
    }

    @Test
    void badInputGetsOneLineAndLeavesNothingMounted() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("m"));
        assertOneLineError(Cli.launch(60, "mount", "data", tmp.resolve("missing").toString(), "--meta", meta),
                "does not exist; create it with 'mkdir -p");
        Path file = Files.writeString(tmp.resolve("file"), "");
        assertOneLineError(Cli.launch(60, "mount", "data", file.toString(), "--meta", meta), "is not a directory");
        assertOneLineError(Cli.launch(60, "mount", "nosuch", mnt.toString(), "--meta", meta),
                "volume 'nosuch' does not exist");
        assertOneLineError(Cli.launch(60, "mount", "idle", mnt.toString(), "--meta", meta),
                "volume 'idle' is not started; start it with 'cairn volume start idle'");
        assertOneLineError(Cli.launch(60, "mount", "data", mnt.toString(), "--meta", "127.0.0.1:1"),
                "no meta server of 127.0.0.1:1 answered");
        Cli.Result usage = Cli.launch(60, "mount", "data", mnt.toString(), "--meta", meta, "-o", "bogus");
        assertThat(usage.code()).as(usage.toString()).isEqualTo(2);
        assertThat(usage.err()).contains("-o bogus: unknown option");
        assertThat(MountTable.isMounted(mnt)).isFalse();
    }
}
