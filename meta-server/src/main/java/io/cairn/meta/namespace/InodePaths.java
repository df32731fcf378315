package io.cairn.meta.namespace;

import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.state.DentryRecord;
import io.cairn.proto.state.InodeRecord;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A path of each of a few inodes, for reports that must name files (lost chunks in heal info).
 * Files keep no parent (hard links), so one pass over every dentry finds a name of each; a
 * directory's path then follows its parent pointers up to the volume's root. A full pass: for a
 * handful of inodes now and then, never on a request path.
 */
public final class InodePaths {
    private InodePaths() {
    }

    /** inode -> "/dir/name"; an inode with no name left is absent. */
    public static Map<Long, String> of(ReadView v, Collection<Long> inodes) {
        Set<Long> wanted = new HashSet<>(inodes);
        Map<Long, long[]> parentOf = new HashMap<>();
        Map<Long, String> nameOf = new HashMap<>();
        if (wanted.isEmpty()) {
            return Map.of();
        }
        v.scan(Table.DENTRIES, new byte[0], null, (k, val) -> {
            long child = Records.parse(val, DentryRecord.parser()).getInode();
            if (wanted.contains(child) && !nameOf.containsKey(child)) {
                parentOf.put(child, new long[] {MetaSchema.readU64(k, 0)});
                nameOf.put(child, MetaSchema.nameOf(k));
            }
            return nameOf.size() < wanted.size();
        });
        Map<Long, String> dirPaths = new HashMap<>();
        Map<Long, String> out = new HashMap<>();
        for (long inode : wanted) {
            if (nameOf.containsKey(inode)) {
                String dir = dirPath(v, parentOf.get(inode)[0], dirPaths);
                if (dir != null) {
                    out.put(inode, (dir.equals("/") ? "" : dir) + "/" + nameOf.get(inode));
                }
            }
        }
        return out;
    }

    /** The directory's path from its volume's root, or null if it is cut off (removed meanwhile). */
    private static String dirPath(ReadView v, long dir, Map<Long, String> known) {
        Deque<String> names = new ArrayDeque<>();
        long at = dir;
        for (int depth = 0; depth < 4096; depth++) {
            if (known.containsKey(at)) {
                return join(known.get(at), names, dir, known);
            }
            InodeRecord rec = Records.inode(v, at);
            if (rec == null) {
                return null;
            }
            if (rec.getParent() == at) {
                return join("/", names, dir, known);  // the root is its own parent
            }
            String name = nameIn(v, rec.getParent(), at);
            if (name == null) {
                return null;
            }
            names.push(name);
            at = rec.getParent();
        }
        return null;
    }

    private static String join(String base, Deque<String> names, long dir, Map<Long, String> known) {
        StringBuilder sb = new StringBuilder(base.equals("/") ? "" : base);
        for (String n : names) {
            sb.append('/').append(n);
        }
        String path = sb.isEmpty() ? "/" : sb.toString();
        known.put(dir, path);
        return path;
    }

    private static String nameIn(ReadView v, long parent, long child) {
        String[] found = {null};
        v.scan(Table.DENTRIES, MetaSchema.u64(parent), null, (k, val) -> {
            if (Records.parse(val, DentryRecord.parser()).getInode() == child) {
                found[0] = MetaSchema.nameOf(k);
                return false;
            }
            return true;
        });
        return found[0];
    }
}
