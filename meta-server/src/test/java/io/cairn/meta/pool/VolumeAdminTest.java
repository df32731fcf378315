package io.cairn.meta.pool;

import static io.cairn.meta.ErrnoCase.row;
import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.anonymous;
import static io.cairn.meta.NamespaceFixture.codeOf;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.ErrnoCase;
import io.cairn.meta.FixtureTest;
import io.cairn.meta.NamespaceFixture;
import io.cairn.meta.namespace.FileMode;
import io.cairn.meta.namespace.Inodes;
import io.cairn.meta.store.Records;
import io.cairn.proto.AddNodeRequest;
import io.cairn.proto.BrickInfo;
import io.cairn.proto.BrickSpec;
import io.cairn.proto.BrickUsage;
import io.cairn.proto.CreateVolumeRequest;
import io.cairn.proto.DeleteVolumeRequest;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.HeartbeatRequest;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.SetVolumeOptionRequest;
import io.cairn.proto.SetVolumeStateRequest;
import io.cairn.proto.StatFsResult;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Volume administration: create with its validation, start/stop/delete, options and statfs.
 * The fixture's pool has nodes 1-3 and the started volume "vol" with bricks /data/vol on each.
 */
class VolumeAdminTest extends FixtureTest {

    static BrickSpec brick(long node, String path) {
        return BrickSpec.newBuilder().setNodeId(node).setPath(path).build();
    }

    /** A valid request: replica 3 on nodes 1-3 at /new; {@code change} makes it what a case needs. */
    static MetaMutation create(UnaryOperator<CreateVolumeRequest.Builder> change) {
        CreateVolumeRequest.Builder b = CreateVolumeRequest.newBuilder().setName("new").setSize(3).setUuid("uuid-new")
                .addBricks(brick(1, "/new")).addBricks(brick(2, "/new")).addBricks(brick(3, "/new"));
        return MetaMutation.newBuilder().setCreateVolume(change.apply(b)).build();
    }

    static MetaMutation state(String name, VolumeState s) {
        return MetaMutation.newBuilder().setSetVolumeState(SetVolumeStateRequest.newBuilder().setName(name).setState(s)).build();
    }

    static MetaMutation delete(String name) {
        return MetaMutation.newBuilder().setDeleteVolume(DeleteVolumeRequest.newBuilder().setName(name)).build();
    }

    static MetaMutation option(String name, String key, String value) {
        return MetaMutation.newBuilder().setSetVolumeOption(SetVolumeOptionRequest.newBuilder()
                .setName(name).setKey(key).setValue(value)).build();
    }

    static MetaMutation addNode(String uuid, String address) {
        return MetaMutation.newBuilder().setAddNode(AddNodeRequest.newBuilder().setUuid(uuid).setAddress(address)).build();
    }

    static Arguments admin(String name, ErrorCode expected, MetaMutation m) {
        return row(name, expected, fx -> () -> fx.apply(ROOT, m));
    }

    static Stream<Arguments> createCases() {
        ErrorCode inval = ErrorCode.INVALID_ARGUMENT;
        return Stream.of(
                admin("empty name", inval, create(b -> b.setName(""))),
                admin("name starting with '-'", inval, create(b -> b.setName("-x"))),
                admin("name starting with '.'", inval, create(b -> b.setName(".x"))),
                admin("name starting with '_'", inval, create(b -> b.setName("_x"))),
                admin("name with a space", inval, create(b -> b.setName("a b"))),
                admin("name with a slash", inval, create(b -> b.setName("a/b"))),
                admin("name with a colon", inval, create(b -> b.setName("a:b"))),
                admin("non-ASCII name", inval, create(b -> b.setName("tôme"))),
                admin("65-character name", inval, create(b -> b.setName("v".repeat(65)))),
                admin("name of an existing volume", ErrorCode.ALREADY_EXISTS, create(b -> b.setName("vol"))),
                admin("replica 0", inval, create(b -> b.setSize(0))),
                admin("replica 17", inval, create(b -> b.setSize(17))),
                admin("replica 4 on 3 bricks", inval, create(b -> b.setSize(4))),
                admin("replica 2 without bricks", inval, create(b -> b.setSize(2).clearBricks())),
                admin("min-size over replica", inval, create(b -> b.setMinSize(4))),
                admin("chunk-size 1000", inval, create(b -> b.setChunkSize(1000))),
                admin("chunk-size 32 KiB", inval, create(b -> b.setChunkSize(32 << 10))),
                admin("chunk-size 64 KiB - 1", inval, create(b -> b.setChunkSize((64 << 10) - 1))),
                admin("chunk-size 64 KiB + 1", inval, create(b -> b.setChunkSize((64 << 10) + 1))),
                admin("chunk-size 96 KiB", inval, create(b -> b.setChunkSize(96 << 10))),
                admin("chunk-size 1 GiB + 64 KiB", inval, create(b -> b.setChunkSize((1L << 30) + (64 << 10)))),
                admin("chunk-size 2 GiB", inval, create(b -> b.setChunkSize(2L << 30))),
                admin("relative brick path", inval, create(b -> b.setBricks(0, brick(1, "data/b")))),
                admin("brick path './b'", inval, create(b -> b.setBricks(0, brick(1, "./b")))),
                admin("brick path with '..'", inval, create(b -> b.setBricks(0, brick(1, "/data/../b")))),
                admin("brick path with '.'", inval, create(b -> b.setBricks(0, brick(1, "/data/./b")))),
                admin("brick path with '//'", inval, create(b -> b.setBricks(0, brick(1, "/data//b")))),
                admin("brick path '/'", inval, create(b -> b.setBricks(0, brick(1, "/")))),
                admin("empty brick path", inval, create(b -> b.setBricks(0, brick(1, "")))),
                admin("brick path with NUL", inval, create(b -> b.setBricks(0, brick(1, "/a\0b")))),
                admin("brick path over 4096 bytes", inval, create(b -> b.setBricks(0, brick(1, "/" + "p".repeat(4096))))),
                admin("one brick named twice", inval, create(b -> b.setSize(2).clearBricks()
                        .addBricks(brick(1, "/x")).addBricks(brick(1, "/x")).addBricks(brick(2, "/x")))),
                admin("one brick named twice, once with a trailing slash", inval, create(b -> b.setSize(2).clearBricks()
                        .addBricks(brick(1, "/x")).addBricks(brick(1, "/x/")).addBricks(brick(2, "/x")))),
                admin("a brick nested in another of the same volume", inval, create(b -> b.setSize(2).clearBricks()
                        .addBricks(brick(1, "/x")).addBricks(brick(1, "/x/y")).addBricks(brick(2, "/x")))),
                admin("a brick around another of the same volume", inval, create(b -> b.setSize(2).clearBricks()
                        .addBricks(brick(1, "/x/y")).addBricks(brick(1, "/x")).addBricks(brick(2, "/x")))),
                admin("a brick of another volume", ErrorCode.ALREADY_EXISTS, create(b -> b.setBricks(0, brick(1, "/data/vol")))),
                admin("a brick of another volume with a trailing slash", ErrorCode.ALREADY_EXISTS,
                        create(b -> b.setBricks(0, brick(1, "/data/vol/")))),
                admin("a brick inside another volume's brick", ErrorCode.ALREADY_EXISTS,
                        create(b -> b.setBricks(1, brick(2, "/data/vol/sub")))),
                admin("a brick around another volume's brick", ErrorCode.ALREADY_EXISTS,
                        create(b -> b.setBricks(2, brick(3, "/data")))),
                admin("a brick on a node not in the pool", ErrorCode.NOT_FOUND, create(b -> b.setBricks(0, brick(99, "/new")))),
                admin("replica 2 with both bricks on one node", inval, create(b -> b.setSize(2).clearBricks()
                        .addBricks(brick(1, "/a")).addBricks(brick(1, "/b")))),
                admin("replica 3 on two nodes", inval, create(b -> b.setBricks(2, brick(2, "/other")))),
                admin("an unknown option", inval, create(b -> b.putOptions("frobnicate", "yes"))),
                admin("a bad option value", inval, create(b -> b.putOptions("durability", "sometimes"))),
                // the neighbours that work
                admin("a one-letter name", ErrorCode.OK, create(b -> b.setName("a"))),
                admin("letters, digits, '.', '_' and '-'", ErrorCode.OK, create(b -> b.setName("Vol.2_b-c"))),
                admin("a 64-character name", ErrorCode.OK, create(b -> b.setName("v".repeat(64)))),
                admin("a name starting with a digit", ErrorCode.OK, create(b -> b.setName("9lives"))),
                admin("names are case-sensitive", ErrorCode.OK, create(b -> b.setName("VOL"))),
                admin("replica 1 on one brick", ErrorCode.OK, create(b -> b.setSize(1).clearBricks().addBricks(brick(1, "/one")))),
                admin("more bricks than replicas", ErrorCode.OK, create(b -> b.addBricks(brick(1, "/new2")))),
                admin("min-size equal to replica", ErrorCode.OK, create(b -> b.setMinSize(3))),
                admin("min-size 1", ErrorCode.OK, create(b -> b.setMinSize(1))),
                admin("chunk-size 64 KiB", ErrorCode.OK, create(b -> b.setChunkSize(64 << 10))),
                admin("chunk-size 192 KiB", ErrorCode.OK, create(b -> b.setChunkSize(192 << 10))),
                admin("chunk-size 1 GiB", ErrorCode.OK, create(b -> b.setChunkSize(1L << 30))),
                admin("a sibling of another volume's brick with a common prefix", ErrorCode.OK,
                        create(b -> b.setBricks(0, brick(1, "/data/volume")))),
                admin("another volume's path on another node", ErrorCode.OK, create(b -> b.setBricks(0, brick(1, "/data/vol2")))),
                admin("one path on three nodes", ErrorCode.OK, create(b -> b)),
                admin("replica 2 on one node with force", ErrorCode.OK, create(b -> b.setSize(2).setForce(true).clearBricks()
                        .addBricks(brick(1, "/a")).addBricks(brick(1, "/b")))),
                admin("a known option", ErrorCode.OK, create(b -> b.putOptions("durability", "always"))));
    }

    @ParameterizedTest(name = "create volume: {0} -> {1}")
    @MethodSource("createCases")
    void createVolume(ErrnoCase c, ErrorCode expected) {
        ErrnoCase.check(fx, c, expected);
    }

    @Test
    void replica16WithForceOnThreeNodes() {
        CreateVolumeRequest.Builder b = CreateVolumeRequest.newBuilder().setName("wide").setSize(16).setForce(true);
        for (int i = 0; i < 16; i++) {
            b.addBricks(brick(1 + i % 3, "/wide/" + i));
        }
        VolumeInfo v = ok(fx.apply(ROOT, MetaMutation.newBuilder().setCreateVolume(b).build())).getVolume();
        assertThat(v.getSize()).isEqualTo(16);
        assertThat(v.getMinSize()).isEqualTo(8);
        assertThat(v.getBricksList()).hasSize(16);
        assertThat(v.getOptionsMap()).containsEntry(VolumeOptions.ALLOW_SAME_NODE, "on");
    }

    @ParameterizedTest(name = "replica {0} defaults min-size to {1}")
    @CsvSource({"1, 1", "2, 1", "3, 2", "4, 2", "5, 3", "6, 3", "16, 8"})
    void defaultMinSize(int size, int minSize) {
        assertThat(VolumeOps.minSizeDefault(size)).isEqualTo(minSize);
        CreateVolumeRequest.Builder b = CreateVolumeRequest.newBuilder().setName("r" + size).setSize(size).setForce(true);
        for (int i = 0; i < size; i++) {
            b.addBricks(brick(1 + i % 3, "/r" + size + "/" + i));
        }
        assertThat(ok(fx.apply(ROOT, MetaMutation.newBuilder().setCreateVolume(b).build())).getVolume().getMinSize())
                .isEqualTo(minSize);
    }

    @Test
    void createdVolumeDescribesItself() {
        VolumeInfo v = ok(fx.apply(ROOT, create(b -> b.setBricks(2, brick(3, "/new/")).putOptions("durability", "always"))))
                .getVolume();
        assertThat(v.getName()).isEqualTo("new");
        assertThat(v.getVolumeId()).isEqualTo(fx.vol() + 1);
        assertThat(v.getState()).isEqualTo(VolumeState.VOLUME_CREATED);
        assertThat(v.getSize()).isEqualTo(3);
        assertThat(v.getMinSize()).isEqualTo(2);
        assertThat(v.getChunkSize()).isEqualTo(VolumeOps.DEFAULT_CHUNK_SIZE);
        assertThat(v.getUuid()).isEqualTo("uuid-new");
        assertThat(v.getOptionsMap()).isEqualTo(Map.of("durability", "always", "allow-same-node", "off", "inline-size", "64KiB"));
        assertThat(v.getBricksList()).extracting(BrickInfo::getNodeId).containsExactly(1L, 2L, 3L);
        assertThat(v.getBricksList()).extracting(BrickInfo::getPath).containsExactly("/new", "/new", "/new");
        assertThat(v.getBricksList()).extracting(BrickInfo::getAddress)
                .containsExactly("10.0.0.1:7100", "10.0.0.2:7100", "10.0.0.3:7100");
        assertThat(v.getBricksList()).extracting(BrickInfo::getBrickId).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(fx.bricks());
        assertThat(VolumeOps.list(fx.store(), null)).extracting(VolumeInfo::getName).containsExactly("vol", "new");
        // its root directory exists, root-owned 0755, but the volume is not started yet
        InodeAttr root = Inodes.toAttr(v.getRootInode(), fx.record(v.getRootInode()));
        assertThat(root.getMode()).isEqualTo(FileMode.S_IFDIR | 0755);
        assertThat(root.getNlink()).isEqualTo(2);
        assertThat(fx.record(v.getRootInode()).getVolumeId()).isEqualTo(v.getVolumeId());
    }

    @ParameterizedTest(name = "{0}, then {1} -> {2}")
    @CsvSource({
            "created, start,   OK",
            "created, stop,    INVALID_ARGUMENT",
            "created, delete,  OK",
            "created, unset,   INVALID_ARGUMENT",
            "created, created, INVALID_ARGUMENT",
            "started, start,   INVALID_ARGUMENT",
            "started, stop,    OK",
            "started, delete,  BUSY",
            "started, unset,   INVALID_ARGUMENT",
            "stopped, start,   OK",
            "stopped, stop,    INVALID_ARGUMENT",
            "stopped, delete,  OK",
    })
    void lifecycle(String initial, String action, ErrorCode expected) {
        ok(fx.apply(ROOT, create(b -> b)));
        if (!initial.equals("created")) {
            ok(fx.apply(ROOT, state("new", VolumeState.VOLUME_STARTED)));
        }
        if (initial.equals("stopped")) {
            ok(fx.apply(ROOT, state("new", VolumeState.VOLUME_STOPPED)));
        }
        MetaMutation m = switch (action) {
            case "start" -> state("new", VolumeState.VOLUME_STARTED);
            case "stop" -> state("new", VolumeState.VOLUME_STOPPED);
            case "delete" -> delete("new");
            case "created" -> state("new", VolumeState.VOLUME_CREATED);
            default -> state("new", VolumeState.VOLUME_STATE_UNSPECIFIED);
        };
        MetaReply r = ErrnoCase.check(fx, x -> () -> x.apply(ROOT, m), expected);
        if (expected == ErrorCode.OK && !action.equals("delete")) {
            assertThat(r.getVolume().getState()).isEqualTo(action.equals("start")
                    ? VolumeState.VOLUME_STARTED : VolumeState.VOLUME_STOPPED);
        }
        if (expected == ErrorCode.BUSY) {
            assertThat(r.getMessage()).contains("stop");
        }
    }

    @ParameterizedTest(name = "{0} on an unknown volume -> NOT_FOUND")
    @ValueSource(strings = {"start", "stop", "delete", "option"})
    void unknownVolume(String action) {
        MetaMutation m = switch (action) {
            case "start" -> state("nope", VolumeState.VOLUME_STARTED);
            case "stop" -> state("nope", VolumeState.VOLUME_STOPPED);
            case "delete" -> delete("nope");
            default -> option("nope", "durability", "always");
        };
        ErrnoCase.check(fx, x -> () -> x.apply(ROOT, m), ErrorCode.NOT_FOUND);
    }

    @Test
    void deleteRemovesTheNamespaceAndFreesTheBricks() {
        VolumeInfo v = fx.createVolume("doomed", "/doomed");
        var c = fx.asRoot().in(v.getVolumeId());
        long d = ok(c.mkdir(v.getRootInode(), "d", 0755)).getAttr().getInode();
        long f = ok(c.create(d, "f", 0644)).getAttr().getInode();
        ok(c.link(f, v.getRootInode(), "f2"));
        ok(c.setXattr(f, "user.k", "v"));
        long chunk = ok(c.allocate(f, 0, v.getBricks(0).getBrickId())).getChunk().getChunkId();
        ok(c.allocate(f, 4, v.getBricks(1).getBrickId()));
        ok(fx.setVolumeState("doomed", VolumeState.VOLUME_STOPPED));

        ok(fx.apply(ROOT, delete("doomed")));

        assertThat(VolumeOps.find(fx.store(), "doomed")).isZero();
        for (long ino : new long[] {v.getRootInode(), d, f}) {
            assertThat(fx.record(ino)).isNull();
            assertThat(fx.hasXattrRows(ino)).isFalse();
        }
        assertThat(fx.garbage()).hasSize(2).contains(chunk);
        for (BrickInfo b : v.getBricksList()) {
            assertThat(Records.brick(fx.store(), b.getBrickId())).isNull();
        }
        // every dentry of the volume is gone (fsck after the test checks for orphans), and its
        // brick paths may be used again
        ok(fx.apply(ROOT, create(b -> b.setName("reborn").clearBricks()
                .addBricks(brick(1, "/doomed")).addBricks(brick(2, "/doomed")).addBricks(brick(3, "/doomed")))));
        // the first volume is untouched
        assertThat(fx.names(fx.root())).isEmpty();
    }

    @Test
    void deleteOfANeverStartedVolume() {
        ok(fx.apply(ROOT, create(b -> b)));
        ok(fx.apply(ROOT, delete("new")));
        assertThat(VolumeOps.find(fx.store(), "new")).isZero();
        ok(fx.apply(ROOT, create(b -> b)));
    }

    @ParameterizedTest(name = "set {0}={1} -> {2}")
    @CsvSource({
            "durability,      always,            OK",
            "durability,      fsync-on-request,  OK",
            "durability,      never,             INVALID_ARGUMENT",
            "durability,      '',                INVALID_ARGUMENT",
            "allow-same-node, on,                OK",
            "allow-same-node, off,               OK",
            "allow-same-node, yes,               INVALID_ARGUMENT",
            "inline-size,     0,                 OK",
            "inline-size,     4096,              OK",
            "inline-size,     64KiB,             OK",
            "inline-size,     1MiB,              OK",
            "inline-size,     1025KiB,           INVALID_ARGUMENT",
            "inline-size,     -1,                INVALID_ARGUMENT",
            "inline-size,     big,               INVALID_ARGUMENT",
            "inline-size,     '',                INVALID_ARGUMENT",
            "min-size,        1,                 OK",
            "min-size,        3,                 OK",
            "min-size,        0,                 INVALID_ARGUMENT",
            "min-size,        4,                 INVALID_ARGUMENT",
            "min-size,        -1,                INVALID_ARGUMENT",
            "min-size,        two,               INVALID_ARGUMENT",
            "min-size,        '',                INVALID_ARGUMENT",
            "frobnicate,      on,                INVALID_ARGUMENT",
            "'',              '',                INVALID_ARGUMENT",
            "Durability,      always,            INVALID_ARGUMENT",
    })
    void setOption(String key, String value, ErrorCode expected) {
        MetaReply r = ErrnoCase.check(fx, x -> () -> x.apply(ROOT, option("vol", key, value)), expected);
        if (expected == ErrorCode.OK) {
            if (key.equals("min-size")) {
                assertThat(r.getVolume().getMinSize()).isEqualTo(Integer.parseInt(value));
            } else {
                assertThat(r.getVolume().getOptionsMap()).containsEntry(key, value);
            }
        } else {
            assertThat(r.getMessage()).isNotBlank();
        }
    }

    @Test
    void optionsShowTheirDefaults() {
        VolumeInfo v = VolumeOps.list(fx.store(), null).get(0);
        assertThat(v.getOptionsMap()).isEqualTo(Map.of("durability", "fsync-on-request", "allow-same-node", "off", "inline-size", "64KiB"));
    }

    @Test
    void statFsDividesBrickSpaceByTheReplicaCount() throws Exception {
        MutableClock clock = new MutableClock();
        NodeLiveness live = new NodeLiveness(clock, Duration.ofSeconds(10));
        for (long node = 1; node <= 2; node++) {
            live.heartbeat(node, HeartbeatRequest.newBuilder().addBricks(BrickUsage.newBuilder()
                    .setPath("/data/vol").setCapacityBytes(300L << 30).setFreeBytes(120L << 30)).build());
        }
        fx.create(fx.root(), "a", 0644);
        fx.mkdir(fx.root(), "b", 0755);
        StatFsResult s = VolumeOps.statFs(fx.store(), live, fx.vol());
        assertThat(s.getTotalBytes()).isEqualTo((600L << 30) / 3);
        assertThat(s.getFreeBytes()).isEqualTo((240L << 30) / 3);
        assertThat(s.getFiles()).isEqualTo(3);
        assertThat(s.getNameMax()).isEqualTo(255);
        assertThat(s.getBlockSize()).isEqualTo(4096);
        assertThat(s.getFilesFree()).isPositive();
        assertThat(codeOf(() -> VolumeOps.statFs(fx.store(), live, 99))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void volumeInfoCarriesBrickUsageFromHeartbeats() {
        NodeLiveness live = new NodeLiveness(new MutableClock(), Duration.ofSeconds(10));
        live.heartbeat(2, HeartbeatRequest.newBuilder().addBricks(BrickUsage.newBuilder()
                .setPath("/data/vol").setCapacityBytes(1000).setFreeBytes(400)).build());
        VolumeInfo v = VolumeOps.list(fx.store(), live).get(0);
        assertThat(v.getBricksList()).extracting(BrickInfo::getFreeBytes).containsExactly(0L, 400L, 0L);
        assertThat(v.getBricksList()).extracting(BrickInfo::getCapacityBytes).containsExactly(0L, 1000L, 0L);
    }

    /** With the store's own digest: a failed admin call changes nothing but the applied index. */
    @Test
    void failedAdminCallsLeaveTheDigestAlone() {
        List<MetaMutation> failing = List.of(
                create(b -> b.setName("vol")),
                create(b -> b.setSize(17)),
                create(b -> b.setBricks(0, brick(1, "/data/vol/inner"))),
                state("vol", VolumeState.VOLUME_STARTED),
                delete("vol"),
                option("vol", "nope", "x"),
                addNode("node-1", "not an address"),
                addNode("node-new", "10.0.0.2:7100"));
        try (NamespaceFixture a = NamespaceFixture.openTemp(); NamespaceFixture b = NamespaceFixture.openTemp()) {
            for (MetaMutation m : failing) {
                MetaReply r = a.applyEntry(List.of(anonymous(ROOT, m))).getReplies(0);
                assertThat(r.getCode()).isNotEqualTo(ErrorCode.OK);
                b.applyEntry(List.of());
                assertThat(a.digest()).as("after %s", r.getMessage()).isEqualTo(b.digest());
            }
        }
    }

    static final class MutableClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }
    }
}
