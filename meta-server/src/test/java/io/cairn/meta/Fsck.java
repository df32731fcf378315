package io.cairn.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.namespace.FileMode;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.MetaStore;
import io.cairn.meta.store.Records;
import io.cairn.proto.state.DentryRecord;
import io.cairn.proto.state.InodeRecord;
import java.util.HashMap;
import java.util.Map;

/** The namespace invariants of one volume, checked by reading every table like fsck reads a disk. */
final class Fsck {
    private Fsck() {
    }

    /**
     * Checks the invariants of the volume's namespace, like fsck: every entry names a live inode
     * of the volume with the entry's type; a directory has nlink 2 + its subdirectories, exactly
     * one name and a parent pointer to the directory holding it, and reaches the root; a file's
     * nlink is its number of names; the volume's inode count is right; chunks belong to files.
     */
    static void check(MetaStore store, int volumeId, long rootInode) {
        Map<Long, InodeRecord> inodes = new HashMap<>();
        store.scan(Table.INODES, new byte[0], null, (k, v) -> {
            InodeRecord r = Records.parse(v, InodeRecord.parser());
            if (r.getVolumeId() == volumeId) {
                inodes.put(MetaSchema.readU64(k, 0), r);
            }
            return true;
        });
        Map<Long, Integer> names = new HashMap<>();
        Map<Long, Integer> subdirs = new HashMap<>();
        Map<Long, Long> holder = new HashMap<>();
        store.scan(Table.DENTRIES, new byte[0], null, (k, v) -> {
            long parent = MetaSchema.readU64(k, 0);
            if (!inodes.containsKey(parent)) {
                assertThat(Records.inode(store, parent)).as("entry %s in a missing directory", MetaSchema.nameOf(k))
                        .isNotNull();
                return true;  // another volume's
            }
            String name = MetaSchema.nameOf(k);
            DentryRecord d = Records.parse(v, DentryRecord.parser());
            InodeRecord child = inodes.get(d.getInode());
            assertThat(child).as("entry '%s' in %d names a live inode of the volume", name, parent).isNotNull();
            assertThat(d.getType()).as("type of entry '%s'", name).isEqualTo(FileMode.type(child.getMode()));
            assertThat(FileMode.isDir(inodes.get(parent).getMode())).as("holder of '%s' is a directory", name).isTrue();
            names.merge(d.getInode(), 1, Integer::sum);
            holder.put(d.getInode(), parent);
            if (FileMode.isDir(child.getMode())) {
                subdirs.merge(parent, 1, Integer::sum);
            }
            return true;
        });
        assertThat(inodes).containsKey(rootInode);
        assertThat(names).doesNotContainKey(rootInode);
        inodes.forEach((ino, r) -> {
            if (FileMode.isDir(r.getMode())) {
                assertThat(r.getNlink()).as("nlink of directory %d", ino).isEqualTo(2 + subdirs.getOrDefault(ino, 0));
                if (ino != rootInode) {
                    assertThat(names.get(ino)).as("names of directory %d", ino).isEqualTo(1);
                    assertThat(r.getParent()).as("parent pointer of directory %d", ino).isEqualTo(holder.get(ino));
                    long cursor = ino;
                    for (int steps = 0; cursor != rootInode; steps++) {
                        assertThat(steps).as("directory %d reaches the root", ino).isLessThan(inodes.size());
                        cursor = inodes.get(cursor).getParent();
                    }
                } else {
                    assertThat(r.getParent()).isEqualTo(rootInode);
                }
            } else {
                assertThat(names.get(ino)).as("inode %d has a name", ino).isNotNull();
                assertThat(r.getNlink()).as("nlink of inode %d", ino).isEqualTo(names.get(ino));
            }
        });
        assertThat(Records.volume(store, volumeId).getInodes()).as("the volume's inode count").isEqualTo(inodes.size());
        store.scan(Table.CHUNKS, new byte[0], null, (k, v) -> {
            InodeRecord owner = Records.inode(store, MetaSchema.readU64(k, 0));
            assertThat(owner).as("chunk of a live inode").isNotNull();
            assertThat(FileMode.isRegular(owner.getMode())).as("chunk of a regular file").isTrue();
            return true;
        });
        store.scan(Table.INLINE, new byte[0], null, (k, v) -> {
            long ino = MetaSchema.readU64(k, 0);
            InodeRecord owner = Records.inode(store, ino);
            assertThat(owner).as("inline bytes of a live inode").isNotNull();
            assertThat(FileMode.isRegular(owner.getMode())).as("inline bytes of a regular file").isTrue();
            io.cairn.proto.state.InlineRecord rec = Records.inline(store, ino);
            assertThat((long) rec.getData().size()).as("inline bytes of inode %d within its size", ino)
                    .isLessThanOrEqualTo(owner.getSize());
            if (rec.getSpillOwner().isEmpty()) {
                boolean[] chunk = {false};
                store.scan(Table.CHUNKS, MetaSchema.u64(ino), null, (ck, cv) -> {
                    chunk[0] = true;
                    return false;
                });
                assertThat(chunk[0]).as("inode %d keeps inline bytes and chunks outside a spill", ino).isFalse();
            }
            return true;
        });
    }
}
