package io.cairn.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.meta.namespace.ApplyContext;
import io.cairn.meta.namespace.ChunkOps;
import io.cairn.meta.namespace.NamespaceQueries;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.MetaStore;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.AddNodeRequest;
import io.cairn.proto.BrickSpec;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.CreateVolumeRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.DirEntry;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.ReadDirResult;
import io.cairn.proto.SetVolumeStateRequest;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;
import io.cairn.proto.state.GarbageRecord;
import io.cairn.proto.state.InodeRecord;
import io.cairn.proto.state.LogEntry;
import io.cairn.proto.state.LogReply;
import io.cairn.proto.state.LoggedMutation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A metadata store in a temp dir with a pool of three nodes and one started volume ("vol",
 * replica 3, 1 MiB chunks), driven through {@link MetaApplier} like the Raft state machine
 * drives it: every mutation is its own log entry at the next index, with a clock that moves
 * on by one microsecond per entry. Queries call the read-side handlers directly on the store.
 *
 * <p>Deterministic: two fixtures given the same calls hold byte-identical stores, which the
 * digest comparisons rely on.
 */
public final class NamespaceFixture implements AutoCloseable {
    public static final Credentials ROOT = ApplyContext.ROOT;
    /** Members of the shared group 100. */
    public static final Credentials ALICE = user(1000, 1000, 100);
    public static final Credentials BOB = user(1001, 1001, 100);
    /** In no group but her own. */
    public static final Credentials CAROL = user(1002, 1002);
    public static final int STAFF = 100;

    public static final long START_NS = 1_700_000_000_000_000_000L;
    public static final long TICK_NS = 1_000;
    public static final long CHUNK_SIZE = 1L << 20;
    public static final ByteString CLIENT = ByteString.copyFrom(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

    private final Path dir;
    private final boolean ownsDir;
    private final MetaStore store;
    private final MetaApplier applier;
    private long index;
    private long nowNs = START_NS;
    private long lastNs;
    private long callId;
    private boolean tampered;
    private final int volumeId;
    private final long rootInode;
    private final List<Long> bricks;
    /** Every row of the store right after setup, for {@link #reset()}. */
    private final List<Row> baseline = new ArrayList<>();
    private final long baselineIndex;
    private final long baselineCallId;
    private final long baselineNowNs;

    private record Row(Table table, byte[] key, byte[] value) {
    }

    private NamespaceFixture(Path dir, boolean ownsDir) throws CairnException {
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.store = MetaStore.open(dir);
        this.applier = new MetaApplier(store, "test");
        for (int n = 1; n <= 3; n++) {
            ok(apply(ROOT, MetaMutation.newBuilder().setAddNode(AddNodeRequest.newBuilder()
                    .setUuid("node-" + n).setAddress("10.0.0." + n + ":7100")).build()));
        }
        CreateVolumeRequest.Builder cv = CreateVolumeRequest.newBuilder()
                .setName("vol").setSize(3).setChunkSize(CHUNK_SIZE).setUuid("uuid-vol");
        for (int n = 1; n <= 3; n++) {
            cv.addBricks(BrickSpec.newBuilder().setNodeId(n).setPath("/data/vol"));
        }
        VolumeInfo vol = ok(apply(ROOT, MetaMutation.newBuilder().setCreateVolume(cv).build())).getVolume();
        this.volumeId = vol.getVolumeId();
        this.rootInode = vol.getRootInode();
        this.bricks = vol.getBricksList().stream().map(b -> b.getBrickId()).toList();
        ok(setVolumeState("vol", VolumeState.VOLUME_STARTED));
        for (Table t : MetaSchema.TABLES) {
            store.scan(t, new byte[0], null, (k, v) -> baseline.add(new Row(t, k, v)));
        }
        baselineIndex = index;
        baselineCallId = callId;
        baselineNowNs = nowNs;
    }

    /**
     * Puts the store back to the state right after setup (every row, the applied index, the
     * clock and the call ids), so that one open store serves many tests as if each had a new one.
     */
    public void reset() {
        try (Txn t = store.begin()) {
            for (Table table : MetaSchema.TABLES) {
                List<byte[]> keys = new ArrayList<>();
                t.scan(table, new byte[0], null, (k, v) -> keys.add(k));
                keys.forEach(k -> t.delete(table, k));
            }
            baseline.forEach(r -> t.put(r.table(), r.key(), r.value()));
            store.commit(t);
        } catch (CairnException e) {
            throw new AssertionError("reset failed: " + e, e);
        }
        index = baselineIndex;
        callId = baselineCallId;
        nowNs = baselineNowNs;
        tampered = false;
        lastNs = nowNs - TICK_NS;
    }

    public static NamespaceFixture open(Path dir) throws CairnException {
        return new NamespaceFixture(dir, false);
    }

    /**
     * A fixture in a fresh temp dir that {@link #close()} deletes. Faster than JUnit's
     * {@code @TempDir}, which matters with hundreds of stores per run.
     */
    public static NamespaceFixture openTemp() {
        try {
            return new NamespaceFixture(Files.createTempDirectory("cairn-meta-test"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Credentials user(int uid, int gid, int... groups) {
        Credentials.Builder b = Credentials.newBuilder().setUid(uid).setGid(gid);
        for (int g : groups) {
            b.addGroups(g);
        }
        return b.build();
    }

    // ---- the log ----

    /** Applies one log entry holding just this mutation, with a fresh call id of {@link #CLIENT}. */
    public MetaReply apply(Credentials cred, MetaMutation m) {
        return applyEntry(List.of(logged(cred, m))).getReplies(0);
    }

    /** Applies one log entry holding these mutations, in order, at the next index and tick. */
    public LogReply applyEntry(List<LoggedMutation> mutations) {
        LogEntry entry = LogEntry.newBuilder().setTimeNs(nowNs).addAllMutations(mutations).build();
        try {
            LogReply reply = applier.apply(entry, 1, ++index);
            assertThat(reply.getRepliesCount()).isEqualTo(mutations.size());
            return reply;
        } catch (CairnException e) {
            throw new AssertionError("apply threw instead of replying: " + e, e);
        } finally {
            lastNs = nowNs;
            nowNs += TICK_NS;
        }
    }

    /** The mutation with {@link #CLIENT} and the next call id. */
    public LoggedMutation logged(Credentials cred, MetaMutation m) {
        return logged(CLIENT, ++callId, cred, m);
    }

    public static LoggedMutation logged(ByteString client, long call, Credentials cred, MetaMutation m) {
        return LoggedMutation.newBuilder().setClientId(client).setCallId(call).setCred(cred).setMutation(m).build();
    }

    /** A mutation without a client id: not remembered for retries. */
    public static LoggedMutation anonymous(Credentials cred, MetaMutation m) {
        return LoggedMutation.newBuilder().setCred(cred).setMutation(m).build();
    }

    /** The time the last applied entry carried. */
    public long lastNs() {
        return lastNs;
    }

    /** The time the next entry will carry. */
    public long nextNs() {
        return nowNs;
    }

    public void advance(long ns) {
        nowNs += ns;
    }

    public long appliedIndex() {
        return index;
    }

    // ---- reply checks ----

    public static MetaReply ok(MetaReply r) {
        assertThat(r.getCode()).as("reply %s: %s", r.getCode(), r.getMessage()).isEqualTo(ErrorCode.OK);
        return r;
    }

    public static void assertCode(MetaReply r, ErrorCode expected) {
        assertThat(r.getCode()).as("reply message: %s", r.getMessage()).isEqualTo(expected);
        if (expected != ErrorCode.OK) {
            assertThat(r.getMessage()).as("an error reply says what was wrong").isNotBlank();
            assertThat(r.getResultCase()).isEqualTo(MetaReply.ResultCase.RESULT_NOT_SET);
        }
    }

    @FunctionalInterface
    public interface Query {
        void run() throws CairnException;
    }

    /** The error code a query fails with, or OK. */
    public static ErrorCode codeOf(Query q) {
        try {
            q.run();
            return ErrorCode.OK;
        } catch (CairnException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.code().toProto();
        }
    }

    // ---- state ----

    public MetaStore store() {
        return store;
    }

    public int vol() {
        return volumeId;
    }

    public long root() {
        return rootInode;
    }

    public List<Long> bricks() {
        return bricks;
    }

    public String digest() {
        return store.digest();
    }

    /**
     * Like {@link MetaStore#digest()} but blind to the log position and to remembered replies:
     * equal before and after a mutation that failed, since a failed mutation's only writes are
     * its dedup record and the applied index.
     */
    public String stateDigest() {
        return StateDigest.of(store);
    }

    public InodeRecord record(long inode) {
        return Records.inode(store, inode);
    }

    /**
     * Rewrites an inode record behind the applier's back, to set up states that take too long
     * to reach (LINK_MAX links). The store then breaks the {@link #fsck()} invariants on purpose.
     */
    public void poke(long inode, UnaryOperator<InodeRecord.Builder> change) throws CairnException {
        tampered = true;
        try (Txn t = store.begin()) {
            Records.putInode(t, inode, change.apply(Records.inode(t, inode).toBuilder()).build());
            store.commit(t);
        }
    }

    /** Chunk ids in the garbage table. */
    public List<Long> garbage() {
        List<Long> ids = new ArrayList<>();
        store.scan(Table.GARBAGE, new byte[0], null, (k, v) -> {
            ids.add(Records.parse(v, GarbageRecord.parser()).getChunkId());
            return true;
        });
        return ids;
    }

    public boolean hasXattrRows(long inode) {
        boolean[] found = {false};
        store.scan(Table.XATTRS, MetaSchema.u64(inode), null, (k, v) -> {
            found[0] = true;
            return false;
        });
        return found[0];
    }

    /**
     * Checks the invariants of the volume's namespace like fsck (see {@link Fsck}); a no-op once
     * the store was {@linkplain #poke poked} on purpose.
     */
    public void fsck() {
        if (!tampered) {
            Fsck.check(store, volumeId, rootInode);
        }
    }

    public long volumeInodes() {
        return Records.volume(store, volumeId).getInodes();
    }

    // ---- root shortcuts that must succeed ----

    public long mkdir(long parent, String name, int mode) {
        return ok(asRoot().mkdir(parent, name, mode)).getAttr().getInode();
    }

    public long create(long parent, String name, int mode) {
        return ok(asRoot().create(parent, name, mode)).getAttr().getInode();
    }

    /** A directory with this owner and exact mode (special bits included). */
    public long mkdir(long parent, String name, int mode, int uid, int gid) {
        long ino = mkdir(parent, name, 0700);
        ok(asRoot().chown(ino, uid, gid));
        ok(asRoot().chmod(ino, mode));
        return ino;
    }

    /** A regular file with this owner and exact mode (special bits included). */
    public long create(long parent, String name, int mode, int uid, int gid) {
        long ino = create(parent, name, 0600);
        ok(asRoot().chown(ino, uid, gid));
        ok(asRoot().chmod(ino, mode));
        return ino;
    }

    public long symlink(long parent, String name, String target) {
        return ok(asRoot().symlink(parent, name, target)).getAttr().getInode();
    }

    /** A fresh 0777 directory owned by root under the volume root, for one test case. */
    public long sandbox() {
        return mkdir(rootInode, "sandbox-" + (index + 1), 0777);
    }

    /** Allocates chunks [0, count) and commits each full except the last, which gets lastLength bytes. */
    public void writeChunks(long inode, int count, long lastLength) {
        for (int i = 0; i < count; i++) {
            ok(asRoot().allocate(inode, i, bricks.get(i % 3), bricks.get((i + 1) % 3)));
        }
        CommitWriteRequest.Builder cw = CommitWriteRequest.newBuilder()
                .setVolumeId(volumeId).setInode(inode).setSize((count - 1) * CHUNK_SIZE + lastLength);
        for (int i = 0; i < count; i++) {
            cw.addChunks(ChunkLength.newBuilder().setIndex(i).setLength(i == count - 1 ? lastLength : CHUNK_SIZE));
        }
        ok(apply(ROOT, MetaMutation.newBuilder().setCommitWrite(cw).build()));
    }

    /** Another started volume, replica 3 on the same three nodes, bricks at {@code brickPath}. */
    public VolumeInfo createVolume(String name, String brickPath) {
        VolumeInfo vol = createVolumeStopped(name, brickPath);
        ok(setVolumeState(name, VolumeState.VOLUME_STARTED));
        return vol;
    }

    /** Another volume, created and never started. */
    public VolumeInfo createVolumeStopped(String name, String brickPath) {
        CreateVolumeRequest.Builder cv = CreateVolumeRequest.newBuilder()
                .setName(name).setSize(3).setChunkSize(CHUNK_SIZE).setUuid("uuid-" + name);
        for (int n = 1; n <= 3; n++) {
            cv.addBricks(BrickSpec.newBuilder().setNodeId(n).setPath(brickPath));
        }
        return ok(apply(ROOT, MetaMutation.newBuilder().setCreateVolume(cv).build())).getVolume();
    }

    public MetaReply setVolumeState(String name, VolumeState state) {
        return apply(ROOT, MetaMutation.newBuilder()
                .setSetVolumeState(SetVolumeStateRequest.newBuilder().setName(name).setState(state)).build());
    }

    // ---- queries as root, which must succeed ----

    public InodeAttr attr(long inode) {
        try {
            return NamespaceQueries.getAttr(store, volumeId, inode);
        } catch (CairnException e) {
            throw new AssertionError("getattr of " + inode + " failed: " + e, e);
        }
    }

    public boolean exists(long inode) {
        return codeOf(() -> NamespaceQueries.getAttr(store, volumeId, inode)) == ErrorCode.OK;
    }

    public long lookup(long parent, String name) {
        try {
            return asRoot().lookup(parent, name).getInode();
        } catch (CairnException e) {
            throw new AssertionError("lookup of " + name + " failed: " + e, e);
        }
    }

    public boolean has(long parent, String name) {
        return Records.dentry(store, parent, name) != null;
    }

    /** Every name in the directory, in readdir order. */
    public List<String> names(long dir) {
        List<String> out = new ArrayList<>();
        String after = "";
        while (true) {
            ReadDirResult r;
            try {
                r = asRoot().readDir(dir, after, 0, false);
            } catch (CairnException e) {
                throw new AssertionError("readdir failed: " + e, e);
            }
            r.getEntriesList().forEach(e -> out.add(e.getName()));
            if (!r.getMore()) {
                return out;
            }
            assertProgress(after, r);
            after = out.get(out.size() - 1);
        }
    }

    /** A page with more after it must move the cursor forward, or paging would never end. */
    private static void assertProgress(String after, ReadDirResult page) {
        assertThat(page.getEntriesList()).as("a page with more after it is not empty").isNotEmpty();
        String last = page.getEntries(page.getEntriesCount() - 1).getName();
        assertThat(Arrays.compareUnsigned(last.getBytes(StandardCharsets.UTF_8), after.getBytes(StandardCharsets.UTF_8)))
                .as("readdir after '%s' moves forward", after).isPositive();
        assertThat(page.getEntries(0).getName()).as("'after' is exclusive").isNotEqualTo(after);
    }

    /** Every entry of the directory with attributes, in readdir order. */
    public List<DirEntry> entries(long dir) {
        List<DirEntry> out = new ArrayList<>();
        String after = "";
        while (true) {
            ReadDirResult r;
            try {
                r = asRoot().readDir(dir, after, 0, true);
            } catch (CairnException e) {
                throw new AssertionError("readdir failed: " + e, e);
            }
            out.addAll(r.getEntriesList());
            if (!r.getMore()) {
                return out;
            }
            assertProgress(after, r);
            after = out.get(out.size() - 1).getName();
        }
    }

    public List<ChunkInfo> chunks(long inode) {
        try {
            return ChunkOps.getChunks(store, volumeId, inode, 0, ChunkOps.MAX_CHUNKS_PER_QUERY);
        } catch (CairnException e) {
            throw new AssertionError("get chunks failed: " + e, e);
        }
    }

    /** The mutation a call would send, built and not applied: {@code fx.build(c -> c.mkdir(...))}. */
    public MetaMutation build(Function<Caller, MetaReply> call) {
        List<MetaMutation> out = new ArrayList<>();
        call.apply(new Caller(this, ROOT, volumeId, m -> {
            out.add(m);
            return MetaReply.getDefaultInstance();
        }));
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    /** Applies one log entry at an explicit term and index, as a replay after a restart would. */
    public LogReply applyAt(LogEntry entry, long term, long at) throws CairnException {
        LogReply r = applier.apply(entry, term, at);
        index = Math.max(index, at);
        return r;
    }

    public Caller asRoot() {
        return new Caller(this, ROOT, volumeId, m -> apply(ROOT, m));
    }

    public Caller as(Credentials cred) {
        return new Caller(this, cred, volumeId, m -> apply(cred, m));
    }


    @Override
    public void close() {
        store.close();
        if (ownsDir) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
