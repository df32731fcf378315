package io.cairn.meta;

import static io.cairn.meta.NamespaceFixture.ALICE;
import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.anonymous;
import static io.cairn.meta.NamespaceFixture.logged;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.meta.namespace.AttrOps;
import io.cairn.meta.namespace.FileMode;
import io.cairn.meta.namespace.RenameOp;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.AddNodeRequest;
import io.cairn.proto.BrickSpec;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.CreateVolumeRequest;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.SetVolumeOptionRequest;
import io.cairn.proto.state.LogEntry;
import io.cairn.proto.state.LogReply;
import io.cairn.proto.state.LoggedMutation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The applier's promises: exactly-once replies per (client id, call id), failed mutations
 * leaving no trace inside a batch, replayed entries skipped, and byte-identical results on
 * every peer. Digests here are the store's own {@link io.cairn.meta.store.MetaStore#digest()}.
 */
class MetaApplierTest {
    static final ByteString OTHER_CLIENT = ByteString.copyFrom(new byte[] {
            9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
    static final ByteString THIRD_CLIENT = ByteString.copyFrom(new byte[] {
            7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8});

    /** Builds state in a fixture and returns the mutation under test. */
    interface Setup {
        MetaMutation prepare(NamespaceFixture fx);
    }

    static Arguments setup(String name, Setup s) {
        return Arguments.of(Named.of(name, s));
    }

    static Stream<Arguments> retries() {
        return Stream.of(
                setup("mkdir", fx -> fx.build(c -> c.mkdir(fx.root(), "d", 0755))),
                setup("O_EXCL create", fx -> fx.build(c -> c.createExclusive(fx.root(), "f", 0644))),
                setup("symlink", fx -> fx.build(c -> c.symlink(fx.root(), "s", "t"))),
                setup("link", fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return fx.build(c -> c.link(f, fx.root(), "g"));
                }),
                setup("unlink", fx -> {
                    fx.create(fx.root(), "f", 0644);
                    return fx.build(c -> c.unlink(fx.root(), "f"));
                }),
                setup("unlink of the last name of a file with chunks", fx -> {
                    fx.writeChunks(fx.create(fx.root(), "f", 0644), 2, 1);
                    return fx.build(c -> c.unlink(fx.root(), "f"));
                }),
                setup("rmdir", fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    return fx.build(c -> c.rmdir(fx.root(), "d"));
                }),
                setup("rename", fx -> {
                    fx.create(fx.root(), "a", 0644);
                    return fx.build(c -> c.rename(fx.root(), "a", fx.root(), "b"));
                }),
                setup("rename exchange", fx -> {
                    fx.create(fx.root(), "a", 0644);
                    fx.mkdir(fx.root(), "b", 0755);
                    return fx.build(c -> c.rename(fx.root(), "a", fx.root(), "b", RenameOp.EXCHANGE));
                }),
                setup("chmod", fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return fx.build(c -> c.chmod(f, 0600));
                }),
                setup("truncate", fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    fx.writeChunks(f, 3, 5);
                    return fx.build(c -> c.truncate(f, 1));
                }),
                setup("utimens now", fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return fx.build(c -> c.setAttr(f, b -> b.setSetAtime(true).setAtimeNow(true)
                            .setSetMtime(true).setMtimeNow(true)));
                }),
                setup("setxattr XATTR_CREATE", fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return fx.build(c -> c.setXattr(f, "user.k", new byte[] {1}, AttrOps.XATTR_CREATE));
                }),
                setup("removexattr", fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    ok(fx.asRoot().setXattr(f, "user.k", "v"));
                    return fx.build(c -> c.removeXattr(f, "user.k"));
                }),
                setup("allocate chunk", fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    return fx.build(c -> c.allocate(f, 0, fx.bricks().get(0)));
                }),
                setup("commit write", fx -> {
                    long f = fx.create(fx.root(), "f", 0644);
                    ok(fx.asRoot().allocate(f, 0, fx.bricks().get(0)));
                    return fx.build(c -> c.commitWrite(f, 100, 0, ChunkLength.newBuilder().setIndex(0).setLength(100).build()));
                }),
                setup("mkdir that fails with EEXIST", fx -> {
                    fx.mkdir(fx.root(), "d", 0755);
                    return fx.build(c -> c.mkdir(fx.root(), "d", 0755));
                }),
                setup("add node", fx -> MetaMutation.newBuilder().setAddNode(AddNodeRequest.newBuilder()
                        .setUuid("node-9").setAddress("10.0.0.9:7100")).build()),
                setup("set volume option", fx -> MetaMutation.newBuilder().setSetVolumeOption(SetVolumeOptionRequest
                        .newBuilder().setName("vol").setKey("durability").setValue("always")).build()));
    }

    /** A retry in a later entry gets the first reply and changes nothing but the applied index. */
    @ParameterizedTest(name = "retried {0} is applied once")
    @MethodSource("retries")
    void retryIsAnsweredFromMemory(Setup s) {
        try (NamespaceFixture a = NamespaceFixture.openTemp(); NamespaceFixture b = NamespaceFixture.openTemp()) {
            MetaMutation m = s.prepare(a);
            assertThat(s.prepare(b)).isEqualTo(m);
            LoggedMutation call = logged(OTHER_CLIENT, 77, ROOT, m);

            MetaReply first = a.applyEntry(List.of(call)).getReplies(0);
            assertThat(b.applyEntry(List.of(call)).getReplies(0)).isEqualTo(first);
            a.advance(5_000_000);
            b.advance(5_000_000);

            MetaReply retried = a.applyEntry(List.of(call)).getReplies(0);
            b.applyEntry(List.of());

            assertThat(retried).isEqualTo(first);
            assertThat(a.digest()).as("the retry was not applied again").isEqualTo(b.digest());
            a.fsck();
        }
    }

    @Test
    void theRememberedReplyWinsEvenAfterTheStateMovedOn() {
        try (NamespaceFixture fx = NamespaceFixture.openTemp()) {
            LoggedMutation mkdir = logged(OTHER_CLIENT, 1, ROOT, fx.build(c -> c.mkdir(fx.root(), "d", 0755)));
            MetaReply first = ok(fx.applyEntry(List.of(mkdir)).getReplies(0));
            ok(fx.asRoot().rmdir(fx.root(), "d"));
            MetaReply retried = fx.applyEntry(List.of(mkdir)).getReplies(0);
            assertThat(retried).isEqualTo(first);
            assertThat(fx.has(fx.root(), "d")).as("not created a second time").isFalse();
        }
    }

    @Test
    void differentCallIdsAreDifferentCalls() {
        try (NamespaceFixture fx = NamespaceFixture.openTemp()) {
            MetaMutation mkdir = fx.build(c -> c.mkdir(fx.root(), "d", 0755));
            ok(fx.applyEntry(List.of(logged(OTHER_CLIENT, 1, ROOT, mkdir))).getReplies(0));
            NamespaceFixture.assertCode(fx.applyEntry(List.of(logged(OTHER_CLIENT, 2, ROOT, mkdir))).getReplies(0),
                    ErrorCode.ALREADY_EXISTS);

            long f = fx.create(fx.root(), "f", 0644);
            MetaMutation chmod = fx.build(c -> c.chmod(f, 0600));
            ok(fx.applyEntry(List.of(logged(OTHER_CLIENT, 3, ROOT, chmod))).getReplies(0));
            long firstCtime = fx.attr(f).getCtimeNs();
            ok(fx.applyEntry(List.of(logged(OTHER_CLIENT, 4, ROOT, chmod))).getReplies(0));
            assertThat(fx.attr(f).getCtimeNs()).as("applied a second time").isGreaterThan(firstCtime);
        }
    }

    @Test
    void theSameCallIdFromAnotherClientIsAnotherCall() {
        try (NamespaceFixture fx = NamespaceFixture.openTemp()) {
            ok(fx.applyEntry(List.of(logged(OTHER_CLIENT, 1, ROOT, fx.build(c -> c.mkdir(fx.root(), "x", 0755)))))
                    .getReplies(0));
            ok(fx.applyEntry(List.of(logged(THIRD_CLIENT, 1, ROOT, fx.build(c -> c.mkdir(fx.root(), "y", 0755)))))
                    .getReplies(0));
            assertThat(fx.names(fx.root())).containsExactly("x", "y");
        }
    }

    @Test
    void aRetryInsideTheSameEntryIsAlsoAnsweredFromMemory() {
        try (NamespaceFixture a = NamespaceFixture.openTemp(); NamespaceFixture b = NamespaceFixture.openTemp()) {
            LoggedMutation call = logged(OTHER_CLIENT, 5, ROOT, a.build(c -> c.mkdir(a.root(), "d", 0755)));
            LogReply twice = a.applyEntry(List.of(call, call));
            b.applyEntry(List.of(call));
            ok(twice.getReplies(0));
            assertThat(twice.getReplies(1)).isEqualTo(twice.getReplies(0));
            assertThat(a.digest()).isEqualTo(b.digest());
        }
    }

    @Test
    void callsWithoutAClientIdAreNotRemembered() {
        try (NamespaceFixture fx = NamespaceFixture.openTemp()) {
            LoggedMutation call = anonymous(ROOT, fx.build(c -> c.mkdir(fx.root(), "d", 0755)));
            long dedupRows = rows(fx, Table.DEDUP);
            ok(fx.applyEntry(List.of(call)).getReplies(0));
            NamespaceFixture.assertCode(fx.applyEntry(List.of(call)).getReplies(0), ErrorCode.ALREADY_EXISTS);
            assertThat(rows(fx, Table.DEDUP)).isEqualTo(dedupRows);
        }
    }

    @Test
    void repliesAreForgottenAfterTheRetention() {
        try (NamespaceFixture fx = NamespaceFixture.openTemp()) {
            LoggedMutation call = logged(OTHER_CLIENT, 1, ROOT, fx.build(c -> c.mkdir(fx.root(), "d", 0755)));
            ok(fx.applyEntry(List.of(call)).getReplies(0));
            long at = fx.lastNs();
            long remembered = Records.counters(fx.store()).getDedupEntries();
            assertThat(rows(fx, Table.DEDUP)).isEqualTo(remembered);

            // still remembered at exactly the retention
            fx.advance(at + MetaApplier.DEDUP_RETENTION.toNanos() - fx.nextNs());
            ok(fx.applyEntry(List.of(call)).getReplies(0));

            // one tick later the reply is gone, and the call is new again
            fx.applyEntry(List.of());
            assertThat(fx.store().get(Table.DEDUP, MetaSchema.dedupKey(OTHER_CLIENT.toByteArray(), 1))).isNull();
            assertThat(rows(fx, Table.DEDUP)).isZero();
            assertThat(rows(fx, Table.DEDUP_EXPIRY)).isZero();
            assertThat(Records.counters(fx.store()).getDedupEntries()).isZero();
            // the next scan starts at the expired row's time, not over its tombstone
            assertThat(Records.counters(fx.store()).getDedupExpiredThroughNs()).isEqualTo(at);
            NamespaceFixture.assertCode(fx.applyEntry(List.of(call)).getReplies(0), ErrorCode.ALREADY_EXISTS);

            // A leader whose clock is behind: its reply is remembered from the scan's start on,
            // and still expires.
            fx.advance(at - 1_000_000_000L - fx.nextNs());
            LoggedMutation late = logged(OTHER_CLIENT, 2, ROOT, fx.build(c -> c.mkdir(fx.root(), "e", 0755)));
            ok(fx.applyEntry(List.of(late)).getReplies(0));
            assertThat(rows(fx, Table.DEDUP_EXPIRY)).isEqualTo(1);
            fx.store().scan(Table.DEDUP_EXPIRY, new byte[0], null, (k, v) -> {
                assertThat(MetaSchema.readU64(k, 0)).isEqualTo(at);
                return true;
            });
            fx.advance(at + MetaApplier.DEDUP_RETENTION.toNanos() + 1 - fx.nextNs());
            fx.applyEntry(List.of());
            assertThat(rows(fx, Table.DEDUP_EXPIRY)).isZero();
        }
    }

    @Test
    void entriesAtOrBelowTheAppliedIndexAreSkipped() throws Exception {
        try (NamespaceFixture fx = NamespaceFixture.openTemp()) {
            LogEntry entry = LogEntry.newBuilder().setTimeNs(fx.nextNs())
                    .addMutations(anonymous(ROOT, fx.build(c -> c.mkdir(fx.root(), "d", 0755)))).build();
            long next = fx.appliedIndex() + 1;
            LogReply r = fx.applyAt(entry, 3, next);
            ok(r.getReplies(0));
            assertThat(Records.applied(fx.store()).getIndex()).isEqualTo(next);
            assertThat(Records.applied(fx.store()).getTerm()).isEqualTo(3);
            String digest = fx.digest();

            LogEntry other = entry.toBuilder().clearMutations()
                    .addMutations(anonymous(ROOT, fx.build(c -> c.mkdir(fx.root(), "e", 0755)))).build();
            assertThat(fx.applyAt(other, 3, next).getRepliesList()).isEmpty();
            assertThat(fx.applyAt(other, 2, next - 1).getRepliesList()).isEmpty();
            assertThat(fx.digest()).isEqualTo(digest);
            assertThat(fx.has(fx.root(), "e")).isFalse();
        }
    }

    @Test
    void repliesComeInTheOrderOfTheBatch() {
        try (NamespaceFixture fx = NamespaceFixture.openTemp()) {
            List<LoggedMutation> batch = List.of(
                    anonymous(ROOT, fx.build(c -> c.mkdir(fx.root(), "d", 0755))),
                    anonymous(ROOT, fx.build(c -> c.mkdir(fx.root(), "d", 0755))),
                    anonymous(ROOT, fx.build(c -> c.unlink(fx.root(), "nope"))),
                    anonymous(ROOT, fx.build(c -> c.symlink(fx.root(), "s", "d"))),
                    anonymous(ROOT, MetaMutation.getDefaultInstance()));
            LogReply r = fx.applyEntry(batch);
            assertThat(r.getRepliesList()).extracting(MetaReply::getCode).containsExactly(
                    ErrorCode.OK, ErrorCode.ALREADY_EXISTS, ErrorCode.NOT_FOUND, ErrorCode.OK, ErrorCode.INVALID_ARGUMENT);
            assertThat(r.getReplies(0).getAttr().getMode()).isEqualTo(FileMode.S_IFDIR | 0755);
            assertThat(r.getReplies(3).getAttr().getMode()).isEqualTo(FileMode.S_IFLNK | 0777);
            assertThat(r.getReplies(0).getAttr().getCtimeNs()).as("one time for the whole entry")
                    .isEqualTo(r.getReplies(3).getAttr().getCtimeNs());
        }
    }

    /** Setup both stores alike, then the failing mutation is the one under test. */
    interface Failing {
        LoggedMutation prepare(NamespaceFixture fx);
    }

    static Arguments failing(String name, Failing f) {
        return Arguments.of(Named.of(name, f));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                failing("mkdir over an existing name", fx -> {
                    fx.mkdir(fx.root(), "x", 0755);
                    return anonymous(ROOT, fx.build(c -> c.mkdir(fx.root(), "x", 0755)));
                }),
                failing("create in a missing parent", fx -> anonymous(ROOT, fx.build(c -> c.create(424242, "f", 0644)))),
                failing("rmdir of a non-empty directory", fx -> {
                    fx.create(fx.mkdir(fx.root(), "x", 0755), "f", 0644);
                    return anonymous(ROOT, fx.build(c -> c.rmdir(fx.root(), "x")));
                }),
                failing("rename into its own subtree", fx -> {
                    long x = fx.mkdir(fx.root(), "x", 0755);
                    long y = fx.mkdir(x, "y", 0755);
                    return anonymous(ROOT, fx.build(c -> c.rename(fx.root(), "x", y, "x")));
                }),
                failing("chmod by a non-owner", fx -> {
                    long f = fx.create(fx.root(), "x", 0644);
                    return anonymous(ALICE, fx.build(c -> c.chmod(f, 0777)));
                }),
                failing("truncate then an illegal chown in one setattr", fx -> {
                    long f = fx.create(fx.root(), "x", 0666, 1000, 1000);
                    fx.writeChunks(f, 3, 10);
                    return anonymous(ALICE, fx.build(c -> c.setAttr(f, b -> b.setSetSize(true).setSize(1)
                            .setSetUid(true).setUid(0))));
                }),
                failing("truncate then an illegal chmod in one setattr", fx -> {
                    long f = fx.create(fx.root(), "x", 0666, 1001, 1001);
                    fx.writeChunks(f, 2, 10);
                    return anonymous(ALICE, fx.build(c -> c.setAttr(f, b -> b.setSetSize(true).setSize(0)
                            .setSetMode(true).setMode(0777))));
                }),
                failing("truncate then explicit times by a non-owner", fx -> {
                    long f = fx.create(fx.root(), "x", 0666, 1001, 1001);
                    fx.writeChunks(f, 2, 10);
                    return anonymous(ALICE, fx.build(c -> c.setAttr(f, b -> b.setSetSize(true).setSize(0)
                            .setSetMtime(true).setMtimeNs(1))));
                }),
                failing("setxattr over the size limit", fx -> {
                    long f = fx.create(fx.root(), "x", 0644);
                    return anonymous(ROOT, fx.build(c -> c.setXattr(f, "user.k", new byte[70_000], 0)));
                }),
                failing("hard link to a directory", fx -> {
                    long d = fx.mkdir(fx.root(), "x", 0755);
                    return anonymous(ROOT, fx.build(c -> c.link(d, fx.root(), "l")));
                }),
                failing("commit naming one unallocated chunk", fx -> {
                    long f = fx.create(fx.root(), "x", 0644);
                    ok(fx.asRoot().allocate(f, 0, fx.bricks().get(0)));
                    return anonymous(ROOT, fx.build(c -> c.commitWrite(f, 10, 0,
                            ChunkLength.newBuilder().setIndex(0).setLength(10).build(),
                            ChunkLength.newBuilder().setIndex(1).setLength(10).build())));
                }),
                failing("create a volume with a taken name", fx -> anonymous(ROOT, MetaMutation.newBuilder()
                        .setCreateVolume(CreateVolumeRequest.newBuilder().setName("vol").setSize(1)
                                .addBricks(BrickSpec.newBuilder().setNodeId(1).setPath("/other"))).build())),
                failing("a corrupt inode record (internal error)", fx -> {
                    long f = fx.create(fx.root(), "x", 0644);
                    corrupt(fx, f);
                    return anonymous(ROOT, fx.build(c -> c.chmod(f, 0600)));
                }));
    }

    /** A failed mutation between two good ones leaves the store as if only the good ones ran. */
    @ParameterizedTest(name = "{0} leaves no trace in its batch")
    @MethodSource("failures")
    void failedMutationInABatchLeavesNoTrace(Failing f) {
        try (NamespaceFixture a = NamespaceFixture.openTemp(); NamespaceFixture b = NamespaceFixture.openTemp()) {
            LoggedMutation bad = f.prepare(a);
            assertThat(f.prepare(b)).isEqualTo(bad);
            assertThat(a.digest()).isEqualTo(b.digest());
            LoggedMutation before = anonymous(ROOT, a.build(c -> c.mkdir(a.root(), "before", 0755)));
            long dir = nextInode(a);  // the inode "before" gets
            LoggedMutation after = anonymous(ROOT, a.build(c -> c.create(dir, "after", 0644)));

            LogReply withBad = a.applyEntry(List.of(before, bad, after));
            LogReply without = b.applyEntry(List.of(before, after));

            ok(withBad.getReplies(0));
            assertThat(withBad.getReplies(1).getCode()).isNotEqualTo(ErrorCode.OK);
            assertThat(withBad.getReplies(1).getMessage()).isNotBlank();
            ok(withBad.getReplies(2));
            assertThat(withBad.getReplies(2)).isEqualTo(without.getReplies(1));
            assertThat(a.digest()).isEqualTo(b.digest());
        }
    }

    @Test
    void anInternalErrorIsRepliedAndTheEntryGoesOn() {
        try (NamespaceFixture fx = NamespaceFixture.openTemp()) {
            long f = fx.create(fx.root(), "x", 0644);
            corrupt(fx, f);
            LogReply r = fx.applyEntry(List.of(anonymous(ROOT, fx.build(c -> c.chmod(f, 0600))),
                    anonymous(ROOT, fx.build(c -> c.mkdir(fx.root(), "fine", 0755)))));
            assertThat(r.getReplies(0).getCode()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(r.getReplies(0).getMessage()).contains("SET_ATTR");
            ok(r.getReplies(1));
        }
    }

    /** Peers applying the same log hold the same bytes: no wall clock, no hash order. */
    @Test
    void twoPeersApplyingTheSameLogAgree() {
        try (NamespaceFixture a = NamespaceFixture.openTemp(); NamespaceFixture b = NamespaceFixture.openTemp()) {
            Random random = new Random(20240607);
            List<String> names = List.of("a", "b", "c", "d", "e");
            for (int i = 0; i < 400; i++) {
                String n1 = names.get(random.nextInt(names.size()));
                String n2 = names.get(random.nextInt(names.size()));
                int op = random.nextInt(7);
                MetaMutation m = a.build(c -> switch (op) {
                    case 0 -> c.mkdir(a.root(), n1, 0755);
                    case 1 -> c.create(a.root(), n1, 0644);
                    case 2 -> c.unlink(a.root(), n1);
                    case 3 -> c.rmdir(a.root(), n1);
                    case 4 -> c.rename(a.root(), n1, a.root(), n2);
                    case 5 -> c.symlink(a.root(), n1, n2);
                    default -> c.rename(a.root(), n1, a.root(), n2, RenameOp.EXCHANGE);
                });
                LoggedMutation call = logged(OTHER_CLIENT, i, ROOT, m);
                assertThat(b.applyEntry(List.of(call))).isEqualTo(a.applyEntry(List.of(call)));
            }
            assertThat(a.digest()).isEqualTo(b.digest());
            a.fsck();
        }
    }

    private static long nextInode(NamespaceFixture fx) {
        return Records.counters(fx.store()).getNextInode();
    }

    private static void corrupt(NamespaceFixture fx, long inode) {
        try (Txn t = fx.store().begin()) {
            t.put(Table.INODES, MetaSchema.u64(inode), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
            fx.store().commit(t);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long rows(NamespaceFixture fx, Table table) {
        List<byte[]> keys = new ArrayList<>();
        fx.store().scan(table, new byte[0], null, (k, v) -> keys.add(k));
        return keys.size();
    }
}
