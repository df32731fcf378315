package io.cairn.meta.locks;

import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.assertCode;
import static io.cairn.meta.NamespaceFixture.ok;
import static io.cairn.meta.locks.LockTableTest.client;
import static io.cairn.meta.locks.LockTableTest.lock;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.CairnException;
import io.cairn.meta.FixtureTest;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.FileLock;
import io.cairn.proto.GetLockRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.ReleaseLocksRequest;
import io.cairn.proto.SetLockRequest;
import io.cairn.proto.UnlinkRequest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The locks table through the log: conflicts change nothing, releases, and locks of removed files. */
class LockOpsTest extends FixtureTest {

    private MetaReply set(long inode, String lock) {
        return fx.apply(ROOT, MetaMutation.newBuilder().setSetLock(SetLockRequest.newBuilder()
                .setVolumeId(fx.vol()).setInode(inode).setLock(lock(lock))).build());
    }

    private Optional<String> get(long inode, String lock) throws CairnException {
        return LockOps.get(fx.store(), GetLockRequest.newBuilder().setVolumeId(fx.vol()).setInode(inode)
                .setLock(lock(lock)).build()).map(LockTableTest::text);
    }

    @Test
    void aConflictIsRefusedAndChangesNothing() throws CairnException {
        long f = fx.create(fx.root(), "f", 0644);
        ok(set(f, "a1:w:0-99"));
        String before = fx.digest();
        assertCode(set(f, "b1:r:50-50"), ErrorCode.LOCKED);
        assertThat(fx.digest()).isEqualTo(before);
        assertThat(get(f, "b1:r:50-50")).contains("a1:w:0-99");
        SetLockRequest wanted = SetLockRequest.newBuilder().setVolumeId(fx.vol()).setInode(f)
                .setLock(lock("b1:r:50-50")).build();
        assertThat(io.cairn.meta.NamespaceFixture.codeOf(() -> LockOps.precheck(fx.store(), wanted)))
                .as("the leader refuses it before the log").isEqualTo(ErrorCode.LOCKED);
        assertThat(io.cairn.meta.NamespaceFixture.codeOf(() -> LockOps.precheck(fx.store(),
                wanted.toBuilder().setLock(lock("b1:r:100-100")).build()))).isEqualTo(ErrorCode.OK);
        assertThat(get(f, "b1:r:100-200")).isEmpty();
        ok(set(f, "b1:r:100-200"));
        ok(set(f, "a1:u:0-*"));
        ok(set(f, "b1:w:0-*"));
        assertThat(LockOps.held(fx.store(), f)).extracting(LockTableTest::text).containsExactly("b1:w:0-*");
    }

    @Test
    void releasingAClientDropsItsLocksOnEveryFileAndNoOneElses() {
        long f = fx.create(fx.root(), "f", 0644);
        long g = fx.create(fx.root(), "g", 0644);
        ok(set(f, "a1:r:0-9"));
        ok(set(f, "b1:r:0-9"));
        ok(set(g, "a2:w:0-*"));
        assertThat(LockOps.holders(fx.store())).containsExactlyInAnyOrder(client('a'), client('b'));
        ok(fx.apply(ROOT, MetaMutation.newBuilder().setReleaseLocks(
                ReleaseLocksRequest.newBuilder().setClientId(client('a'))).build()));
        assertThat(LockOps.held(fx.store(), f)).extracting(LockTableTest::text).containsExactly("b1:r:0-9");
        assertThat(fx.store().get(Table.LOCKS, MetaSchema.u64(g))).as("an empty lock set leaves no row").isNull();
        ok(set(g, "b1:w:0-*"));
    }

    @Test
    void theLocksOfADestroyedFileGoWithIt() {
        long f = fx.create(fx.root(), "f", 0644);
        ok(set(f, "a1:w:0-*"));
        ok(fx.apply(ROOT, MetaMutation.newBuilder().setUnlink(UnlinkRequest.newBuilder()
                .setVolumeId(fx.vol()).setParent(fx.root()).setName("f")).build()));
        assertThat(fx.store().get(Table.LOCKS, MetaSchema.u64(f))).isNull();
        assertCode(set(f, "a1:w:0-*"), ErrorCode.NOT_FOUND);
    }

    @Test
    void badLocksAreRefused() {
        long f = fx.create(fx.root(), "f", 0644);
        FileLock backwards = lock("a1:w:10-9");
        assertCode(fx.apply(ROOT, MetaMutation.newBuilder().setSetLock(SetLockRequest.newBuilder()
                .setVolumeId(fx.vol()).setInode(f).setLock(backwards)).build()), ErrorCode.INVALID_ARGUMENT);
        FileLock noClient = lock("a1:w:0-9").toBuilder().clearClientId().build();
        assertCode(fx.apply(ROOT, MetaMutation.newBuilder().setSetLock(SetLockRequest.newBuilder()
                .setVolumeId(fx.vol()).setInode(f).setLock(noClient)).build()), ErrorCode.INVALID_ARGUMENT);
        assertCode(set(424242, "a1:w:0-9"), ErrorCode.NOT_FOUND);
        assertThat(LockOps.holders(fx.store())).isEmpty();
    }
}
