package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.fuse.MountTable;
import io.cairn.minicluster.MiniCluster;
import io.cairn.proto.Credentials;
import io.cairn.proto.DirEntry;
import io.cairn.proto.InodeAttr;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mount writing back ahead of the meta group, killed with SIGKILL while thousands of changes
 * wait in its queue: what it fsynced is there with its bytes, what it had not sent is simply
 * absent (never half-made), the meta servers agree, and its directory lease goes when its
 * session ends, so another client can go on in the directory.
 */
class WriteBackCrashIT {
    static final Credentials ROOT = Credentials.getDefaultInstance();
    static MiniCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Cli.markJarCurrent();
        cluster = MiniCluster.builder().metaServers(3).storageNodes(3).clientLease(Duration.ofSeconds(4)).start();
        cluster.createVolume("v", 3, 1L << 20);
        cluster.waitForLiveNodes(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aKilledClientLosesOnlyWhatItHadNotSentOrFsynced() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        Process mount = Cli.start("mount", "v", mnt.toString(), "--meta", cluster.metaAddresses(), "--foreground",
                "-o", "writeback=on,writeback-delay=10m,attr-ttl=0,entry-ttl=0");
        List<String> synced = new ArrayList<>();
        Set<String> made = new HashSet<>();
        try {
            Awaitility.await("mounted").atMost(Duration.ofSeconds(60)).until(() -> MountTable.isMounted(mnt));
            Path dir = Files.createDirectory(mnt.resolve("work"));
            Thread.sleep(3_000);  // the session is up: from here on changes in work/ are made ahead
            for (int i = 0; i < 1_500; i++) {
                String name = "f" + i;
                if (i % 500 == 250) {
                    try (FileChannel ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap(("synced " + i + "\n").getBytes(StandardCharsets.UTF_8)));
                        ch.force(true);  // its data, its create and everything queued before it
                    }
                    synced.add(name);
                } else {
                    Files.createFile(dir.resolve(name));
                    if (i % 7 == 0) {
                        Files.move(dir.resolve(name), dir.resolve("m" + i));
                        name = "m" + i;
                    }
                }
                made.add(name);
            }
        } finally {
            mount.destroyForcibly().waitFor();  // SIGKILL, with the last ~250 creates still queued (no batch of 1,024 filled since)
            new ProcessBuilder("fusermount", "-u", "-z", mnt.toString()).start().waitFor();
        }
        cluster.waitForSameState(Duration.ofSeconds(60));

        FsOptions plain = FsOptions.DEFAULTS.with("attr-ttl", "0").with("entry-ttl", "0");
        try (CairnFs other = CairnFs.connect(cluster.metaAddresses(), "v", plain)) {
            long work = other.lookup(ROOT, other.root(), "work").getInode();
            List<DirEntry> entries = other.readdir(ROOT, work);
            Set<String> seen = new HashSet<>();
            for (DirEntry e : entries) {
                assertThat(seen.add(e.getName())).as("no name twice").isTrue();
                assertThat(made).as("nothing the client did not make").contains(e.getName());
                InodeAttr a = other.getattr(ROOT, e.getInode());
                assertThat(a.getNlink()).as("every entry names a whole inode").isEqualTo(1);
            }
            assertThat(seen).as("what was fsynced, and everything sent before it").containsAll(synced);
            assertThat(seen.size()).as("changes queued after the last fsync may be lost, no more")
                    .isGreaterThanOrEqualTo(1_251);
            for (String name : synced) {
                InodeAttr a = other.lookup(ROOT, work, name);
                long h = other.open(ROOT, a.getInode(), 0);
                byte[] back = new byte[64];
                int n = other.read(h, 0, back, back.length);
                other.release(h);
                assertThat(new String(back, 0, n, StandardCharsets.UTF_8)).isEqualTo("synced " + name.substring(1) + "\n");
            }
            // The dead client's lease on work/ goes with its session: another client creates there.
            long t0 = System.nanoTime();
            other.mknod(ROOT, work, "after-crash", 0100644, 0);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
            assertThat(other.lookup(ROOT, work, "after-crash").getNlink()).isEqualTo(1);
        }
        cluster.waitForSameState(Duration.ofSeconds(60));
    }
}
