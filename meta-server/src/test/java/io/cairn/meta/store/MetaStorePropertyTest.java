package io.cairn.meta.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.meta.store.MetaSchema.Table;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RocksDB's integer properties as the bench tools read them: per table, summed, and unknown ones refused. */
class MetaStorePropertyTest {
    @Test
    void propertiesArePerTableAndSummedOverTables(@TempDir Path dir) throws Exception {
        try (MetaStore store = MetaStore.open(dir)) {
            try (Txn t = store.begin()) {
                t.put(Table.INODES, new byte[] {1}, new byte[100]);
                t.put(Table.DENTRIES, new byte[] {2}, new byte[100]);
                store.commit(t);
            }
            String keys = "rocksdb.estimate-num-keys";
            assertThat(store.longProperty(Table.INODES, keys)).isEqualTo(1);
            assertThat(store.longProperty(Table.XATTRS, keys)).isZero();
            assertThat(store.longPropertyOfAllTables(keys)).isEqualTo(2);
            assertThat(store.longProperty(Table.INODES, "rocksdb.block-cache-capacity")).isPositive();
            assertThatThrownBy(() -> store.longPropertyOfAllTables("rocksdb.no-such-property"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("RocksDB property rocksdb.no-such-property: ");
        }
    }
}
