package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.MetaClient;
import io.cairn.client.admin.PoolAdmin;
import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.proto.Credentials;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meta leader cut off from its peers for real: a local cluster of processes, the leader's
 * Raft traffic dropped by nftables (its client port stays reachable, so storage nodes and clients
 * still reach it and must be handed on to the new leader). Writes through the client library must
 * resume within about the node-down timeout plus an election, the new leader must never mark a
 * storage node out, every fsynced file must read back identical, and after the partition heals
 * the old leader must rejoin the group (it is then needed for a majority).
 *
 * <p>The node-out timeout is short (15 s) so that a pool that loses its storage nodes' heartbeats
 * shows them out within the partition.
 *
 * <p>Skips with the reason when the machine cannot cut traffic (no nft, not root, no net_cls).
 */
class MetaLeaderPartitionIT {
    private static final Credentials ROOT = PoolAdmin.ROOT;
    /** A call that hangs past this is abandoned and counted as failed (the client's io-timeout is far shorter). */
    private static final long OP_TIMEOUT_S = 20;

    @TempDir
    Path tmp;
    String d;
    RaftPartition partition;
    CairnFs fs;
    final ExecutorService ops = Executors.newCachedThreadPool(io.cairn.common.DaemonThreads.named("partition-it-op"));

    @BeforeAll
    static void jarIsCurrent() throws Exception {
        Cli.markJarCurrent();
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (fs != null) {
                fs.close();
            }
        } finally {
            try {
                if (partition != null) {
                    partition.close();
                }
            } finally {
                ops.shutdownNow();
                if (d != null) {
                    Cli.launch(120, "local", "down", "--dir", d);
                    keepLogs(Path.of(d));
                }
            }
        }
    }

    /** The members' logs to target/, for reading after the temp dir is gone. */
    private static void keepLogs(Path dir) throws java.io.IOException {
        Path keep = Files.createDirectories(Cli.ROOT.resolve("cli/target/MetaLeaderPartitionIT-logs"));
        try (java.util.stream.Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(log, keep.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void writesResumeAndNothingAcknowledgedIsLostWhenTheMetaLeaderIsCutOffFromItsPeers() throws Exception {
        RaftPartition.Result tool = RaftPartition.open();
        Assumptions.assumeTrue(tool.partition() != null,
                () -> "skipped: this machine cannot cut a process's Raft traffic: " + tool.whyNot());
        partition = tool.partition();

        Path dir = tmp.resolve("cluster");
        d = dir.toString();
        Cli.Result up = Cli.launch(300, "local", "up", "--dir", d, "--separate-roles", "--no-mount",
                "--node-down-timeout", "4s", "--node-out-timeout", "15s", "--repair-interval", "1s");
        assertThat(up.code()).as(up.toString()).isZero();
        say("local cluster up");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("cluster.properties"))) {
            p.load(in);
        }
        List<String> metas = List.of(p.getProperty("meta").split(","));
        Map<String, String> address = new LinkedHashMap<>();
        metas.forEach(m -> address.put(m, p.getProperty(m + ".address")));
        String metaAddresses = String.join(",", address.values());
        Cli admin = Cli.withMeta(metaAddresses);

        fs = CairnFs.connect(metaAddresses, "vol0", FsOptions.DEFAULTS.with("io-timeout", "5s"));
        Map<String, byte[]> acked = new LinkedHashMap<>();
        Random rnd = new Random(11);
        for (int i = 0; i < 8; i++) {
            String name = "before" + i;
            byte[] b = content(rnd);
            writeFile(name, b);
            acked.put(name, b);
        }

        String leader = leaderOf(address);
        int raftPort = raftPort(address.get(leader));
        List<Integer> peerRaftPorts = address.entrySet().stream().filter(e -> !e.getKey().equals(leader))
                .map(e -> raftPort(e.getValue())).toList();
        long leaderPid = Long.parseLong(Files.readString(dir.resolve(leader + ".pid")).trim());

        // Watch the pool as `cairn peer status` shows it for the whole partition.
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> outs = new ArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                Cli.Result st = admin.run("peer", "status", "--json");
                if (st.code() == 0) {
                    for (Map.Entry<String, String> n : nodeStates(st.out()).entrySet()) {
                        seen.add(n.getKey() + "=" + n.getValue());
                        if (n.getValue().equals("out")) {
                            synchronized (outs) {
                                outs.add(n.getKey() + " out at " + System.nanoTime());
                            }
                        }
                    }
                }
                try {
                    Thread.sleep(500);  // a sampling period, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "partition-it-peer-status");

        say("isolating %s (pid %d, raft port %d; peers' raft ports %s)", leader, leaderPid,
                raftPort, peerRaftPorts);
        partition.isolate(leaderPid, raftPort, peerRaftPorts);
        long cut = System.nanoTime();
        watcher.start();

        // Keep writing: each file created, written, fsynced and closed, or counted as failed.
        long lastOk = cut;
        long firstOkAfterCut = -1;
        long longestStall = 0;
        int failed = 0;
        int okAfterResume = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; ; i++) {
            long now = System.nanoTime();
            double sinceCut = (now - cut) / 1e9;
            if (sinceCut > 60 && firstOkAfterCut < 0) {
                break;  // asserted below
            }
            if (sinceCut > 20 && okAfterResume >= 5) {
                break;
            }
            if (sinceCut > 90) {
                break;
            }
            String name = "during" + i;
            byte[] b = content(rnd);
            try {
                writeFile(name, b);
                long t = System.nanoTime();
                acked.put(name, b);
                longestStall = Math.max(longestStall, t - lastOk);
                lastOk = t;
                if (firstOkAfterCut < 0) {
                    firstOkAfterCut = t;
                }
                okAfterResume++;
            } catch (Exception e) {
                failed++;
                if (failures.size() < 5) {
                    failures.add(name + ": " + e);
                }
            }
        }
        watching.set(false);
        watcher.interrupt();
        watcher.join(10_000);
        say("first write acknowledged %.1f s after the cut; longest stall %.1f s; "
                        + "%d writes acknowledged during the partition, %d failed %s",
                firstOkAfterCut < 0 ? -1 : (firstOkAfterCut - cut) / 1e9, longestStall / 1e9, okAfterResume, failed,
                failures);
        say("node states seen by peer status: %s", seen);
        say("%s", partition.counters());
        assertThat(partition.droppedFromProcess()).as("packets %s sent to its peers' Raft ports, dropped", leader)
                .isPositive();

        assertThat(firstOkAfterCut).as("a write acknowledged within 60 s of the cut; failures: %s", failures)
                .isPositive();
        assertThat(okAfterResume).as("writes acknowledged during the partition").isGreaterThanOrEqualTo(5);
        assertThat(outs).as("nodes marked out during the partition").isEmpty();
        assertThat(leaderOf(address)).as("the leader during the partition").isNotEqualTo(leader);
        Awaitility.await("every storage node up at the new leader").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    Cli.Result st = admin.run("peer", "status", "--json");
                    assertThat(st.code()).as(st.toString()).isZero();
                    assertThat(nodeStates(st.out()).values()).as(st.out()).hasSize(3).containsOnly("up");
                });
        readBack(acked);

        // Heal: the old leader must come back as a follower that the group can count on.
        partition.heal();
        Awaitility.await("three meta servers agree on one leader").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    Cli.Result st = Cli.launch(60, "local", "status", "--dir", d);
                    assertThat(st.code()).as(st.toString()).isZero();
                    assertThat(st.out().lines().filter(l -> l.contains(" leader ")).count()).as(st.out()).isEqualTo(1);
                });
        String newLeader = leaderOf(address);
        say("healed; %s leads, %s follows again", newLeader, leader);
        // Without the new leader, the old one is needed for any majority: writes go on only if it rejoined.
        assertThat(Cli.launch(60, "local", "kill", newLeader, "--dir", d).code()).isZero();
        try {
            long killed = System.nanoTime();
            int written = 0;
            for (int i = 0; written < 3; i++) {
                String name = "after" + i;
                byte[] b = content(rnd);
                try {
                    writeFile(name, b);
                    acked.put(name, b);
                    written++;
                } catch (Exception e) {
                    assertThat(System.nanoTime() - killed).as("writes with %s killed: %s", newLeader, e)
                            .isLessThan(TimeUnit.SECONDS.toNanos(60));
                }
            }
            readBack(acked);
        } finally {
            assertThat(Cli.launch(60, "local", "start", newLeader, "--dir", d).code()).isZero();
        }
        Awaitility.await("all members healthy").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    Cli.Result st = Cli.launch(60, "local", "status", "--dir", d);
                    assertThat(st.code()).as(st.toString()).isZero();
                });
        readBack(acked);
        say("%d acknowledged files read back identical", acked.size());
    }

    private final long started = System.nanoTime();

    private void say(String format, Object... args) {
        System.out.printf("partition [%5.1f s]: %s%n", (System.nanoTime() - started) / 1e9, String.format(format, args));
    }

    private static byte[] content(Random rnd) {
        byte[] b = new byte[16 * 1024 + rnd.nextInt(256 * 1024)];
        rnd.nextBytes(b);
        return b;
    }

    /** Creates, writes, fsyncs and closes {@code name}: returns only when the bytes are acknowledged. */
    private void writeFile(String name, byte[] b) throws Exception {
        call(() -> {
            long h = fs.create(ROOT, fs.root(), name, 0100644, 01 | 0100);  // O_WRONLY | O_CREAT
            try {
                fs.write(h, 0, b, 0, b.length);
                fs.fsync(h);
            } finally {
                fs.release(h);
            }
            return null;
        });
    }

    private void readBack(Map<String, byte[]> acked) throws Exception {
        for (Map.Entry<String, byte[]> e : acked.entrySet()) {
            byte[] got = call(() -> {
                long inode = fs.lookupFresh(ROOT, fs.root(), e.getKey()).getInode();
                long h = fs.open(ROOT, inode, 0);
                try {
                    byte[] buf = new byte[e.getValue().length + 1];
                    int off = 0;
                    while (off < buf.length) {
                        int n = fs.read(h, off, buf, buf.length - off);
                        if (n <= 0) {
                            break;
                        }
                        off += n;
                    }
                    return Arrays.copyOf(buf, off);
                } finally {
                    fs.release(h);
                }
            });
            assertThat(got).as("acknowledged file %s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    private <T> T call(java.util.concurrent.Callable<T> op) throws Exception {
        Future<T> f = ops.submit(op);
        try {
            return f.get(OP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } finally {
            f.cancel(true);
        }
    }

    /** The meta server that answers as leader, waiting up to 30 s for one. */
    private static String leaderOf(Map<String, String> address) {
        String[] found = new String[1];
        Awaitility.await("a meta leader").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    try (MetaClient c = MetaClient.connect(String.join(",", address.values()), Duration.ofSeconds(2))) {
                        for (Map.Entry<String, String> e : address.entrySet()) {
                            if (c.roleOf(e.getValue()).equals("leader")) {
                                found[0] = e.getKey();
                                return true;
                            }
                        }
                    }
                    return false;
                });
        return found[0];
    }

    /** The meta server's Raft port: its client port + 1 (see {@code cairn meta --peers}). */
    private static int raftPort(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)) + 1;
    }

    /** address -> state from {@code peer status --json}. */
    private static Map<String, String> nodeStates(String json) {
        Map<String, String> states = new LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\"address\":\"([^\"]+)\".*?\"state\":\"([a-z]+)\"").matcher(json);
        while (m.find()) {
            states.put(m.group(1), m.group(2));
        }
        return states;
    }
}
