package io.cairn.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.minicluster.MiniCluster;
import io.cairn.proto.Credentials;
import io.cairn.proto.DirEntry;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.SetAttrRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Write-back under exclusive directory leases, through the client library on an in-process
 * cluster: one client makes changes ahead of the meta group; another sees, whenever it looks, a
 * state the first could have had at some instant (the leader recalls the lease first).
 */
class WriteBackIT {
    static final Credentials ROOT = Credentials.getDefaultInstance();
    static MiniCluster cluster;
    static FsOptions writeBack;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).storageNodes(3).start();
        cluster.createVolume("v", 3, 1L << 20);
        cluster.waitForLiveNodes(Duration.ofSeconds(30));
        writeBack = FsOptions.DEFAULTS.with("writeback", "on").with("writeback-delay", "5s")
                .with("attr-ttl", "0").with("entry-ttl", "0");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<String> names(CairnFs fs, long dir) throws CairnException {
        return fs.readdir(ROOT, dir).stream().map(DirEntry::getName).toList();
    }

    /**
     * Until the session is up, a client makes no change ahead; wait for its first lease: a file
     * made and removed in the directory leaves the meta group's applied index where it was.
     */
    private static long leasedDir(CairnFs fs, String name) throws Exception {
        long dir = fs.mkdir(ROOT, fs.root(), name, 0777).getInode();
        Awaitility.await("a change in " + name + " made ahead of the meta group").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    long before = appliedIndex();
                    fs.mknod(ROOT, dir, "probe", 0100644, 0);
                    fs.unlink(ROOT, dir, "probe");
                    return appliedIndex() == before;  // made here: the meta group saw nothing
                });
        return dir;
    }

    private static boolean exists(CairnFs fs, long dir, String name) throws CairnException {
        try {
            fs.lookup(ROOT, dir, name);
            return true;
        } catch (CairnException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** A new file {@code name} in {@code dir} holding {@code data}: create, write, close; its inode. */
    private static long writeFile(CairnFs fs, long dir, String name, int mode, byte[] data) throws CairnException {
        long h = fs.create(ROOT, dir, name, mode, 2);
        long inode = fs.inodeOf(h);
        fs.write(h, 0, data, 0, data.length);
        fs.release(h);  // close: the bytes are committed inline, ahead of the meta group
        return inode;
    }

    /** The file's bytes as {@code fs} reads them (at most {@code max}): open, read, release. */
    private static byte[] contents(CairnFs fs, long inode, int max) throws CairnException {
        long h = fs.open(ROOT, inode, 0);
        try {
            byte[] back = new byte[max];
            int n = fs.read(h, 0, back, max);
            return java.util.Arrays.copyOf(back, Math.max(n, 0));
        } finally {
            fs.release(h);
        }
    }

    /**
     * The applied index once the log has been still for a second (earlier tests' clients may still
     * be ending). The second is deliberate: stillness can only be seen by letting time pass.
     */
    private static long quietIndex() {
        long[] since = {appliedIndex(), System.nanoTime()};  // the index, and since when it has not moved
        Awaitility.await("the meta log still for a second").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    long now = appliedIndex();
                    if (now != since[0]) {
                        since[0] = now;
                        since[1] = System.nanoTime();
                    }
                    return System.nanoTime() - since[1] >= Duration.ofSeconds(1).toNanos();
                });
        return since[0];
    }

    private static long appliedIndex() {
        return cluster.meta(cluster.waitForLeader(Duration.ofSeconds(10))).lastAppliedIndex();
    }

    @Test
    void changesMadeAheadAreBatchedAndAnotherClientSeesThemWhenItLooks() throws Exception {
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", writeBack);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS.with("entry-ttl", "0")
                     .with("attr-ttl", "0"))) {
            long dir = leasedDir(a, "seen");
            long before = quietIndex();
            for (int i = 0; i < 300; i++) {
                a.mknod(ROOT, dir, "f" + i, 0100644, 0);
            }
            long sub = a.mkdir(ROOT, dir, "sub", 0755).getInode();
            for (int i = 0; i < 50; i++) {
                a.mknod(ROOT, sub, "g" + i, 0100600, 0);
            }
            a.rename(ROOT, dir, "f0", sub, "moved", 0);
            a.unlink(ROOT, dir, "f1");
            a.setattr(ROOT, SetAttrRequest.newBuilder().setInode(a.lookup(ROOT, dir, "f2").getInode())
                    .setSetMode(true).setMode(0600).build());
            assertThat(appliedIndex() - before).as("355 changes made ahead, none sent yet").isLessThan(3);

            // b finds what a made as any process would, by name: the leader recalls a's leases first
            assertThat(b.lookup(ROOT, b.root(), "seen").getInode()).isEqualTo(dir);
            List<String> seen = names(b, dir);
            assertThat(seen).hasSize(299).contains("sub", "f2", "f299").doesNotContain("f0", "f1");
            assertThat(b.lookup(ROOT, dir, "sub").getInode()).isEqualTo(sub);
            assertThat(names(b, sub)).hasSize(51).contains("moved", "g49");
            assertThat(b.lookup(ROOT, dir, "f2").getMode() & 07777).isEqualTo(0600);
            assertThat(appliedIndex() - before).as("sent in a few batches").isLessThan(40);

            b.mknod(ROOT, dir, "from-b", 0100644, 0);
            assertThat(a.lookup(ROOT, dir, "from-b").getInode()).as("a asks again once its lease is gone").isPositive();
            assertThatThrownBy(() -> a.mknod(ROOT, dir, "from-b", 0100644, 0))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
        }
    }

    @Test
    void anotherClientNeverSeesAStateTheWriterNeverHad() throws Exception {
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", writeBack);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS.with("entry-ttl", "0")
                     .with("attr-ttl", "0"))) {
            long dir = leasedDir(a, "race");
            assertThat(b.lookup(ROOT, b.root(), "race").getInode()).isEqualTo(dir);
            int total = 1500;
            AtomicInteger done = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<String> problems = new ArrayList<>();
            Thread reader = new Thread(() -> {
                java.util.Random random = new java.util.Random(7);
                while (!stop.get()) {
                    try {
                        // a creates f0, f1, ... in order and renames every tenth to rN right after
                        int closedBefore = done.get();
                        for (int probe = 0; probe < 5 && closedBefore > 0; probe++) {
                            int i = probe == 0 ? closedBefore - 1 : random.nextInt(closedBefore);
                            boolean plain = exists(b, dir, "f" + i);
                            boolean renamed = i % 10 == 0 && exists(b, dir, "r" + i);
                            if (plain == renamed) {
                                problems.add("file " + i + " (made before the look began) seen "
                                        + (plain ? "under two names" : "under no name"));
                            }
                        }
                        List<String> seen = names(b, dir);  // pages of a listing: not one instant, but nothing made before it is missing
                        for (int i = 0; i < closedBefore; i++) {
                            if (!seen.contains("f" + i) && !seen.contains("r" + i)) {
                                problems.add("file " + i + " missing from a listing begun after it was made");
                            }
                        }
                    } catch (CairnException | RuntimeException e) {
                        problems.add(e.toString());
                    }
                }
            });
            reader.start();
            try {
                for (int i = 0; i < total; i++) {
                    a.mknod(ROOT, dir, "f" + i, 0100644, 0);
                    if (i % 10 == 0) {
                        a.rename(ROOT, dir, "f" + i, dir, "r" + i, 0);
                    }
                    done.set(i + 1);
                }
            } finally {
                stop.set(true);
                reader.join();
            }
            assertThat(problems).isEmpty();
            assertThat(names(b, dir)).hasSize(total);
        }
    }

    @Test
    void fsyncAppliesTheCreateAndTheBytesAreReadByAnotherClient() throws Exception {
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", writeBack);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS)) {
            long dir = leasedDir(a, "data");
            assertThat(b.lookup(ROOT, b.root(), "data").getInode()).isEqualTo(dir);
            byte[] data = "written ahead\n".getBytes(StandardCharsets.UTF_8);
            long h = a.create(ROOT, dir, "file", 0644, 2);
            a.write(h, 0, data, 0, data.length);
            a.fsync(h);
            a.release(h);
            InodeAttr seen = b.lookup(ROOT, dir, "file");
            assertThat(seen.getSize()).isEqualTo(data.length);
            long rh = b.open(ROOT, seen.getInode(), 0);
            byte[] back = new byte[64];
            assertThat(b.read(rh, 0, back, back.length)).isEqualTo(data.length);
            b.release(rh);
        }
    }

    @Test
    void batchesSentAcrossALeaderChangeAreAppliedOnce() throws Exception {
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", writeBack);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS.with("entry-ttl", "0")
                     .with("attr-ttl", "0"))) {
            long dir = leasedDir(a, "failover");
            int total = 3_000;
            AtomicInteger made = new AtomicInteger();
            Thread stopper = new Thread(() -> {
                try {
                    // A queue of 1,024 changes goes at once, on the write-back thread: past it, a batch is on its way.
                    Awaitility.await("the first batch of creates queued").atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(1)).until(() -> made.get() > 1_100);
                    int leader = cluster.waitForLeader(Duration.ofSeconds(10));
                    cluster.stopMeta(leader);  // while batches of creates are on their way
                    cluster.waitForLeader(Duration.ofSeconds(30));  // the others elect a new one: the batches go to it
                    cluster.startMeta(leader);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            stopper.start();
            for (int i = 0; i < total; i++) {
                a.mknod(ROOT, dir, "f" + i, 0100644, 0);
                made.set(i + 1);
            }
            stopper.join();
            a.syncNamespace();  // every batch acknowledged, none refused
            assertThat(b.lookup(ROOT, b.root(), "failover").getInode()).isEqualTo(dir);
            List<String> seen = names(b, dir);
            assertThat(seen).hasSize(total).doesNotHaveDuplicates();
            cluster.waitForSameState(Duration.ofSeconds(60));
        }
    }

    @Test
    void withoutTheMetaGroupChangesStopAheadAndFailAfterTheIoTimeout() throws Exception {
        FsOptions shortTimeout = writeBack.with("io-timeout", "3s");
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", shortTimeout)) {
            long dir = leasedDir(a, "cut-off");
            int leader = cluster.waitForLeader(Duration.ofSeconds(10));
            List<Integer> stopped = new ArrayList<>();
            try {
                for (int i = 0; i < cluster.metaCount() && stopped.size() < 2; i++) {
                    if (i != leader) {
                        cluster.stopMeta(i);  // the leader alone has no majority: nothing commits
                        stopped.add(i);
                    }
                }
                long t0 = System.nanoTime();
                CairnException failed = null;
                int made = 0;
                while (failed == null && made < 20_000) {
                    try {
                        a.mknod(ROOT, dir, "g" + made, 0100644, 0);
                        made++;
                    } catch (CairnException e) {
                        failed = e;
                    }
                }
                assertThat(failed).as("a change that must wait fails, it does not hang").isNotNull();
                assertThat(made).as("the queue is bounded").isLessThan(20_000);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
                assertThatThrownBy(a::syncNamespace).isInstanceOf(CairnException.class);
            } finally {
                for (int i : stopped) {
                    cluster.startMeta(i);
                }
                cluster.waitForLeader(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void smallFilesWrittenAheadGoInOneBatchWithTheirBytes() throws Exception {
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", writeBack);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS)) {
            long dir = leasedDir(a, "small");
            long before = quietIndex();
            for (int i = 0; i < 100; i++) {
                writeFile(a, dir, "s" + i, 0644, ("file " + i + "\n").repeat(i + 1).getBytes(StandardCharsets.UTF_8));
            }
            assertThat(appliedIndex() - before).as("100 creates and commits made ahead, none sent").isLessThan(3);
            assertThat(a.lookup(ROOT, dir, "s99").getSize()).isEqualTo(("file 99\n").length() * 100L);
            assertThat(b.lookup(ROOT, b.root(), "small").getInode()).isEqualTo(dir);
            for (int i = 0; i < 100; i += 9) {
                byte[] want = ("file " + i + "\n").repeat(i + 1).getBytes(StandardCharsets.UTF_8);
                InodeAttr attr = b.lookup(ROOT, dir, "s" + i);
                assertThat(attr.getSize()).isEqualTo(want.length);
                assertThat(contents(b, attr.getInode(), want.length + 10)).isEqualTo(want);
            }
        }
    }

    /**
     * git's way of writing an object: bytes under a temporary name, link(2) to the final name in
     * the same directory, unlink(2) of the temporary one, then reads of the final name. All of it
     * stays ahead of the meta group, the read included; another client then finds the file whole.
     */
    @Test
    void aTemporaryNameLinkedThenRemovedStaysAheadAndReadsBack() throws Exception {
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", writeBack);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS)) {
            long dir = leasedDir(a, "objects");
            long before = quietIndex();
            for (int i = 0; i < 50; i++) {
                byte[] data = ("object " + i + "\n").repeat(i + 1).getBytes(StandardCharsets.UTF_8);
                long inode = writeFile(a, dir, "tmp_obj_" + i, 0444, data);
                assertThat(a.link(ROOT, inode, dir, "obj" + i).getNlink()).isEqualTo(2);
                a.unlink(ROOT, dir, "tmp_obj_" + i);
                assertThat(contents(a, inode, data.length + 10)).isEqualTo(data);
            }
            assertThat(appliedIndex() - before).as("creates, links, unlinks and reads made here, none sent").isLessThan(3);
            assertThat(b.lookup(ROOT, b.root(), "objects").getInode()).isEqualTo(dir);  // the leader recalls a's leases
            List<String> seen = names(b, dir);
            assertThat(seen).hasSize(50).contains("obj0", "obj49").noneMatch(n -> n.startsWith("tmp_obj_"));
            InodeAttr attr = b.lookup(ROOT, dir, "obj49");
            assertThat(attr.getNlink()).isEqualTo(1);
            byte[] want = ("object 49\n").repeat(50).getBytes(StandardCharsets.UTF_8);
            assertThat(contents(b, attr.getInode(), want.length + 10)).isEqualTo(want);
        }
    }

    /**
     * A directory a client looks names up in often it leases shared: it answers lookups there
     * itself, found or not, however long its caches would keep them. Another client's change
     * recalls that lease first, and the reader's cached names go with it, so the reader sees the
     * change at its next lookup, not after its (here 60 s) entry TTL.
     */
    @Test
    void aDirectoryLookedInOftenIsLeasedSharedAndAnotherClientsChangeRecallsItFirst() throws Exception {
        FsOptions off = FsOptions.DEFAULTS.with("writeback", "off");
        FsOptions longCaches = FsOptions.DEFAULTS.with("entry-ttl", "60s").with("attr-ttl", "60s");
        try (CairnFs w = CairnFs.connect(cluster.metaAddresses(), "v", off);
             CairnFs r = CairnFs.connect(cluster.metaAddresses(), "v", longCaches)) {
            long dir = w.mkdir(ROOT, w.root(), "read-mostly", 0755).getInode();
            for (int i = 0; i < 10; i++) {
                w.mknod(ROOT, dir, "f" + i, 0100644, 0);
            }
            assertThat(r.lookup(ROOT, r.root(), "read-mostly").getInode()).isEqualTo(dir);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (int i = 0; i < 20; i++) {
                    assertThat(exists(r, dir, "absent" + i)).isFalse();
                }
                long before = appliedIndex();
                for (int i = 0; i < 50; i++) {
                    assertThat(exists(r, dir, "absent-too" + i)).isFalse();
                }
                return appliedIndex() == before;  // leased shared: answered here, the leader saw nothing
            });
            assertThat(r.lookup(ROOT, dir, "f0").getInode()).isPositive();
            assertThat(exists(r, dir, "new")).isFalse();

            // A file's bytes are no part of the directory's lease: an open still reads them fresh.
            long f1 = r.lookup(ROOT, dir, "f1").getInode();
            long wh = w.open(ROOT, f1, 2);
            w.write(wh, 0, new byte[] {7, 8, 9}, 0, 3);
            w.release(wh);
            long rh = r.openFound(ROOT, dir, "f1", f1, 0);
            byte[] back = new byte[10];
            assertThat(r.read(rh, 0, back, back.length)).as("close-to-open under a shared lease").isEqualTo(3);
            r.release(rh);

            w.mknod(ROOT, dir, "new", 0100644, 0);  // the leader recalls r's shared lease first
            w.unlink(ROOT, dir, "f0");
            assertThat(exists(r, dir, "new")).as("seen at once, not after the entry TTL").isTrue();
            assertThat(exists(r, dir, "f0")).isFalse();
            assertThat(names(r, dir)).hasSize(10).contains("new", "f9").doesNotContain("f0");
        }
    }

    /**
     * A client that learned an inode number from the writer (not by a lookup) and asks for it
     * gets what the writer made ahead: the number is one the writer reserved and has not used
     * yet, so the leader recalls the writer's leases, which sends its queue, before answering.
     */
    @Test
    void anInodeMadeAheadIsFoundByItsNumberToo() throws Exception {
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", writeBack);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS.with("writeback", "off"))) {
            long dir = leasedDir(a, "by-number");
            long before = quietIndex();
            long sub = a.mkdir(ROOT, dir, "sub", 0755).getInode();
            long h = a.create(ROOT, sub, "f", 0644, 2);
            long inode = a.inodeOf(h);
            a.write(h, 0, new byte[] {4, 5, 6}, 0, 3);
            a.release(h);
            assertThat(appliedIndex() - before).as("made ahead, not sent").isLessThan(3);

            assertThat(b.getattr(ROOT, inode).getSize()).isEqualTo(3);
            assertThat(b.lookup(ROOT, sub, "f").getInode()).isEqualTo(inode);  // a directory made ahead, by its number
            assertThat(contents(b, inode, 10)).containsExactly(4, 5, 6);
        }
    }
}
