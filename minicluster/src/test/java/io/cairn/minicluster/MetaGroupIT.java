package io.cairn.minicluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.VolumeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/** The metadata Raft group on three real in-process peers. */
class MetaGroupIT {
    private MiniCluster cluster;

    @RegisterExtension
    final TestWatcher dumpOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (cluster != null) {
                System.err.println(cluster.summary());
            }
        }
    };

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void leaderKilledDuringStormLosesNothingAndAppliesNothingTwice() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).start();
        MetaClient admin = cluster.newMetaClient();
        VolumeInfo vol = Ops.volume(admin, "storm");
        int v = vol.getVolumeId();
        int clients = 4;
        int perClient = 150;
        List<Long> dirs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            dirs.add(Ops.mkdir(admin, v, vol.getRootInode(), "client" + i).getInode());
        }
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int ci = i;
            MetaClient c = cluster.newMetaClient();
            results.add(pool.submit(() -> {
                List<String> expected = new ArrayList<>();
                for (int k = 0; k < perClient; k++) {
                    String name = "f" + k;
                    try {
                        Ops.create(c, v, dirs.get(ci), name);
                        if (k % 3 == 0) {
                            Ops.rename(c, v, dirs.get(ci), name, name + ".renamed");
                            name = name + ".renamed";
                        }
                        expected.add(name);
                    } catch (CairnException e) {
                        failures.add(ci + "/" + name + ": " + e);
                    }
                    done.incrementAndGet();
                }
                return expected;
            }));
        }
        // Kill the leader once a third of the operations are through.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                .until(() -> done.get() >= clients * perClient / 3);
        int leader = cluster.leaderIndex();
        cluster.stopMeta(leader);
        killed.set(true);
        List<List<String>> expected = new ArrayList<>();
        for (Future<List<String>> f : results) {
            expected.add(f.get());
        }
        pool.shutdown();
        assertThat(killed).isTrue();
        // Retries across the leader change are deduplicated: no create saw ALREADY_EXISTS, no rename NOT_FOUND.
        assertThat(failures).isEmpty();
        cluster.startMeta(leader);
        for (int i = 0; i < clients; i++) {
            List<String> names = Ops.list(admin, v, dirs.get(i));
            assertThat(names).containsExactlyInAnyOrderElementsOf(expected.get(i));
        }
        cluster.waitForSameState(Duration.ofSeconds(60));
    }

    @Test
    void followerFarBehindCatchesUpBySnapshotInstall() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).snapshotEvery(400).logSegmentBytes(32 * 1024).start();
        MetaClient c = cluster.newMetaClient();
        VolumeInfo vol = Ops.volume(c, "catchup");
        int v = vol.getVolumeId();
        int leader = cluster.leaderIndex();
        int follower = (leader + 1) % 3;
        cluster.stopMeta(follower);
        long dir = Ops.mkdir(c, v, vol.getRootInode(), "many").getInode();
        for (int i = 0; i < 2000; i++) {
            Ops.create(c, v, dir, "file-" + i);
        }
        // Snapshot on the running peers so their logs are purged past what the follower has.
        for (int i = 0; i < 3; i++) {
            if (cluster.meta(i) != null) {
                cluster.meta(i).snapshotNow();
            }
        }
        for (int i = 2000; i < 2100; i++) {
            Ops.create(c, v, dir, "file-" + i);
        }
        for (int i = 0; i < 3; i++) {
            if (cluster.meta(i) != null) {
                cluster.meta(i).snapshotNow();
            }
        }
        cluster.startMeta(follower);
        cluster.waitForSameState(Duration.ofSeconds(90));
        assertThat(cluster.meta(follower).snapshotsInstalled()).as("caught up by snapshot, not by log").isPositive();
        assertThat(Ops.list(c, v, dir)).hasSize(2100);
        // It serves as leader with that state: stop the others' leadership by stopping them one by one.
        int old = cluster.leaderIndex();
        cluster.stopMeta(old);
        cluster.waitForLeader(Duration.ofSeconds(60));
        assertThat(Ops.list(c, v, dir)).hasSize(2100);
        cluster.startMeta(old);
        cluster.waitForSameState(Duration.ofSeconds(60));
    }

    @Test
    void wholeGroupRestartedFromDiskHasTheSameState() throws Exception {
        // Long node timeouts: no node state change may be logged while the group restarts.
        cluster = MiniCluster.builder().metaServers(3).snapshotEvery(300)
                .nodeTimeouts(Duration.ofHours(1), Duration.ofHours(2)).start();
        MetaClient c = cluster.newMetaClient();
        VolumeInfo vol = Ops.volume(c, "restart");
        int v = vol.getVolumeId();
        long dir = Ops.mkdir(c, v, vol.getRootInode(), "d").getInode();
        for (int i = 0; i < 700; i++) {
            Ops.create(c, v, dir, "f" + i);
        }
        cluster.waitForSameState(Duration.ofSeconds(30));
        Map<String, String> before = cluster.digests();
        for (int i = 0; i < 3; i++) {
            cluster.stopMeta(i);
        }
        for (int i = 0; i < 3; i++) {
            cluster.startMeta(i);
        }
        cluster.waitForLeader(Duration.ofSeconds(60));
        cluster.waitForSameState(Duration.ofSeconds(60));
        assertThat(Ops.list(c, v, dir)).hasSize(700);
        assertThat(before.values().stream().distinct()).hasSize(1);
        assertThat(cluster.digests()).isEqualTo(before);
        assertThat(Ops.lookup(c, v, dir, "f699").getInode()).isPositive();
    }

    @Test
    void badInputGetsTheRightErrorAndChangesNothing() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).nodeTimeouts(Duration.ofHours(1), Duration.ofHours(2)).start();
        MetaClient c = cluster.newMetaClient();
        VolumeInfo vol = Ops.volume(c, "bad");
        int v = vol.getVolumeId();
        long root = vol.getRootInode();
        Ops.mkdir(c, v, root, "exists");
        cluster.waitForSameState(Duration.ofSeconds(30));
        String before = cluster.digests().values().iterator().next();

        assertError(() -> Ops.create(c, v, root, "a/b"), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> Ops.create(c, v, root, "nul\0name"), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> Ops.create(c, v, root, "x".repeat(256)), ErrorCode.NAME_TOO_LONG);
        assertError(() -> Ops.create(c, v, 999_999, "orphan"), ErrorCode.NOT_FOUND);
        assertError(() -> Ops.mkdir(c, v, root, "exists"), ErrorCode.ALREADY_EXISTS);
        assertError(() -> Ops.create(c, 4242, root, "nowhere"), ErrorCode.NOT_FOUND);
        assertError(() -> c.mutate(Ops.ROOT, io.cairn.proto.MetaMutation.getDefaultInstance()), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> Ops.rename(c, v, root, "exists", "exists/inside"), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> Ops.rename(c, v, root, "missing", "other"), ErrorCode.NOT_FOUND);
        assertError(() -> c.mutate(Ops.ROOT, io.cairn.proto.MetaMutation.newBuilder().setCreateVolume(
                io.cairn.proto.CreateVolumeRequest.newBuilder().setName("bad").setSize(1).addBricks(
                        io.cairn.proto.BrickSpec.newBuilder().setNodeId(1).setPath("/elsewhere"))).build()),
                ErrorCode.ALREADY_EXISTS);
        assertError(() -> c.mutate(Ops.ROOT, io.cairn.proto.MetaMutation.newBuilder().setCreateVolume(
                io.cairn.proto.CreateVolumeRequest.newBuilder().setName("two").setSize(0).addBricks(
                        io.cairn.proto.BrickSpec.newBuilder().setNodeId(1).setPath("/elsewhere"))).build()),
                ErrorCode.INVALID_ARGUMENT);
        // A peer that does not use MetaClient: a client id of the wrong size, a request naming nothing.
        String leaderAddress = cluster.meta(cluster.leaderIndex()).config().clientAddress();
        io.grpc.ManagedChannel raw = io.grpc.ManagedChannelBuilder.forTarget(leaderAddress).usePlaintext().build();
        try {
            var stub = io.cairn.proto.MetaServiceGrpc.newBlockingStub(raw);
            var reply = stub.mutate(io.cairn.proto.MutateRequest.newBuilder()
                    .setClientId(com.google.protobuf.ByteString.copyFromUtf8("short")).setCallId(1)
                    .setMutation(io.cairn.proto.MetaMutation.newBuilder().setMkdir(io.cairn.proto.MkdirRequest.newBuilder()
                            .setVolumeId(v).setParent(root).setName("sneaky").setMode(0755))).build());
            assertThat(reply.getCode()).isEqualTo(io.cairn.proto.ErrorCode.INVALID_ARGUMENT);
            assertThat(reply.getMessage()).contains("client id");
            var anonymous = stub.mutate(io.cairn.proto.MutateRequest.newBuilder()
                    .setClientId(com.google.protobuf.ByteString.copyFrom(new byte[16])).setCallId(1)
                    .setMutation(io.cairn.proto.MetaMutation.newBuilder().setMkdir(io.cairn.proto.MkdirRequest.newBuilder()
                            .setVolumeId(v).setParent(root).setName("as-root?").setMode(0755))).build());
            assertThat(anonymous.getCode()).isEqualTo(io.cairn.proto.ErrorCode.INVALID_ARGUMENT);
            assertThat(anonymous.getMessage()).contains("credentials");
            var empty = stub.query(io.cairn.proto.QueryRequest.newBuilder()
                    .setCred(io.cairn.proto.Credentials.getDefaultInstance()).build());
            assertThat(empty.getCode()).isEqualTo(io.cairn.proto.ErrorCode.INVALID_ARGUMENT);
        } finally {
            raw.shutdownNow();
        }
        cluster.waitForSameState(Duration.ofSeconds(30));
        assertThat(cluster.digests().values()).containsOnly(before);
        c.mutate(Ops.ROOT, io.cairn.proto.MetaMutation.newBuilder().setSetVolumeState(
                io.cairn.proto.SetVolumeStateRequest.newBuilder().setName("bad")
                        .setState(io.cairn.proto.VolumeState.VOLUME_STOPPED)).build());
        assertError(() -> Ops.create(c, v, root, "stopped"), ErrorCode.VOLUME_NOT_STARTED);
        c.mutate(Ops.ROOT, io.cairn.proto.MetaMutation.newBuilder().setSetVolumeState(
                io.cairn.proto.SetVolumeStateRequest.newBuilder().setName("bad")
                        .setState(io.cairn.proto.VolumeState.VOLUME_STARTED)).build());
        assertThat(Ops.list(c, v, root)).containsExactly("exists");
        cluster.waitForSameState(Duration.ofSeconds(30));
    }

    interface Call {
        void run() throws Exception;
    }

    private static void assertError(Call call, ErrorCode code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }
}
