package io.cairn.meta.ratis;

import io.cairn.common.CairnException;
import io.cairn.meta.MetaApplier;
import io.cairn.meta.MetaQueries;
import io.cairn.meta.pool.Liveness;
import io.cairn.meta.store.MetaStore;
import io.cairn.meta.store.Records;
import io.cairn.proto.MetaReply;
import io.cairn.proto.QueryRequest;
import io.cairn.proto.state.LogEntry;
import io.cairn.proto.state.LogReply;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meta service as a Ratis state machine. The live RocksDB is {@code <data>/db}; it stores the
 * applied index in every batch, so after a restart the entries Ratis replays from the last
 * snapshot that the database already holds are skipped. Snapshots are RocksDB checkpoints
 * ({@link SnapshotStore}); a follower that installs one from the leader rebuilds its database
 * from it in {@link #reinitialize()}.
 *
 * <p>Threads: apply, snapshot and reinitialize run on Ratis's one updater thread; queries on
 * any thread, under a read lock that reinitialize takes for writing while it swaps databases.
 */
public final class MetaStateMachine extends BaseStateMachine {
    private static final Logger log = LoggerFactory.getLogger(MetaStateMachine.class);

    private final String name;
    private final Path dbDir;
    private final SnapshotStore snapshots;
    private final Liveness liveness;
    private final Consumer<RaftPeerId> onLeaderChange;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile MetaStore store;
    private volatile MetaApplier applier;
    private final java.util.concurrent.atomic.AtomicInteger installs = new java.util.concurrent.atomic.AtomicInteger();

    public MetaStateMachine(String name, Path dataDir, Liveness liveness, Consumer<RaftPeerId> onLeaderChange) {
        this.name = name;
        this.dbDir = dataDir.resolve("db");
        this.snapshots = new SnapshotStore(dataDir);
        this.liveness = liveness;
        this.onLeaderChange = onLeaderChange;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        snapshots.init(raftStorage);
        openStore();
        SnapshotInfo s = snapshots.getLatestSnapshot();
        if (s != null) {
            setLastAppliedTermIndex(s.getTermIndex());
        }
        getLifeCycle().startAndTransition(() -> { });
        log.info("{} meta state opened: applied index {}, latest snapshot {}", name,
                Records.applied(store).getIndex(), s == null ? "none" : s.getTermIndex());
    }

    /**
     * Opens the live database, rebuilding it from the latest snapshot if it is behind it (lost,
     * or cut short while a snapshot from the leader was being installed). A database behind the
     * snapshot index only by entries that are not the state machine's holds the same content
     * as the snapshot, so rebuilding it then is harmless.
     */
    private void openStore() throws IOException {
        SnapshotInfo s = snapshots.getLatestSnapshot();
        MetaStore db = MetaStore.open(dbDir);
        if (s != null && Records.applied(db).getIndex() < s.getIndex()) {
            log.info("{} rebuilding the database from snapshot {}", name, s.getTermIndex());
            db.close();
            snapshots.restoreInto(dbDir);
            db = MetaStore.open(dbDir);
        }
        store = db;
        applier = new MetaApplier(db, name);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return snapshots.getLatestSnapshot();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto e = trx.getLogEntry();
        try {
            LogEntry entry = LogEntry.parseFrom(e.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
            LogReply reply = applier.apply(entry, e.getTerm(), e.getIndex());
            updateLastAppliedTermIndex(e.getTerm(), e.getIndex());
            return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply.toByteArray())));
        } catch (IOException ex) {
            // The store could not write: this peer's state would diverge. Stopping it (Ratis closes
            // the division on a throw) is the only safe answer; it catches up after a restart.
            log.error("{} cannot apply log entry {}: stopping this meta server's Raft member", name, e.getIndex(), ex);
            throw new IllegalStateException("apply of log entry " + e.getIndex() + " failed", ex);
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        lock.readLock().lock();
        try {
            QueryRequest q = QueryRequest.parseFrom(request.getContent().asReadOnlyByteBuffer());
            MetaReply reply = MetaQueries.query(store, liveness, q);
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply.toByteArray())));
        } catch (IOException ex) {
            return CompletableFuture.failedFuture(ex);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex ti = getLastAppliedTermIndex();
        if (ti == null || ti.getIndex() < 0) {
            return -1;
        }
        snapshots.take(store, ti);
        log.info("{} took snapshot {}", name, ti);
        return ti.getIndex();
    }

    @Override
    public void pause() {
        LifeCycle lc = getLifeCycle();
        if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
            lc.transition(LifeCycle.State.PAUSING);
            lc.transition(LifeCycle.State.PAUSED);
        }
    }

    /** After a snapshot was installed from the leader: rebuild the database from it. */
    @Override
    public void reinitialize() throws IOException {
        lock.writeLock().lock();
        try {
            store.close();
            snapshots.refresh();
            snapshots.restoreInto(dbDir);
            store = MetaStore.open(dbDir);
            applier = new MetaApplier(store, name);
            SnapshotInfo s = snapshots.getLatestSnapshot();
            setLastAppliedTermIndex(s.getTermIndex());
            installs.incrementAndGet();
            log.info("{} installed snapshot {} from the leader", name, s.getTermIndex());
        } finally {
            lock.writeLock().unlock();
        }
        LifeCycle lc = getLifeCycle();
        if (lc.getCurrentState() == LifeCycle.State.PAUSED) {
            lc.transition(LifeCycle.State.STARTING);
            lc.transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        onLeaderChange.accept(newLeaderId);
    }

    public int snapshotsInstalled() {
        return installs.get();
    }

    /** A digest of the whole state, equal on peers that applied the same log. */
    public String digest() {
        lock.readLock().lock();
        try {
            return store.digest();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The committed store, for reads that need no linearizability (heartbeat membership, placement input). */
    public MetaStore store() {
        return store;
    }

    @Override
    public void close() throws IOException {
        super.close();
        lock.writeLock().lock();
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
