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

/** Exclusive directory leases at apply: granted to one client, guarding the directory against the others. */
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
}
