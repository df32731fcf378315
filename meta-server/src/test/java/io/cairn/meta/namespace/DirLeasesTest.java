package io.cairn.meta.namespace;

import static io.cairn.meta.NamespaceFixture.ALICE;
import static io.cairn.meta.NamespaceFixture.CLIENT;
import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.assertCode;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.meta.FixtureTest;
import io.cairn.meta.NamespaceFixture;
import io.cairn.proto.AcquireLeaseRequest;
import io.cairn.proto.BatchOp;
import io.cairn.proto.BatchRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.ReleaseLeaseRequest;
import io.cairn.proto.ReleaseLocksRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Directory leases at apply: an exclusive one guards the directory against every other client, shared ones against changes. */
class DirLeasesTest extends FixtureTest {
    private static final ByteString OTHER = ByteString.copyFrom(new byte[] {
            9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
    private long call = 1_000_000;

    private MetaReply as(ByteString client, Credentials cred, MetaMutation m) {
        return fx.applyEntry(List.of(NamespaceFixture.logged(client, ++call, cred, m))).getReplies(0);
    }

    private MetaMutation acquire(long dir) {
        return MetaMutation.newBuilder().setAcquireLease(AcquireLeaseRequest.newBuilder().setVolumeId(fx.vol()).setInode(dir)).build();
    }

    private MetaMutation share(long dir) {
        return MetaMutation.newBuilder().setAcquireLease(AcquireLeaseRequest.newBuilder().setVolumeId(fx.vol()).setInode(dir)
                .setShared(true)).build();
    }

    private static ByteString client(int n) {
        byte[] id = new byte[16];
        java.util.Arrays.fill(id, (byte) n);
        return ByteString.copyFrom(id);
    }

    private MetaMutation releaseShared(long dir) {
        return MetaMutation.newBuilder().setReleaseLease(ReleaseLeaseRequest.newBuilder().setVolumeId(fx.vol()).setInode(dir)
                .setShared(true)).build();
    }

    private MetaMutation release(long dir) {
        return MetaMutation.newBuilder().setReleaseLease(ReleaseLeaseRequest.newBuilder().setVolumeId(fx.vol()).setInode(dir)).build();
    }

    @Test
    void theHolderChangesTheDirectoryAndNoOtherClientDoes() {
        long d = fx.mkdir(fx.root(), "d", 0777);
        long f = fx.create(d, "existing", 0644);
        ok(as(CLIENT, ROOT, acquire(d)));
        assertThat(DirLeases.holder(fx.store(), d)).contains(CLIENT);

        ok(as(CLIENT, ROOT, fx.build(c -> c.create(d, "mine", 0644))));
        String before = fx.stateDigest();
        for (MetaMutation m : List.of(fx.build(c -> c.create(d, "theirs", 0644)), fx.build(c -> c.unlink(d, "existing")),
                fx.build(c -> c.rename(d, "existing", fx.root(), "moved")), fx.build(c -> c.rmdir(fx.root(), "d")),
                fx.build(c -> c.chmod(d, 0700)), acquire(d))) {
            MetaReply r = as(OTHER, ROOT, m);
            assertCode(r, ErrorCode.LEASED);
            assertThat(r.getMessage()).contains("leased to client");
        }
        assertCode(fx.applyEntry(List.of(NamespaceFixture.anonymous(ROOT, fx.build(c -> c.create(d, "anon", 0644)))))
                .getReplies(0), ErrorCode.LEASED);
        assertThat(fx.stateDigest()).isEqualTo(before);
        ok(as(OTHER, ROOT, fx.build(c -> c.chmod(f, 0600))));  // a file's attributes are not the directory's

        ok(as(OTHER, ROOT, release(d)));  // not the holder: nothing changes
        assertThat(DirLeases.holder(fx.store(), d)).contains(CLIENT);
        ok(as(CLIENT, ROOT, release(d)));
        assertThat(DirLeases.holder(fx.store(), d)).isEmpty();
        ok(as(OTHER, ROOT, fx.build(c -> c.create(d, "theirs", 0644))));
    }

    @Test
    void aLeaseNeedsAWritableDirectoryAndGoesWithIt() {
        long d = fx.mkdir(fx.root(), "d", 0755);
        long f = fx.create(d, "f", 0644);
        assertCode(as(CLIENT, ALICE, acquire(d)), ErrorCode.PERMISSION_DENIED);
        assertCode(as(CLIENT, ROOT, acquire(f)), ErrorCode.NOT_A_DIRECTORY);
        assertCode(fx.applyEntry(List.of(NamespaceFixture.anonymous(ROOT, acquire(d)))).getReplies(0),
                ErrorCode.INVALID_ARGUMENT);

        long e = fx.mkdir(fx.root(), "e", 0755);
        ok(as(CLIENT, ROOT, acquire(e)));
        ok(as(CLIENT, ROOT, fx.build(c -> c.rmdir(fx.root(), "e"))));
        assertThat(DirLeases.holders(fx.store())).as("a removed directory holds no lease").isEmpty();
    }

    @Test
    void aRecallIsAnsweredInOneEntryAndAnEndedClientLeaseTakesEveryLease() {
        long d = fx.mkdir(fx.root(), "d", 0777);
        long e = fx.mkdir(fx.root(), "e", 0777);
        ok(as(CLIENT, ROOT, acquire(d)));
        ok(as(CLIENT, ROOT, acquire(e)));
        MetaMutation flush = MetaMutation.newBuilder().setBatch(BatchRequest.newBuilder()
                .addOps(BatchOp.newBuilder().setCred(ROOT).setMutation(fx.build(c -> c.create(d, "a", 0644))))
                .addOps(BatchOp.newBuilder().setCred(ROOT).setMutation(release(d)))).build();
        ok(as(CLIENT, ROOT, flush));
        assertThat(DirLeases.holders(fx.store())).containsExactly(CLIENT);
        assertThat(DirLeases.holder(fx.store(), d)).isEmpty();
        assertThat(fx.has(d, "a")).isTrue();

        ok(fx.apply(ROOT, MetaMutation.newBuilder().setReleaseLocks(ReleaseLocksRequest.newBuilder().setClientId(CLIENT)).build()));
        assertThat(DirLeases.holders(fx.store())).isEmpty();
        ok(as(OTHER, ROOT, fx.build(c -> c.create(e, "b", 0644))));
    }

    @Test
    void sharedHoldersAllowReadsByAnyoneAndChangesByNoOtherClient() {
        long d = fx.mkdir(fx.root(), "d", 0777);
        ok(as(CLIENT, ROOT, share(d)));
        ok(as(OTHER, ROOT, share(d)));
        ok(as(OTHER, ROOT, share(d)));  // held already: nothing changes
        assertThat(DirLeases.readers(fx.store(), d)).containsExactly(CLIENT, OTHER);
        assertThat(DirLeases.holder(fx.store(), d)).isEmpty();
        assertThat(DirLeases.conflicts(fx.store(), client(3), d, true)).as("a read meets no shared lease").isEmpty();
        assertThat(DirLeases.conflicts(fx.store(), client(3), d, false)).containsExactly(CLIENT, OTHER);
        assertThat(DirLeases.conflicts(fx.store(), CLIENT, d, false)).as("a holder's change waits for the others")
                .containsExactly(OTHER);

        String before = fx.stateDigest();
        assertCode(as(client(3), ROOT, fx.build(c -> c.create(d, "x", 0644))), ErrorCode.LEASED);
        assertCode(as(CLIENT, ROOT, fx.build(c -> c.create(d, "x", 0644))), ErrorCode.LEASED);
        assertCode(as(client(3), ROOT, acquire(d)), ErrorCode.LEASED);
        assertThat(fx.stateDigest()).isEqualTo(before);

        ok(as(OTHER, ROOT, release(d)));
        ok(as(CLIENT, ROOT, fx.build(c -> c.create(d, "x", 0644))));  // the only holder changes it
        ok(as(CLIENT, ROOT, acquire(d)));  // and turns its shared lease into the exclusive one
        assertThat(DirLeases.holder(fx.store(), d)).contains(CLIENT);
        assertThat(DirLeases.readers(fx.store(), d)).isEmpty();
        assertCode(as(OTHER, ROOT, share(d)), ErrorCode.LEASED);
        ok(as(CLIENT, ROOT, share(d)));  // the exclusive lease covers it
        assertThat(DirLeases.readers(fx.store(), d)).isEmpty();
        ok(as(CLIENT, ROOT, releaseShared(d)));  // a late shared release leaves the exclusive lease alone
        assertThat(DirLeases.holder(fx.store(), d)).contains(CLIENT);
        ok(as(CLIENT, ROOT, release(d)));
        assertThat(DirLeases.holders(fx.store())).isEmpty();
    }

    @Test
    void aSharedLeaseNeedsReadAndSearchPermissionAndIsBounded() {
        long wx = fx.mkdir(fx.root(), "wx", 0733);
        long rx = fx.mkdir(fx.root(), "rx", 0755);
        assertCode(as(CLIENT, ALICE, share(wx)), ErrorCode.PERMISSION_DENIED);
        assertCode(as(OTHER, ALICE, acquire(rx)), ErrorCode.PERMISSION_DENIED);  // an exclusive one needs write permission
        ok(as(CLIENT, ALICE, share(rx)));
        for (int n = 1; n < DirLeases.MAX_READERS; n++) {
            ok(as(client(100 + n), ROOT, share(rx)));
        }
        assertCode(as(client(99), ROOT, share(rx)), ErrorCode.BUSY);
        ok(fx.apply(ROOT, MetaMutation.newBuilder().setReleaseLocks(ReleaseLocksRequest.newBuilder().setClientId(CLIENT)).build()));
        assertThat(DirLeases.readers(fx.store(), rx)).hasSize(DirLeases.MAX_READERS - 1).doesNotContain(CLIENT);
        ok(as(client(99), ROOT, share(rx)));
    }
}
