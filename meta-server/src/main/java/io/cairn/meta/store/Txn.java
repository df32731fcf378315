package io.cairn.meta.store;

import io.cairn.meta.store.MetaSchema.Table;

/**
 * A batch of writes applied atomically by {@link MetaStore#commit}. Reads see the batch's own
 * writes. Save points let one mutation of a batch be undone without touching the others.
 * Not thread-safe: one apply thread owns it.
 */
public interface Txn extends ReadView, AutoCloseable {
    void put(Table table, byte[] key, byte[] value);

    void delete(Table table, byte[] key);

    void setSavePoint();

    /** Drops every write since the last {@link #setSavePoint()}. */
    void rollbackToSavePoint();

    /** Forgets the last save point, keeping its writes. */
    void releaseSavePoint();

    @Override
    void close();
}
