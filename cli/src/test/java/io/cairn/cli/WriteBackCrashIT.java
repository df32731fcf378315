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

    /** Record {@code i} of the appender: 4 KiB that say which record they are. */
    private static byte[] record(int i) {
        byte[] r = new byte[4096];
        java.util.Arrays.fill(r, (byte) ('a' + i % 26));
        byte[] label = String.format("record %06d\n", i).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(label, 0, r, 0, label.length);
        return r;
    }

    private static long appliedIndex() {
        return cluster.meta(cluster.waitForLeader(Duration.ofSeconds(10))).lastAppliedIndex();
    }

    /**
     * 4 KiB appends each followed by fdatasync, as a database's log does: the length stays on the
     * replicas (the meta group is told at most once a second), another client that opens the file
     * still sees every byte (the leader recalls the writer's hold first), and after SIGKILL of the
     * mount the leader commits what the replicas hold: every fdatasynced byte reads back.
     */
    @Test
    void aKilledAppenderKeepsEveryByteItFdatasynced() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        Process mount = Cli.start("mount", "v", mnt.toString(), "--meta", cluster.metaAddresses(), "--foreground",
                "-o", "writeback=on,attr-ttl=0,entry-ttl=0");
        FsOptions plain = FsOptions.DEFAULTS.with("attr-ttl", "0").with("entry-ttl", "0");
        int synced = 0;
        try (CairnFs other = CairnFs.connect(cluster.metaAddresses(), "v", plain)) {
            try {
                Awaitility.await("mounted").atMost(Duration.ofSeconds(60)).until(() -> MountTable.isMounted(mnt));
                Thread.sleep(3_000);  // the session is up: its leases may be used
                FileChannel ch = FileChannel.open(mnt.resolve("appends.log"), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                try {
                    ch.write(ByteBuffer.wrap(record(synced++)));
                    ch.force(false);  // fdatasync: takes the hold on the length
                    long before = appliedIndex();
                    for (int i = 0; i < 199; i++) {
                        ch.write(ByteBuffer.wrap(record(synced++)));
                        ch.force(false);
                    }
                    assertThat(appliedIndex() - before).as("fdatasyncs that told the meta group nothing")
                            .isLessThan(60);
                    InodeAttr found = other.lookup(ROOT, other.root(), "appends.log");
                    assertThat(found.getSize()).as("another client looks it up: the hold is recalled")
                            .isEqualTo(synced * 4096L);
                    for (int i = 0; i < 50; i++) {
                        ch.write(ByteBuffer.wrap(record(synced++)));
                        ch.force(false);  // the first takes the hold again
                    }
                    assertThat(other.getattr(ROOT, found.getInode()).getSize()).as("another client asks again")
                            .isEqualTo(synced * 4096L);
                    for (int i = 0; i < 100; i++) {
                        ch.write(ByteBuffer.wrap(record(synced++)));
                        ch.force(false);
                    }
                    ch.write(ByteBuffer.wrap(record(synced)));  // not fdatasynced: may be lost
                    mount.destroyForcibly().waitFor();  // SIGKILL while the mount holds the length
                } finally {
                    try {
                        ch.close();
                    } catch (java.io.IOException gone) {
                        // the mount is gone: ENOTCONN
                    }
                }
            } finally {
                mount.destroyForcibly().waitFor();
                new ProcessBuilder("fusermount", "-u", "-z", mnt.toString()).start().waitFor();
            }
            long inode = other.lookup(ROOT, other.root(), "appends.log").getInode();
            long size = other.getattr(ROOT, inode).getSize();  // waits for the leader to end the dead session
            assertThat(size).as("every fdatasynced append").isBetween(synced * 4096L, (synced + 1) * 4096L);
            long h = other.open(ROOT, inode, 0);
            try {
                byte[] back = new byte[4096];
                for (int i = 0; i < synced; i++) {
                    assertThat(other.read(h, i * 4096L, back, back.length)).isEqualTo(4096);
                    assertThat(back).as("record " + i).isEqualTo(record(i));
                }
            } finally {
                other.release(h);
            }
        }
        cluster.waitForSameState(Duration.ofSeconds(60));
    }
}
