package io.cairn.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.minicluster.MiniCluster;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.SetAttrRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client file layer without FUSE, against an in-process cluster: the Java API a program can use directly. */
class CairnFsIT {
    static final Credentials ROOT = Credentials.getDefaultInstance();
    static final Credentials USER = Credentials.newBuilder().setUid(1000).setGid(1000).build();
    static MiniCluster cluster;
    static int volumeId;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).storageNodes(3).start();
        volumeId = cluster.createVolume("v", 3, 1L << 20).getVolumeId();  // 1 MiB chunks: every test file spans several
        cluster.waitForLiveNodes(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] readAll(CairnFs fs, long handle, int size) throws CairnException {
        byte[] out = new byte[size];
        int at = 0;
        while (at < size) {
            byte[] piece = new byte[Math.min(128 << 10, size - at)];
            int n = fs.read(handle, at, piece, piece.length);
            if (n == 0) {
                break;
            }
            System.arraycopy(piece, 0, out, at, n);
            at += n;
        }
        return java.util.Arrays.copyOf(out, at);
    }

    @Test
    void writersWaitForTheDirtyLimitAndEveryByteArrives() throws Exception {
        FsOptions tight = FsOptions.DEFAULTS.with("dirty-limit", "1M").with("flush-threshold", "1M");
        try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), "v", tight)) {
            long dir = fs.mkdir(ROOT, fs.root(), "budget", 0755).getInode();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> writers = new ArrayList<>();
            try {
                for (int t = 0; t < 4; t++) {
                    int id = t;
                    writers.add(pool.submit(() -> {
                        long h = fs.create(ROOT, dir, "f" + id, 0644, 2);
                        byte[] data = random(3 << 20, id);
                        for (int off = 0; off < data.length; off += 128 << 10) {
                            fs.write(h, off, data, off, Math.min(128 << 10, data.length - off));
                        }
                        fs.release(h);
                        return null;
                    }));
                }
                for (Future<?> w : writers) {
                    w.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            for (int t = 0; t < 4; t++) {
                InodeAttr a = fs.lookup(ROOT, dir, "f" + t);
                assertThat(a.getSize()).isEqualTo(3 << 20);
                long h = fs.open(ROOT, a.getInode(), 0);
                assertThat(readAll(fs, h, 3 << 20)).isEqualTo(random(3 << 20, t));
                fs.release(h);
            }
        }
    }

    @Test
    void lengthAndMtimeReachMetaOnlyAtFlushButTheWriterSeesThemAtOnce() throws Exception {
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS)) {
            long h = a.create(ROOT, a.root(), "c2o", 0644, 2);
            long inode = a.inodeOf(h);
            a.write(h, 0, new byte[] {1, 2, 3}, 0, 3);
            assertThat(a.getattr(ROOT, inode).getSize()).isEqualTo(3);        // read-your-writes
            assertThat(b.lookup(ROOT, b.root(), "c2o").getSize()).isZero();   // not committed yet
            a.flush(h);
            long hb = b.open(ROOT, inode, 0);                                  // close-to-open
            assertThat(readAll(b, hb, 3)).containsExactly(1, 2, 3);
            b.release(hb);
            a.release(h);
        }
    }

    @Test
    void securityXattrsAreCachedOwnChangesShowAtOnceAndOtherClientsAfterTheTtl() throws Exception {
        // The kernel asks for security.capability before every write(2): the client answers it from
        // its cache, trusted for the attribute TTL like the attributes themselves.
        FsOptions longTtl = FsOptions.DEFAULTS.with("attr-ttl", "60s");
        FsOptions shortTtl = FsOptions.DEFAULTS.with("attr-ttl", "300ms");
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", longTtl);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS);
             CairnFs c = CairnFs.connect(cluster.metaAddresses(), "v", shortTtl)) {
            long h = a.create(ROOT, a.root(), "caps", 0644, 2);
            long inode = a.inodeOf(h);
            a.release(h);
            // Another client learns of a file by its name, as a process does: with write-back (the
            // default) the lookup is what makes the leader recall a's lease and a send its create.
            assertThat(c.lookup(ROOT, c.root(), "caps").getInode()).isEqualTo(inode);
            assertNoXattr(a, inode, "security.capability");
            assertNoXattr(c, inode, "security.capability");
            byte[] caps = {1, 0, 0, 2};
            b.setxattr(ROOT, inode, "security.capability", caps, 0);
            assertNoXattr(a, inode, "security.capability");  // cached "none" within a's 60 s TTL
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .ignoreExceptionsInstanceOf(CairnException.class).untilAsserted(
                    () -> assertThat(c.getxattr(ROOT, inode, "security.capability")).containsExactly(caps));
            a.setxattr(ROOT, inode, "security.capability", new byte[] {7}, 0);  // its own change: at once
            assertThat(a.getxattr(ROOT, inode, "security.capability")).containsExactly(7);
            a.removexattr(ROOT, inode, "security.capability");
            assertNoXattr(a, inode, "security.capability");
            // Other namespaces depend on who asks and are not cached.
            b.setxattr(ROOT, inode, "user.note", new byte[] {9}, 0);
            assertThat(a.getxattr(ROOT, inode, "user.note")).containsExactly(9);
        }
    }

    @Test
    void aRunOfLookupsInOneDirectoryReadsItAheadIntoTheCache() throws Exception {
        FsOptions longTtl = FsOptions.DEFAULTS.with("attr-ttl", "60s").with("entry-ttl", "60s");
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", longTtl)) {
            long dir = a.mkdir(ROOT, a.root(), "ahead", 0755).getInode();
            for (int i = 0; i < 40; i++) {
                a.release(a.create(ROOT, dir, "f" + i, 0644, 2));
            }
            assertThat(b.lookup(ROOT, b.root(), "ahead").getInode()).isEqualTo(dir);  // by name, as a process would
            for (int i = 0; i < 10; i++) {  // b looks up a few: a run of misses in one directory
                assertThat(b.lookup(ROOT, dir, "f" + i).getSize()).isZero();
            }
            a.unlink(ROOT, dir, "f30");
            // b never looked f30 up, yet knows it: its cache read the directory ahead (and, as
            // for any cached name, another client's removal shows only after the TTL).
            assertThat(b.lookup(ROOT, dir, "f30").getNlink()).isEqualTo(1);
            assertThatThrownBy(() -> a.lookup(ROOT, dir, "f30")).isInstanceOfSatisfying(CairnException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
    }

    static void assertNoXattr(CairnFs fs, long inode, String name) {
        assertThatThrownBy(() -> fs.getxattr(ROOT, inode, name)).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_ATTRIBUTE));
    }

    @Test
    void theCallersCredentialsAreChecked() throws Exception {
        try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS)) {
            long dir = fs.mkdir(ROOT, fs.root(), "private", 0700).getInode();
            assertThatThrownBy(() -> fs.create(USER, dir, "x", 0644, 2)).isInstanceOfSatisfying(CairnException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
            long h = fs.create(ROOT, dir, "secret", 0600, 2);
            fs.release(h);
            long inode = fs.lookup(ROOT, dir, "secret").getInode();
            fs.setattr(ROOT, SetAttrRequest.newBuilder().setInode(dir).setSetMode(true).setMode(0755).build());
            assertThatThrownBy(() -> fs.open(USER, inode, 0)).isInstanceOfSatisfying(CairnException.class,
                    e -> assertThat(e.code().errno()).isEqualTo(13));
            // The cached lookup is not handed to a caller who may not search the directory.
            fs.setattr(ROOT, SetAttrRequest.newBuilder().setInode(dir).setSetMode(true).setMode(0700).build());
            assertThatThrownBy(() -> fs.lookup(USER, dir, "secret")).isInstanceOfSatisfying(CairnException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        }
    }

    static io.cairn.proto.FileLock lock(io.cairn.proto.LockType type, long owner) {
        return io.cairn.proto.FileLock.newBuilder().setKind(io.cairn.proto.LockKind.LOCK_POSIX).setType(type)
                .setOwner(owner).setStart(0).setEnd(-1L).setPid(1).build();
    }

    @Test
    void aLockWaitsForAnotherClientAndACrashedClientsLockGoesWithItsLease() throws Exception {
        var write = io.cairn.proto.LockType.LOCK_WRITE;
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS)) {
            long ha = a.create(ROOT, a.root(), "locked", 0644, 2);
            long inode = a.inodeOf(ha);
            assertThat(b.lookup(ROOT, b.root(), "locked").getInode()).isEqualTo(inode);  // by name, as a process would
            long hb = b.open(ROOT, inode, 2);
            a.lock(ha, lock(write, 1), false, () -> false);
            assertThatThrownBy(() -> b.lock(hb, lock(write, 7), false, () -> false))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED));
            assertThat(b.conflictingLock(hb, lock(write, 7))).hasValueSatisfying(l -> assertThat(l.getOwner()).isEqualTo(1));

            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> waiter = pool.submit(() -> {
                    b.lock(hb, lock(write, 7), true, () -> false);
                    return null;
                });
                assertThatThrownBy(() -> waiter.get(300, TimeUnit.MILLISECONDS)).as("waits while client a holds the lock")
                        .isInstanceOf(java.util.concurrent.TimeoutException.class);
                a.lock(ha, lock(io.cairn.proto.LockType.LOCK_UNLOCK, 1), false, () -> false);
                waiter.get(20, TimeUnit.SECONDS);
                // An interrupted wait gives up with EINTR.
                assertThatThrownBy(() -> a.lock(ha, lock(write, 1), true, () -> true))
                        .isInstanceOfSatisfying(CairnException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERRUPTED));
            } finally {
                pool.shutdownNow();
            }
            b.release(hb);
            a.release(ha);

            // A client that takes a lock and then goes silent (a crash: no release, no renewal)
            // loses it once its lease (5 s in the MiniCluster) has passed.
            try (io.cairn.client.MetaClient crashed = io.cairn.client.MetaClient.connect(cluster.metaAddresses(),
                    Duration.ofSeconds(30))) {
                crashed.mutate(ROOT, io.cairn.proto.MetaMutation.newBuilder().setSetLock(
                        io.cairn.proto.SetLockRequest.newBuilder().setVolumeId(a.volume().getVolumeId()).setInode(inode)
                                .setLock(lock(write, 3).toBuilder().setClientId(crashed.clientId()))).build());
            }
            long h2 = b.open(ROOT, inode, 2);
            assertThatThrownBy(() -> b.lock(h2, lock(write, 9), false, () -> false))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED));
            long start = System.nanoTime();
            b.lock(h2, lock(write, 9), true, () -> false);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("granted after the lease, not forever")
                    .isLessThan(Duration.ofSeconds(30));
            b.release(h2);
        }
    }

    @Test
    void aHandleOpenForWritingTruncatesAfterChmodZeroButAPathDoesNot() throws Exception {
        try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS)) {
            long dir = fs.mkdir(ROOT, fs.root(), "ftruncate", 0777).getInode();
            long w = fs.create(USER, dir, "f", 0644, 1);
            fs.write(w, 0, new byte[] {1, 2, 3}, 0, 3);
            fs.flush(w);
            long inode = fs.inodeOf(w);
            long r = fs.open(USER, inode, 0);
            fs.setattr(ROOT, SetAttrRequest.newBuilder().setInode(inode).setSetMode(true).setMode(0).build());
            assertThat(fs.ftruncate(USER, w, 2).getSize()).isEqualTo(2);
            assertThatThrownBy(() -> fs.ftruncate(USER, r, 1)).isInstanceOfSatisfying(CairnException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
            assertThatThrownBy(() -> fs.setattr(USER, SetAttrRequest.newBuilder().setInode(inode).setSetSize(true)
                    .setSize(1).build())).isInstanceOfSatisfying(CairnException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
            fs.release(r);
            fs.release(w);
            assertThat(fs.getattr(ROOT, inode).getSize()).isEqualTo(2);
        }
    }

    /**
     * An open racing this client's replace-by-rename of the same name either comes first (the
     * old file is hidden and stays readable through the handle) or finds the old file gone
     * (NOT_FOUND at open, which the mount turns into a fresh lookup): never a handle on a file
     * deleted under it.
     */
    @Test
    void anOpenRacingAReplaceByRenameNeverGetsAHandleOnADeletedFile() throws Exception {
        try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS)) {
            long dir = fs.mkdir(ROOT, fs.root(), "replace", 0755).getInode();
            long first = fs.create(ROOT, dir, "target", 0644, 2);
            fs.write(first, 0, "old".getBytes(), 0, 3);
            fs.release(first);
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    long inode;
                    try {
                        inode = fs.lookup(ROOT, dir, "target").getInode();
                    } catch (CairnException e) {
                        failures.add("lookup: " + e);
                        continue;
                    }
                    long h;
                    try {
                        h = fs.open(ROOT, inode, 0);
                    } catch (CairnException e) {
                        if (e.code() != ErrorCode.NOT_FOUND) {
                            failures.add("open: " + e);
                        }
                        continue;
                    }
                    try {
                        String s = new String(readAll(fs, h, 100));
                        if (!s.equals("old") && !s.matches("new\\d+")) {
                            failures.add("content '" + s + "'");
                        }
                        reads.incrementAndGet();
                    } catch (CairnException e) {
                        failures.add("read: " + e);
                    } finally {
                        try {
                            fs.release(h);
                        } catch (CairnException e) {
                            failures.add("release: " + e);
                        }
                    }
                }
            });
            reader.start();
            try {
                // At least 150 replaces, and on until the reader has read a few times (with write-back
                // a replace costs no round trip, so 150 of them can all pass between two opens).
                for (int i = 0; i < 150 || (reads.get() < 5 && i < 50_000); i++) {
                    long w = fs.create(ROOT, dir, "tmp", 0644, 2);
                    byte[] data = ("new" + i).getBytes();
                    fs.write(w, 0, data, 0, data.length);
                    fs.release(w);
                    fs.rename(ROOT, dir, "tmp", dir, "target", 0);
                }
            } finally {
                stop.set(true);
                reader.join();
            }
            assertThat(failures).isEmpty();
            assertThat(reads.get()).isPositive();
            assertThat(fs.readdir(ROOT, dir)).extracting(e -> e.getName()).containsExactly("target");
        }
    }

    /** The file's bytes, read through a fresh open. */
    static byte[] contents(CairnFs fs, long inode) throws CairnException {
        long h = fs.open(ROOT, inode, 0);
        try {
            return readAll(fs, h, (int) fs.getattr(ROOT, inode).getSize());
        } finally {
            fs.release(h);
        }
    }

    static io.cairn.proto.ChunkList chunkList(io.cairn.client.MetaClient m, long inode) throws CairnException {
        return m.query(ROOT, io.cairn.proto.MetaQuery.newBuilder().setGetChunks(io.cairn.proto.GetChunksRequest
                .newBuilder().setVolumeId(volumeId).setInode(inode)).build()).getChunks();
    }

    @Test
    void aSpillByOneClientKeepsAnotherClientsWritesAndReadsStayRight() throws Exception {
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS);
             CairnFs b = CairnFs.connect(cluster.metaAddresses(), "v", FsOptions.DEFAULTS);
             io.cairn.client.MetaClient m = cluster.newMetaClient()) {
            long h = a.create(ROOT, a.root(), "spill2", 0644, 2);
            long inode = a.inodeOf(h);
            byte[] want = new byte[300_000];
            System.arraycopy(random(1000, 21), 0, want, 0, 1000);
            a.write(h, 0, want, 0, 1000);
            a.flush(h);
            assertThat(b.lookup(ROOT, b.root(), "spill2").getInode()).isEqualTo(inode);  // by name: a's changes are sent
            assertThat(chunkList(m, inode).getInline()).as("a small file keeps its bytes inline").isTrue();
            assertThat(contents(b, inode)).isEqualTo(java.util.Arrays.copyOf(want, 1000));

            long hb = b.open(ROOT, inode, 2);
            System.arraycopy(random(200_000, 22), 0, want, 100_000, 200_000);
            b.write(hb, 100_000, want, 100_000, 200_000);  // past the inline size: b moves the file to chunks
            b.flush(hb);
            assertThat(chunkList(m, inode).getInline()).isFalse();
            want[10] = 7;
            a.write(h, 10, want, 10, 1);  // a still thinks the file inline: refused, it writes to chunk 0
            a.flush(h);
            a.release(h);
            b.release(hb);
            assertThat(contents(a, inode)).isEqualTo(java.util.Arrays.copyOf(want, 300_000));
            assertThat(contents(b, inode)).isEqualTo(java.util.Arrays.copyOf(want, 300_000));
        }
    }

    @Test
    void aStalledSpillIsTakenOverAfterTheIoTimeoutWithTheOwnerFenced() throws Exception {
        FsOptions quick = FsOptions.DEFAULTS.with("io-timeout", "2s");
        try (CairnFs a = CairnFs.connect(cluster.metaAddresses(), "v", quick);
             io.cairn.client.MetaClient m = cluster.newMetaClient()) {
            long h = a.create(ROOT, a.root(), "stalled", 0644, 2);
            long inode = a.inodeOf(h);
            byte[] want = new byte[150_000];
            System.arraycopy(random(5000, 31), 0, want, 0, 5000);
            a.write(h, 0, want, 0, 5000);
            a.flush(h);
            // Another client starts the file's spill and is never heard of again.
            long epoch = m.mutate(ROOT, io.cairn.proto.MetaMutation.newBuilder().setAllocateChunk(
                    io.cairn.proto.AllocateChunkRequest.newBuilder().setVolumeId(volumeId).setInode(inode).setIndex(0)
                            .setSpillOwner(com.google.protobuf.ByteString.copyFromUtf8("ghost"))).build())
                    .getChunk().getEpoch();
            assertThat(chunkList(m, inode).getSpilling()).isTrue();
            assertThat(contents(a, inode)).as("readers keep the inline bytes").isEqualTo(java.util.Arrays.copyOf(want, 5000));
            System.arraycopy(random(100_000, 32), 0, want, 50_000, 100_000);
            long started = System.nanoTime();
            a.write(h, 50_000, want, 50_000, 100_000);
            a.flush(h);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(1));
            a.release(h);
            io.cairn.proto.ChunkList after = chunkList(m, inode);
            assertThat(after.getInline()).isFalse();
            assertThat(after.getChunks(0).getEpoch()).as("the ghost's writes are fenced").isEqualTo(epoch + 1);
            assertThat(contents(a, inode)).isEqualTo(want);
        }
    }
}
