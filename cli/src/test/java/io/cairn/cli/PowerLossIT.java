package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts with real processes: the members' data (meta servers' Raft logs and RocksDB, storage
 * nodes' identity, brick list and bricks) on a layer that loses every write not fsynced
 * ({@link io.cairn.powerloss.PowerLossMount}); SIGKILL, drop, start again. What fsync
 * acknowledged must come back byte for byte, nothing may read wrong bytes or hang, and heal must
 * bring every chunk back to {@code size} good replicas (checked on the bricks themselves).
 */
class PowerLossIT {
    static final List<String> MEMBERS = List.of("meta1", "meta2", "meta3", "node1", "node2", "node3");
    /**
     * Failure detection shortened for a test, kept for the start after the cut; among them the
     * client lease, which is how long the killed mount's directory leases hold up the new mount.
     */
    static final String[] TIMEOUTS = {"--node-down-timeout", "4s", "--node-out-timeout", "60s", "--repair-interval", "1s",
        "--client-lease", "5s"};
    /** Well under the client's 30 s I/O timeout: a read that takes longer is hung. */
    static final Duration READ_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    LayeredCluster cluster;
    final ExecutorService readers = Executors.newCachedThreadPool(io.cairn.common.DaemonThreads.named("bounded-read"));

    @BeforeAll
    static void jarIsCurrent() throws Exception {
        Cli.markJarCurrent();
    }

    @AfterEach
    void down() throws Exception {
        readers.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
    }

    static byte[] content(String name, int size) {
        byte[] b = new byte[size];
        new Random(name.hashCode()).nextBytes(b);
        return b;
    }

    static void write(Path p, byte[] data, boolean fsync) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (fsync) {
                ch.force(true);
            }
        }
    }

    /** Files of 1 KiB (inline) to 1.5 MiB written under {@code prefix}, fsynced or only closed. */
    static Map<String, byte[]> writeFiles(Path dir, String prefix, int count, boolean fsync) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + i;
            byte[] data = content(name, i % 4 == 0 ? 1024 : 200_000 + i * 130_000);
            write(dir.resolve(name), data, fsync);
            out.put(name, data);
        }
        return out;
    }

    /** The file's bytes, read within {@link #READ_BOUND}; an AssertionError if the read hangs. */
    byte[] readBounded(Path p) throws Exception {
        Future<byte[]> f = readers.submit(() -> Files.readAllBytes(p));
        try {
            return f.get(READ_BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("reading " + p + " hung for more than " + READ_BOUND.toSeconds() + " s");
        }
    }

    /**
     * A file written without fsync: lost, failing quickly, or a prefix of what was written; never
     * other bytes. False when it could not be read.
     */
    boolean assertNoGarbage(Path p, byte[] written, List<String> problems) throws Exception {
        byte[] got;
        try {
            got = readBounded(p);
        } catch (ExecutionException e) {
            return false;  // EIO (or gone): allowed for bytes never fsynced
        } catch (AssertionError e) {
            problems.add(e.getMessage());
            return false;
        }
        if (got.length > written.length || !Arrays.equals(got, 0, got.length, written, 0, got.length)) {
            int at = mismatch(got, written);
            problems.add(p.getFileName() + ": read " + got.length + " bytes of the " + written.length
                    + " written, wrong from offset " + at + " (read " + (at < got.length ? got[at] : "EOF") + ")");
        }
        return true;
    }

    static void assertIdentical(String name, byte[] got, byte[] written) {
        assertThat(got.length).as("length of fsynced file %s", name).isEqualTo(written.length);
        assertThat(mismatch(got, written)).as("first wrong byte of fsynced file %s", name).isEqualTo(got.length);
    }

    static int mismatch(byte[] got, byte[] written) {
        int n = Arrays.mismatch(got, written);
        return n < 0 ? got.length : n;
    }

    void awaitHealthy() {
        Awaitility.await("every member up (local status exits 0)").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    Cli.Result st = Cli.withMeta(null).run("local", "status", "--dir", cluster.dir.toString());
                    if (st.out().contains(" stopped ")) {
                        throw new IllegalStateException("a member is not running: " + st + "\n" + cluster.logErrors());
                    }
                    assertThat(st.code()).as("%s\n%s", st, cluster.logErrors()).isZero();
                });
    }

    /**
     * Waits until heal info has nothing left it can repair (lost chunks, which no replica can return,
     * are counted apart from pending ones), and returns the heal info then (JSON).
     */
    String awaitHealDrained(Cli admin, Duration within) {
        AtomicReference<String> last = new AtomicReference<>();
        Awaitility.await("heal info drains to 0 (or to the lost chunks only)").atMost(within)
                .pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                    Cli.Result heal = admin.run("volume", "heal", LayeredCluster.VOLUME, "info", "--json");
                    assertThat(heal.code()).as(heal.toString()).isZero();
                    last.set(heal.out());
                    assertThat(heal.out()).as("heal info after the power cut").contains("\"scanned\":true",
                            "\"inProgress\":0");
                    assertThat(number(heal.out(), "pending")).as("pending chunks, beyond the lost ones: %s", heal.out())
                            .isEqualTo(number(heal.out(), "unavailable"));
                });
        return last.get();
    }

    static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as("%s in %s", key, json).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The inodes of the files heal info names, by path, as holding a chunk no replica can return (lost). */
    static Set<Long> lostInodes(String json) {
        Set<Long> out = new HashSet<>();
        int at = json.indexOf("\"lostChunks\":[");
        if (at < 0) {
            return out;
        }
        String lost = json.substring(at, json.indexOf(']', at) + 1);
        Matcher m = Pattern.compile("\"path\":\"/[^\"]*\",\"inode\":(\\d+)").matcher(lost);
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    /**
     * On the bricks: every chunk of the files with these inodes has {@code size} good replicas of its
     * newest epoch on distinct bricks, and no torn or corrupt replica is left of any chunk that has
     * a good replica somewhere (it must have been repaired or deleted).
     */
    void assertFullyReplicated(Set<Long> inodes, int size) throws Exception {
        Map<Long, List<BrickReplicas.Replica>> byChunk = new TreeMap<>();
        try (var bricks = Files.list(cluster.dir.resolve("bricks"))) {
            for (Path node : bricks.toList()) {
                for (BrickReplicas.Replica r : BrickReplicas.scan(node.resolve(LayeredCluster.VOLUME))) {
                    byChunk.computeIfAbsent(r.chunkId(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        List<String> bad = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<Long, List<BrickReplicas.Replica>> e : byChunk.entrySet()) {
            List<BrickReplicas.Replica> all = e.getValue();
            long inode = all.stream().filter(r -> r.header() != null).mapToLong(r -> r.header().inode()).max().orElse(-1);
            long newest = all.stream().mapToLong(BrickReplicas.Replica::epoch).max().orElse(-1);
            long good = all.stream().filter(r -> r.good() && r.epoch() == newest).map(BrickReplicas.Replica::brick)
                    .distinct().count();
            boolean anyGood = all.stream().anyMatch(BrickReplicas.Replica::good);
            boolean torn = all.stream().anyMatch(r -> !r.good());
            if (inodes.contains(inode)) {
                checked++;
            }
            if ((inodes.contains(inode) && good != size) || (anyGood && torn)) {
                bad.add("chunk " + Long.toHexString(e.getKey()) + " (inode " + inode + "): " + good
                        + " good replicas of epoch " + newest + ", " + all.stream()
                        .map(r -> r.brick().getParent().getFileName() + " epoch " + r.epoch() + " "
                                + (r.good() ? "good" : r.problem())).toList());
            }
        }
        assertThat(checked).as("chunks of the checked files found on the bricks").isPositive();
        assertThat(bad).as("replicas on the bricks").isEmpty();
    }

    static long inode(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    }

    @Test
    void aPowerCutOfEveryMemberLosesNothingFsyncedAndHealRepairsEveryTornReplica() throws Exception {
        cluster = LayeredCluster.create(tmp, MEMBERS);
        Cli.Result up = cluster.up(TIMEOUTS);
        assertThat(up.code()).as("%s\n%s", up, cluster.logErrors()).isZero();
        Map<String, byte[]> synced = writeFiles(cluster.mnt, "synced", 10, true);
        Map<String, byte[]> unsynced = writeFiles(cluster.mnt, "unsynced", 6, false);

        cluster.kill("mount", "meta1", "meta2", "meta3", "node1", "node2", "node3");
        int lost = cluster.disk.drop();
        assertThat(lost).as("files that lost unsynced writes in the cut").isPositive();

        Cli.Result again = cluster.up();
        assertThat(again.code()).as("every member starts after the power cut: %s\n%s", again, cluster.logErrors())
                .isZero();
        Cli admin = cluster.admin();
        awaitHealthy();

        Set<Long> inodes = new HashSet<>();
        for (Map.Entry<String, byte[]> f : synced.entrySet()) {
            Path p = cluster.mnt.resolve(f.getKey());
            byte[] got;
            try {
                got = readBounded(p);
            } catch (ExecutionException e) {
                throw new AssertionError("fsynced file " + f.getKey() + " does not read back: " + e.getCause()
                        + "\n" + cluster.logErrors(), e);
            }
            assertIdentical(f.getKey(), got, f.getValue());
            inodes.add(inode(p));
        }
        List<String> problems = new ArrayList<>();
        Set<Long> failedToRead = new HashSet<>();
        for (Map.Entry<String, byte[]> f : unsynced.entrySet()) {
            Path p = cluster.mnt.resolve(f.getKey());
            if (!assertNoGarbage(p, f.getValue(), problems) && Files.exists(p)) {
                failedToRead.add(inode(p));
            }
        }
        // The rest is checked softly: one run reports every part of the recovery that fails.
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(problems).as("files closed without fsync: lost, EIO or a prefix, never other bytes or a hang")
                .isEmpty();
        try {
            String heal = awaitHealDrained(admin, Duration.ofSeconds(90));
            soft.assertThat(lostInodes(heal)).as("files heal info names as lost: %s", heal)
                    .doesNotContainAnyElementsOf(inodes).containsAll(failedToRead);
        } catch (ConditionTimeoutException e) {
            soft.fail(e.getMessage());
        }
        try {
            assertFullyReplicated(inodes, 3);
        } catch (AssertionError e) {
            soft.fail(e.getMessage());
        }
        soft.assertAll();
    }

    @Test
    void oneNodesPowerCutUnderAWriterEndsWithEveryChunkAtSizeGoodReplicas() throws Exception {
        cluster = LayeredCluster.create(tmp, List.of("node2"));
        Cli.Result up = cluster.up(TIMEOUTS);
        assertThat(up.code()).as("%s\n%s", up, cluster.logErrors()).isZero();
        Map<String, byte[]> written = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    String name = "w" + i;
                    byte[] data = content(name, 300_000 + (i % 5) * 200_000);
                    write(cluster.mnt.resolve(name), data, i % 2 == 0);  // every other one only closed: torn on node2
                    written.put(name, data);
                }
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "writer");
        writer.setDaemon(true);
        writer.start();
        Awaitility.await("the writer under way").atMost(Duration.ofSeconds(60)).until(() -> written.size() >= 3
                || failed.get() != null);

        cluster.kill("node2");
        cluster.disk.drop();
        Cli.Result start = cluster.start("node2");
        assertThat(start.code()).as("%s\n%s", start, cluster.logErrors()).isZero();
        int before = written.size();
        Awaitility.await("the writer goes on").atMost(Duration.ofSeconds(60)).until(() -> written.size() >= before + 3
                || failed.get() != null);
        stop.set(true);
        writer.join(60_000);
        assertThat(failed.get()).as("the writer's error").isNull();

        Cli admin = cluster.admin();
        awaitHealthy();
        String heal = awaitHealDrained(admin, Duration.ofSeconds(90));
        assertThat(number(heal, "pending")).as("chunks heal info still lists: %s", heal).isZero();
        Set<Long> inodes = new HashSet<>();
        for (Map.Entry<String, byte[]> f : written.entrySet()) {
            Path p = cluster.mnt.resolve(f.getKey());
            assertIdentical(f.getKey(), readBounded(p), f.getValue());
            inodes.add(inode(p));
        }
        assertFullyReplicated(inodes, 3);
    }
}
