package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.codeOf;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.CairnException;
import io.cairn.meta.Caller;
import io.cairn.meta.FixtureTest;
import io.cairn.meta.NamespaceFixture;
import io.cairn.meta.pool.NodeLiveness;
import io.cairn.meta.pool.VolumeOps;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every namespace call names a volume: a stopped or never-started volume answers
 * VOLUME_NOT_STARTED, an unknown one NOT_FOUND, and an inode of another volume is not found.
 */
class VolumeScopeTest extends FixtureTest {
    static final int UNKNOWN_VOLUME = 99;

    /** d/ holding f (with an xattr and a chunk), sub/ and a symlink s -> f. */
    record Tree(long d, long f, long sub, long s) {
        static Tree build(NamespaceFixture fx) {
            long d = fx.mkdir(fx.root(), "d", 0755);
            long f = fx.create(d, "f", 0644);
            long sub = fx.mkdir(d, "sub", 0755);
            long s = fx.symlink(d, "s", "f");
            ok(fx.asRoot().setXattr(f, "user.k", "v"));
            ok(fx.asRoot().allocate(f, 0, fx.bricks().get(0)));
            return new Tree(d, f, sub, s);
        }
    }

    interface TreeOp {
        MetaReply run(NamespaceFixture fx, Caller c, Tree t);
    }

    interface TreeQuery {
        void run(NamespaceFixture fx, Caller c, Tree t) throws CairnException;
    }

    static Arguments op(String name, TreeOp op) {
        return Arguments.of(Named.of(name, op));
    }

    static Arguments query(String name, TreeQuery q) {
        return Arguments.of(Named.of(name, q));
    }

    static Stream<Arguments> mutations() {
        return Stream.of(
                op("create", (fx, c, t) -> c.create(t.d(), "new", 0644)),
                op("mknod fifo", (fx, c, t) -> c.mknod(t.d(), "new", FileMode.S_IFIFO | 0644, 0, false)),
                op("mkdir", (fx, c, t) -> c.mkdir(t.d(), "new", 0755)),
                op("symlink", (fx, c, t) -> c.symlink(t.d(), "new", "f")),
                op("link", (fx, c, t) -> c.link(t.f(), t.d(), "new")),
                op("unlink", (fx, c, t) -> c.unlink(t.d(), "f")),
                op("rmdir", (fx, c, t) -> c.rmdir(t.d(), "sub")),
                op("rename", (fx, c, t) -> c.rename(t.d(), "f", t.d(), "g")),
                op("rename exchange", (fx, c, t) -> c.rename(t.d(), "f", t.d(), "sub", RenameOp.EXCHANGE)),
                op("chmod", (fx, c, t) -> c.chmod(t.f(), 0600)),
                op("chown", (fx, c, t) -> c.chown(t.f(), 1, 1)),
                op("truncate", (fx, c, t) -> c.truncate(t.f(), 5)),
                op("utimens", (fx, c, t) -> c.setAttr(t.f(), b -> b.setSetMtime(true).setMtimeNs(1))),
                op("setxattr", (fx, c, t) -> c.setXattr(t.f(), "user.new", "v")),
                op("removexattr", (fx, c, t) -> c.removeXattr(t.f(), "user.k")),
                op("allocate chunk", (fx, c, t) -> c.allocate(t.f(), 1, fx.bricks().get(1))),
                op("commit write", (fx, c, t) -> c.commitWrite(t.f(), 10, 0,
                        ChunkLength.newBuilder().setIndex(0).setLength(10).build())));
    }

    static Stream<Arguments> queries() {
        return Stream.of(
                query("lookup", (fx, c, t) -> c.lookup(t.d(), "f")),
                query("getattr", (fx, c, t) -> c.getAttr(t.f())),
                query("readdir", (fx, c, t) -> c.readDir(t.d(), "", 0, true)),
                query("readlink", (fx, c, t) -> c.readLink(t.s())),
                query("access", (fx, c, t) -> c.access(t.f(), Permissions.R)),
                query("getxattr", (fx, c, t) -> c.getXattr(t.f(), "user.k")),
                query("listxattr", (fx, c, t) -> c.listXattrs(t.f())),
                query("get chunks", (fx, c, t) -> c.getChunks(t.f(), 0, 10)));
    }

    @ParameterizedTest(name = "{0} works on a started volume")
    @MethodSource("mutations")
    void mutationWorksWhenStarted(TreeOp op) {
        Tree t = Tree.build(fx);
        ok(op.run(fx, fx.asRoot(), t));
    }

    @ParameterizedTest(name = "{0} on a stopped volume -> VOLUME_NOT_STARTED")
    @MethodSource("mutations")
    void mutationOnStoppedVolume(TreeOp op) {
        Tree t = Tree.build(fx);
        ok(fx.setVolumeState("vol", VolumeState.VOLUME_STOPPED));
        String before = fx.stateDigest();
        MetaReply r = op.run(fx, fx.asRoot(), t);
        NamespaceFixture.assertCode(r, ErrorCode.VOLUME_NOT_STARTED);
        assertThat(r.getMessage()).contains("vol").contains("start");
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} works again after the volume is restarted")
    @MethodSource("mutations")
    void mutationAfterRestart(TreeOp op) {
        Tree t = Tree.build(fx);
        ok(fx.setVolumeState("vol", VolumeState.VOLUME_STOPPED));
        ok(fx.setVolumeState("vol", VolumeState.VOLUME_STARTED));
        ok(op.run(fx, fx.asRoot(), t));
    }

    @ParameterizedTest(name = "{0} naming an unknown volume id -> NOT_FOUND")
    @MethodSource("mutations")
    void mutationOnUnknownVolume(TreeOp op) {
        Tree t = Tree.build(fx);
        String before = fx.stateDigest();
        NamespaceFixture.assertCode(op.run(fx, fx.asRoot().in(UNKNOWN_VOLUME), t), ErrorCode.NOT_FOUND);
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} naming inodes of another volume -> NOT_FOUND")
    @MethodSource("mutations")
    void mutationAcrossVolumes(TreeOp op) {
        Tree t = Tree.build(fx);
        VolumeInfo other = fx.createVolume("other", "/data/other");
        String before = fx.stateDigest();
        NamespaceFixture.assertCode(op.run(fx, fx.asRoot().in(other.getVolumeId()), t), ErrorCode.NOT_FOUND);
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} works on a started volume")
    @MethodSource("queries")
    void queryWorksWhenStarted(TreeQuery q) {
        Tree t = Tree.build(fx);
        assertThat(codeOf(() -> q.run(fx, fx.asRoot(), t))).isEqualTo(ErrorCode.OK);
    }

    @ParameterizedTest(name = "{0} on a stopped volume -> VOLUME_NOT_STARTED")
    @MethodSource("queries")
    void queryOnStoppedVolume(TreeQuery q) {
        Tree t = Tree.build(fx);
        ok(fx.setVolumeState("vol", VolumeState.VOLUME_STOPPED));
        assertThat(codeOf(() -> q.run(fx, fx.asRoot(), t))).isEqualTo(ErrorCode.VOLUME_NOT_STARTED);
    }

    @ParameterizedTest(name = "{0} naming an unknown volume id -> NOT_FOUND")
    @MethodSource("queries")
    void queryOnUnknownVolume(TreeQuery q) {
        Tree t = Tree.build(fx);
        assertThat(codeOf(() -> q.run(fx, fx.asRoot().in(UNKNOWN_VOLUME), t))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @ParameterizedTest(name = "{0} naming inodes of another volume -> NOT_FOUND")
    @MethodSource("queries")
    void queryAcrossVolumes(TreeQuery q) {
        Tree t = Tree.build(fx);
        VolumeInfo other = fx.createVolume("other", "/data/other");
        assertThat(codeOf(() -> q.run(fx, fx.asRoot().in(other.getVolumeId()), t))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aVolumeNeverStartedRefusesNamespaceCalls() {
        VolumeInfo other = fx.createVolumeStopped("fresh", "/data/fresh");
        Caller c = fx.asRoot().in(other.getVolumeId());
        NamespaceFixture.assertCode(c.mkdir(other.getRootInode(), "d", 0755), ErrorCode.VOLUME_NOT_STARTED);
        assertThat(codeOf(() -> c.readDir(other.getRootInode(), "", 0, false))).isEqualTo(ErrorCode.VOLUME_NOT_STARTED);
        assertThat(codeOf(() -> VolumeOps.statFs(fx.store(), new NodeLiveness(Clock.systemUTC(), Duration.ofSeconds(5)),
                other.getVolumeId()))).isEqualTo(ErrorCode.VOLUME_NOT_STARTED);
    }

    @Test
    void linkAndRenameCannotCrossVolumes() {
        VolumeInfo other = fx.createVolume("other", "/data/other");
        long otherRoot = other.getRootInode();
        long f = fx.create(fx.root(), "f", 0644);
        long g = ok(fx.asRoot().in(other.getVolumeId()).create(otherRoot, "g", 0644)).getAttr().getInode();
        String before = fx.stateDigest();
        NamespaceFixture.assertCode(fx.asRoot().link(f, otherRoot, "f"), ErrorCode.NOT_FOUND);
        NamespaceFixture.assertCode(fx.asRoot().link(g, fx.root(), "g"), ErrorCode.NOT_FOUND);
        NamespaceFixture.assertCode(fx.asRoot().in(other.getVolumeId()).link(f, otherRoot, "f"), ErrorCode.NOT_FOUND);
        NamespaceFixture.assertCode(fx.asRoot().rename(fx.root(), "f", otherRoot, "f"), ErrorCode.NOT_FOUND);
        NamespaceFixture.assertCode(fx.asRoot().in(other.getVolumeId()).rename(otherRoot, "g", fx.root(), "g"),
                ErrorCode.NOT_FOUND);
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @Test
    void inodeNumbersAreUniqueAcrossVolumes() {
        VolumeInfo other = fx.createVolume("other", "/data/other");
        long a = fx.create(fx.root(), "a", 0644);
        long b = ok(fx.asRoot().in(other.getVolumeId()).create(other.getRootInode(), "a", 0644)).getAttr().getInode();
        assertThat(a).isNotEqualTo(b);
        assertThat(other.getRootInode()).isNotEqualTo(fx.root()).isNotIn(a, b);
        assertThat(fx.record(b).getVolumeId()).isEqualTo(other.getVolumeId());
        // the same name in two volumes are two files
        assertThat(fx.lookup(fx.root(), "a")).isEqualTo(a);
        assertThat(fx.apply(ROOT, MetaMutation.getDefaultInstance()).getCode())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
