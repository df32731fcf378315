package io.cairn.bench;

import io.cairn.common.CairnException;
import io.cairn.meta.namespace.ApplyContext;
import io.cairn.meta.namespace.NamespaceQueries;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaStore;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.state.LogReply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Metadata apply without Raft: what one peer's apply thread can do with log entries once they
 * are committed, on a {@link MetaStore} driven through {@link MetaApplier} as the state machine
 * drives it (each mutation with a client id, so its dedup record is written too; the entry's
 * time from the wall clock, as the leader's). Scores are mutations (or lookups) per second.
 *
 * <ul>
 *   <li>{@code create}: one create per log entry; {@code createBatch64}: 64 per entry, as the
 *       proposer groups them under load.
 *   <li>{@code rename}: one rename within a directory per entry (a file swapping between two
 *       names).
 *   <li>{@code lookup}: {@link NamespaceQueries#lookup} of one of 10,000 names in a directory.
 * </ul>
 *
 * The ceiling is raw RocksDB on the same disk with the same default options: {@code rawPut} and
 * {@code rawPutBatch64} write one key per mutation (a dentry-sized key, an inode-record-sized
 * value) in a {@link WriteBatch} of 1 or 64, and {@code rawGet} reads one of 10,000 such keys.
 * A create writes about eight keys (inode, dentry, parent inode, counters, volume, dedup record
 * and its expiry key, applied index) after reading about as many, and a lookup reads four (volume,
 * directory, dentry, inode), so the ratio to the ceiling is how much of RocksDB's one-key rate
 * the schema and the handlers keep. Reads come from memory; writes go to RocksDB's write-ahead
 * log without fsync (the server's setting), and a full run includes memtable flushes and
 * compactions on both sides (it writes a few GB to temp dirs, deleted at the end). Building the
 * {@link LogEntry} is measured with the apply; parsing it from the log is not (see
 * {@link ProtoBenchmark}).
 *
 * <p>Single-threaded by design (the applier has one apply thread): do not run with {@code -t}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class MetaApplyBenchmark {
    static final int BATCH = 64;
    static final int LOOKUP_NAMES = 10_000;
    /** A new file's InodeRecord with wall-clock times serializes to 38 bytes: the raw baseline's value size. */
    static final int INODE_RECORD_BYTES = 38;

    /** A meta store with the bench volume, fed through the applier. */
    @State(Scope.Benchmark)
    public static class Store {
        static final ApplyContext QUERY = ApplyContext.root(0);

        Path dir;
        MetaStore store;
        DirectApplier applier;
        int volumeId;
        long createDir;
        long lookupDir;
        long renameDir;
        int nextName;
        int nextLookup;
        boolean renamed;

        @Setup(Level.Trial)
        public void open() throws Exception {
            dir = Files.createTempDirectory("cairn-bench-meta-");
            store = MetaStore.open(dir);
            applier = new DirectApplier(store);
            VolumeInfo vol = BenchVolume.setUp(m -> apply(List.of(m)).getReplies(0));
            volumeId = vol.getVolumeId();
            long root = vol.getRootInode();
            createDir = mkdir(root, "create");
            renameDir = mkdir(root, "rename");
            lookupDir = mkdir(root, "lookup");
            List<MetaMutation> batch = new ArrayList<>();
            for (int i = 0; i < LOOKUP_NAMES; i++) {
                batch.add(BenchVolume.create(volumeId, lookupDir, lookupName(i)));
                if (batch.size() == BATCH || i == LOOKUP_NAMES - 1) {
                    apply(batch);
                    batch.clear();
                }
            }
            apply(List.of(BenchVolume.create(volumeId, renameDir, "a")));
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
            deleteTree(dir);
        }

        long mkdir(long parent, String name) throws CairnException {
            return apply(List.of(BenchVolume.mkdir(volumeId, parent, name))).getReplies(0).getAttr().getInode();
        }

        LogReply apply(List<MetaMutation> mutations) throws CairnException {
            return applier.apply(mutations);
        }
    }

    /** A bare RocksDB beside it, holding the same number of lookup keys. */
    @State(Scope.Benchmark)
    public static class Raw {
        Path dir;
        Options options;
        WriteOptions writeOptions;
        RocksDB db;
        byte[] value;
        byte[][] lookupKeys;
        int nextKey;
        int nextLookup;

        @Setup(Level.Trial)
        public void open() throws Exception {
            RocksDB.loadLibrary();
            dir = Files.createTempDirectory("cairn-bench-rocks-");
            options = new Options().setCreateIfMissing(true);
            writeOptions = new WriteOptions();
            db = RocksDB.open(options, dir.toString());
            value = new byte[INODE_RECORD_BYTES];
            new Random(42).nextBytes(value);
            lookupKeys = new byte[LOOKUP_NAMES][];
            for (int i = 0; i < LOOKUP_NAMES; i++) {
                lookupKeys[i] = MetaSchema.idAndName(3, lookupName(i));
                db.put(lookupKeys[i], value);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close();
            writeOptions.close();
            options.close();
            deleteTree(dir);
        }

        void putBatch(int count) throws RocksDBException {
            try (WriteBatch batch = new WriteBatch()) {
                for (int i = 0; i < count; i++) {
                    batch.put(MetaSchema.idAndName(2, "f" + nextKey++), value);
                }
                db.write(writeOptions, batch);
            }
        }
    }

    @Benchmark
    public LogReply create(Store s) throws CairnException {
        return s.apply(List.of(BenchVolume.create(s.volumeId, s.createDir, "f" + s.nextName++)));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public LogReply createBatch64(Store s) throws CairnException {
        List<MetaMutation> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(BenchVolume.create(s.volumeId, s.createDir, "f" + s.nextName++));
        }
        return s.apply(batch);
    }

    @Benchmark
    public LogReply rename(Store s) throws CairnException {
        String from = s.renamed ? "b" : "a";
        String to = s.renamed ? "a" : "b";
        s.renamed = !s.renamed;
        return s.apply(List.of(BenchVolume.rename(s.volumeId, s.renameDir, from, to)));
    }

    @Benchmark
    public InodeAttr lookup(Store s) throws CairnException {
        String name = lookupName(s.nextLookup++ % LOOKUP_NAMES);
        return NamespaceQueries.lookup(s.store, Store.QUERY, s.volumeId, s.lookupDir, name);
    }

    /** Ceiling for {@link #create} and {@link #rename}. */
    @Benchmark
    public void rawPut(Raw r) throws RocksDBException {
        r.putBatch(1);
    }

    /** Ceiling for {@link #createBatch64}. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void rawPutBatch64(Raw r) throws RocksDBException {
        r.putBatch(BATCH);
    }

    /** Ceiling for {@link #lookup}. */
    @Benchmark
    public byte[] rawGet(Raw r) throws RocksDBException {
        return r.db.get(r.lookupKeys[r.nextLookup++ % LOOKUP_NAMES]);
    }

    static String lookupName(int i) {
        return "name-" + i;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
