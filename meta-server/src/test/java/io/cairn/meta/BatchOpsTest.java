package io.cairn.meta;

import static io.cairn.meta.NamespaceFixture.ALICE;
import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.assertCode;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.meta.namespace.InodeReservations;
import io.cairn.proto.BatchOp;
import io.cairn.proto.BatchReply;
import io.cairn.proto.BatchRequest;
import io.cairn.proto.CreateRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.InodeRange;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.MkdirRequest;
import io.cairn.proto.ReleaseLocksRequest;
import io.cairn.proto.ReserveInodesRequest;
import io.cairn.proto.SetVolumeOptionRequest;
import io.cairn.proto.state.LoggedMutation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Write-back's transport: inode numbers reserved to a client, and batches of its changes in one log entry. */
class BatchOpsTest extends FixtureTest {
    private static final ByteString OTHER = ByteString.copyFrom(new byte[16]);

    private InodeRange reserve(int count) {
        return ok(fx.apply(ROOT, reserveOp(count))).getInodes();
    }

    private static MetaMutation reserveOp(int count) {
        return MetaMutation.newBuilder().setReserveInodes(ReserveInodesRequest.newBuilder().setCount(count)).build();
    }

    private MetaMutation create(long parent, String name, long inode) {
        return MetaMutation.newBuilder().setCreate(CreateRequest.newBuilder().setVolumeId(fx.vol()).setParent(parent)
                .setName(name).setMode(0100644).setExclusive(true).setInode(inode)).build();
    }

    private MetaMutation mkdir(long parent, String name, long inode) {
        return MetaMutation.newBuilder().setMkdir(MkdirRequest.newBuilder().setVolumeId(fx.vol()).setParent(parent)
                .setName(name).setMode(0755).setInode(inode)).build();
    }

    private static BatchOp op(Credentials cred, MetaMutation m) {
        return BatchOp.newBuilder().setCred(cred).setMutation(m).build();
    }

    private static MetaMutation batch(BatchOp... ops) {
        return MetaMutation.newBuilder().setBatch(BatchRequest.newBuilder().addAllOps(List.of(ops))).build();
    }

    @Test
    void reservedInodesNameNewEntriesOnceEachInIncreasingOrder() {
        InodeRange range = reserve(10);
        assertThat(range.getCount()).isEqualTo(10);
        long first = range.getFirst();

        assertThat(ok(fx.apply(ROOT, mkdir(fx.root(), "d", first + 2))).getAttr().getInode()).isEqualTo(first + 2);
        assertThat(fx.lookup(fx.root(), "d")).isEqualTo(first + 2);
        assertCode(fx.apply(ROOT, create(fx.root(), "again", first + 2)), ErrorCode.INVALID_ARGUMENT);
        assertCode(fx.apply(ROOT, create(fx.root(), "below", first + 1)), ErrorCode.INVALID_ARGUMENT);
        assertCode(fx.apply(ROOT, create(fx.root(), "outside", first + 10)), ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.has(fx.root(), "again") || fx.has(fx.root(), "below") || fx.has(fx.root(), "outside")).isFalse();
        assertThat(ok(fx.apply(ROOT, create(first + 2, "f", first + 9))).getAttr().getInode()).isEqualTo(first + 9);

        long unreserved = ok(fx.asRoot().create(fx.root(), "plain", 0644)).getAttr().getInode();
        assertThat(unreserved).as("the meta group's own numbers skip the reserved range").isGreaterThanOrEqualTo(first + 10);
        assertThat(InodeReservations.holders(fx.store())).as("a used-up range is dropped").isEmpty();
    }

    @Test
    void anotherClientCannotUseTheRange() {
        long first = reserve(4).getFirst();
        LoggedMutation theirs = NamespaceFixture.logged(OTHER, 1, ROOT, create(fx.root(), "f", first));
        assertCode(fx.applyEntry(List.of(theirs)).getReplies(0), ErrorCode.INVALID_ARGUMENT);
        LoggedMutation anonymous = NamespaceFixture.anonymous(ROOT, create(fx.root(), "f", first));
        assertCode(fx.applyEntry(List.of(anonymous)).getReplies(0), ErrorCode.INVALID_ARGUMENT);
        assertCode(fx.applyEntry(List.of(NamespaceFixture.anonymous(ROOT, reserveOp(4)))).getReplies(0),
                ErrorCode.INVALID_ARGUMENT);
        assertThat(fx.has(fx.root(), "f")).isFalse();
    }

    @Test
    void aNewReservationEndsTheOldestBeyondTheBoundAndAllGoWithTheClientsLease() {
        assertCode(fx.apply(ROOT, reserveOp(0)), ErrorCode.INVALID_ARGUMENT);
        assertCode(fx.apply(ROOT, reserveOp(InodeReservations.MAX_COUNT + 1)), ErrorCode.INVALID_ARGUMENT);
        long oldest = reserve(8).getFirst();
        for (int i = 1; i < InodeReservations.MAX_RANGES; i++) {
            reserve(8);
        }
        long newest = reserve(8).getFirst();
        assertCode(fx.apply(ROOT, create(fx.root(), "old", oldest)), ErrorCode.INVALID_ARGUMENT);
        ok(fx.apply(ROOT, create(fx.root(), "new", newest)));
        assertThat(InodeReservations.holders(fx.store())).containsExactly(NamespaceFixture.CLIENT);

        ok(fx.apply(ROOT, MetaMutation.newBuilder().setReleaseLocks(
                ReleaseLocksRequest.newBuilder().setClientId(NamespaceFixture.CLIENT)).build()));
        assertThat(InodeReservations.holders(fx.store())).isEmpty();
        reserve(8);
    }

    @Test
    void aBatchAppliesEachChangeInOrderAndAFailedOneLeavesNoTrace() {
        long first = reserve(16).getFirst();
        long d = first;
        MetaReply reply = ok(fx.apply(ROOT, batch(
                op(ROOT, mkdir(fx.root(), "d", d)),
                op(ROOT, create(d, "a", first + 1)),
                op(ROOT, create(d, "a", first + 2)),              // exists (O_EXCL): fails alone
                op(ALICE, create(fx.root(), "alice", first + 3)), // root's 0755 directory: refused for alice
                op(ROOT, fx.build(c -> c.rename(d, "a", d, "b"))),
                op(ROOT, create(d, "c", first + 4)),
                op(ROOT, fx.build(c -> c.unlink(d, "c"))))));
        BatchReply replies = reply.getBatch();
        assertThat(replies.getRepliesList()).extracting(MetaReply::getCode).containsExactly(
                ErrorCode.OK, ErrorCode.OK, ErrorCode.ALREADY_EXISTS, ErrorCode.PERMISSION_DENIED,
                ErrorCode.OK, ErrorCode.OK, ErrorCode.OK);
        assertThat(fx.names(d)).containsExactly("b");
        assertThat(fx.lookup(d, "b")).isEqualTo(first + 1);
        assertThat(fx.has(fx.root(), "alice")).isFalse();
        assertThat(fx.exists(first + 4)).as("created and unlinked in one batch").isFalse();
        assertThat(fx.attr(d).getMtimeNs()).as("one entry: one time for every change").isEqualTo(fx.lastNs());
    }

    @Test
    void aRetriedBatchIsAppliedOnce() {
        long first = reserve(4).getFirst();
        MetaMutation m = batch(op(ROOT, mkdir(fx.root(), "d", first)), op(ROOT, create(first, "f", first + 1)));
        LoggedMutation sent = NamespaceFixture.logged(NamespaceFixture.CLIENT, 9_999, ROOT, m);
        MetaReply firstTime = ok(fx.applyEntry(List.of(sent)).getReplies(0));
        String digest = fx.stateDigest();
        MetaReply retried = fx.applyEntry(List.of(sent)).getReplies(0);
        assertThat(retried).isEqualTo(firstTime);
        assertThat(retried.getBatch().getRepliesList()).extracting(MetaReply::getCode)
                .containsExactly(ErrorCode.OK, ErrorCode.OK);
        assertThat(fx.stateDigest()).as("nothing applied twice").isEqualTo(digest);
    }

    @Test
    void aBatchHoldsOnlyChangesThatMayBeBatched() {
        String before = fx.stateDigest();
        assertCode(fx.apply(ROOT, MetaMutation.newBuilder().setBatch(BatchRequest.getDefaultInstance()).build()),
                ErrorCode.INVALID_ARGUMENT);
        assertCode(fx.apply(ROOT, batch(op(ROOT, fx.build(c -> c.mkdir(fx.root(), "x", 0755))),
                op(ROOT, MetaMutation.newBuilder().setSetVolumeOption(SetVolumeOptionRequest.newBuilder()
                        .setName("vol").setKey("durability").setValue("always")).build()))), ErrorCode.INVALID_ARGUMENT);
        assertCode(fx.apply(ROOT, batch(op(ROOT, batch(op(ROOT, fx.build(c -> c.mkdir(fx.root(), "x", 0755))))))),
                ErrorCode.INVALID_ARGUMENT);
        assertCode(fx.apply(ROOT, batch(BatchOp.newBuilder().setMutation(fx.build(c -> c.mkdir(fx.root(), "x", 0755)))
                .build())), ErrorCode.INVALID_ARGUMENT);
        BatchRequest.Builder tooLong = BatchRequest.newBuilder();
        for (int i = 0; i <= BatchOps.MAX_OPS; i++) {
            tooLong.addOps(op(ROOT, fx.build(c -> c.mkdir(fx.root(), "x", 0755))));
        }
        MetaReply r = fx.apply(ROOT, MetaMutation.newBuilder().setBatch(tooLong).build());
        assertCode(r, ErrorCode.INVALID_ARGUMENT);
        assertThat(r.getMessage()).contains("send it in parts");
        assertThat(fx.has(fx.root(), "x")).isFalse();
        assertThat(fx.stateDigest()).isEqualTo(before);
    }
}
