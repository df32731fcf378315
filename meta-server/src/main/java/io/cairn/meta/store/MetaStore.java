package io.cairn.meta.store;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.MetaSchema.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * The meta service's RocksDB: one column family per {@link Table}. Writes arrive only as
 * {@link Txn} batches from the apply thread; reads may come from any thread.
 */
public final class MetaStore implements ReadView, AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    /**
     * RocksDB's memory, bounded as a whole: one LRU cache of {@link #CACHE_BYTES} holds the data
     * blocks, the index and filter blocks, and (charged to it by the write buffer manager) the
     * memtables of every table, which flush once together they pass {@link #MEMTABLE_BYTES}.
     * Without it each of the 14 column families could hold 2 x 64 MiB of memtables (seen: 170
     * to 280 MiB at 1M to 10M files) and the index blocks grew outside any cache.
     */
    static final long CACHE_BYTES = 128L << 20;
    static final long MEMTABLE_BYTES = 64L << 20;
    /** The RocksDB WAL is flushed away past this (seen: 4.3 GB of WAL at 10M files without it). */
    static final long MAX_WAL_BYTES = 256L << 20;

    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final org.rocksdb.Cache cache;
    private final org.rocksdb.WriteBufferManager writeBuffers;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final Map<Table, ColumnFamilyHandle> byTable = new EnumMap<>(Table.class);
    private final WriteOptions writeOptions = new WriteOptions();

    private MetaStore(Path dir) throws RocksDBException {
        this.dir = dir;
        this.cache = new org.rocksdb.LRUCache(CACHE_BYTES);
        this.writeBuffers = new org.rocksdb.WriteBufferManager(MEMTABLE_BYTES, cache);
        this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setWriteBufferManager(writeBuffers).setMaxTotalWalSize(MAX_WAL_BYTES);
        this.cfOptions = new ColumnFamilyOptions().setWriteBufferSize(16L << 20)
                .setTableFormatConfig(new org.rocksdb.BlockBasedTableConfig().setBlockCache(cache)
                        .setCacheIndexAndFilterBlocks(true).setPinL0FilterAndIndexBlocksInCache(true));
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Table t : MetaSchema.TABLES) {
            descriptors.add(new ColumnFamilyDescriptor(t.cfName().getBytes(StandardCharsets.UTF_8), cfOptions));
        }
        this.handles = new ArrayList<>();
        this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        for (int i = 0; i < MetaSchema.TABLES.size(); i++) {
            byTable.put(MetaSchema.TABLES.get(i), handles.get(i + 1));
        }
    }

    /** Opens (creating if missing) the store in {@code dir}. */
    public static MetaStore open(Path dir) throws CairnException {
        try {
            Files.createDirectories(dir);
            return new MetaStore(dir);
        } catch (Exception e) {
            throw new CairnException(ErrorCode.INTERNAL,
                    "cannot open the metadata store in " + dir + ": " + e.getMessage()
                            + " (is another meta server using this data dir?)", e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Txn begin() {
        return new BatchTxn();
    }

    /** Applies the transaction's writes atomically. */
    public void commit(Txn txn) throws CairnException {
        try {
            db.write(writeOptions, ((BatchTxn) txn).batch);
        } catch (RocksDBException e) {
            throw new CairnException(ErrorCode.INTERNAL, "metadata store write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(Table table, byte[] key) {
        try {
            return db.get(byTable.get(table), key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("metadata store read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void scan(Table table, byte[] prefix, byte[] from, EntryVisitor visitor) {
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(byTable.get(table), ro)) {
            visit(it, prefix, from, visitor);
        }
    }

    /** Writes a consistent copy of the store to {@code target} (which must not exist), hard-linking files. */
    public void checkpoint(Path target) throws CairnException {
        try (Checkpoint cp = Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new CairnException(ErrorCode.INTERNAL, "metadata checkpoint to " + target + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * SHA-256 over every table's keys and values, in order: equal on peers with equal state. The
     * applied index is left out: it records how far the log was read, not what the state is.
     */
    public String digest() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Table t : MetaSchema.TABLES) {
            md.update(t.cfName().getBytes(StandardCharsets.UTF_8));
            scan(t, new byte[0], null, (k, v) -> {
                if (t == Table.SYSTEM && java.util.Arrays.equals(k, MetaSchema.APPLIED_KEY)) {
                    return true;
                }
                md.update(MetaSchema.u32(k.length));
                md.update(k);
                md.update(MetaSchema.u32(v.length));
                md.update(v);
                return true;
            });
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * A RocksDB integer property ({@code rocksdb.size-all-mem-tables},
     * {@code rocksdb.estimate-table-readers-mem}, {@code rocksdb.live-sst-files-size}...) summed
     * over every table, the default column family included: what the whole store holds. For a
     * property of the database as a whole (the shared block cache's
     * {@code rocksdb.block-cache-usage}) ask one table, {@link #longProperty(Table, String)}.
     * For measurements (bench tools, metrics); IllegalArgumentException if RocksDB has no such property.
     */
    public long longPropertyOfAllTables(String property) {
        long sum = 0;
        for (ColumnFamilyHandle h : handles) {
            sum += longProperty(h, property);
        }
        return sum;
    }

    /** A RocksDB integer property of one table's column family; see {@link #longPropertyOfAllTables}. */
    public long longProperty(Table table, String property) {
        return longProperty(byTable.get(table), property);
    }

    private long longProperty(ColumnFamilyHandle h, String property) {
        try {
            return db.getLongProperty(h, property);
        } catch (RocksDBException e) {
            throw new IllegalArgumentException("RocksDB property " + property + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        writeOptions.close();
        dbOptions.close();
        cfOptions.close();
        writeBuffers.close();
        cache.close();
    }

    static void visit(RocksIterator it, byte[] prefix, byte[] from, EntryVisitor visitor) {
        byte[] start = from != null && java.util.Arrays.compareUnsigned(from, prefix) > 0 ? from : prefix;
        for (it.seek(start); it.isValid(); it.next()) {
            byte[] key = it.key();
            if (!startsWith(key, prefix)) {
                return;
            }
            if (!visitor.visit(key, it.value())) {
                return;
            }
        }
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        return java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private final class BatchTxn implements Txn {
        private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
        private final ReadOptions readOptions = new ReadOptions();

        @Override
        public byte[] get(Table table, byte[] key) {
            try {
                return batch.getFromBatchAndDB(db, byTable.get(table), readOptions, key);
            } catch (RocksDBException e) {
                throw new IllegalStateException("metadata store read failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void scan(Table table, byte[] prefix, byte[] from, EntryVisitor visitor) {
            ColumnFamilyHandle cf = byTable.get(table);
            try (RocksIterator base = db.newIterator(cf, readOptions);
                 RocksIterator it = batch.newIteratorWithBase(cf, base)) {
                visit(it, prefix, from, visitor);
            }
        }

        @Override
        public void put(Table table, byte[] key, byte[] value) {
            try {
                batch.put(byTable.get(table), key, value);
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void delete(Table table, byte[] key) {
            try {
                batch.delete(byTable.get(table), key);
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void setSavePoint() {
            batch.setSavePoint();
        }

        @Override
        public void rollbackToSavePoint() {
            try {
                batch.rollbackToSavePoint();
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void releaseSavePoint() {
            try {
                batch.popSavePoint();
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            batch.close();
            readOptions.close();
        }

        @Override
        public String toString() {
            return "Txn(" + batch.count() + " writes)";
        }
    }
}
