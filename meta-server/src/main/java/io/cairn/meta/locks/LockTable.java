package io.cairn.meta.locks;

import io.cairn.proto.FileLock;
import io.cairn.proto.LockType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The advisory-lock rules for the locks of one file, pure. A holder is a (client, owner) pair; a
 * record lock (fcntl) covers an inclusive byte range, a flock the whole file; the two kinds never
 * conflict with each other, as on Linux. Two locks of different holders and the same kind
 * conflict where their ranges overlap and either is a write lock. Taking a lock replaces the
 * holder's own locks of that kind in its range, whatever their type, and merges with the
 * holder's touching locks of the same type; unlocking cuts the range out of the holder's locks,
 * splitting one that straddles it (POSIX fcntl semantics). Ranges compare as unsigned, so an
 * end of 2^64-1 means "to the end of the file and beyond".
 */
public final class LockTable {
    /** The end of a lock that reaches past any end of file. */
    public static final long TO_EOF = -1L;

    private LockTable() {
    }

    /** The first lock of another holder that conflicts with {@code want}, if any. */
    public static Optional<FileLock> conflict(List<FileLock> held, FileLock want) {
        for (FileLock h : held) {
            if (h.getKind() == want.getKind() && !sameHolder(h, want) && overlaps(h, want)
                    && (h.getType() == LockType.LOCK_WRITE || want.getType() == LockType.LOCK_WRITE)) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    /**
     * The locks once {@code want} (a lock, or an unlock) is applied for its holder; the caller
     * checked {@link #conflict} first. Other holders' locks keep their order; the holder's
     * changed locks come last.
     */
    public static List<FileLock> apply(List<FileLock> held, FileLock want) {
        List<FileLock> out = new ArrayList<>();
        List<FileLock> mine = new ArrayList<>();
        for (FileLock h : held) {
            if (h.getKind() == want.getKind() && sameHolder(h, want)) {
                mine.addAll(cut(h, want.getStart(), want.getEnd()));
            } else {
                out.add(h);
            }
        }
        if (want.getType() != LockType.LOCK_UNLOCK) {
            long start = want.getStart();
            long end = want.getEnd();
            List<FileLock> kept = new ArrayList<>();
            for (FileLock m : mine) {
                if (m.getType() == want.getType() && touches(m, start, end)) {
                    start = min(start, m.getStart());
                    end = max(end, m.getEnd());
                } else {
                    kept.add(m);
                }
            }
            mine = kept;
            mine.add(want.toBuilder().setStart(start).setEnd(end).build());
        }
        out.addAll(mine);
        return out;
    }

    /** Every lock of the client dropped. */
    public static List<FileLock> withoutClient(List<FileLock> held, com.google.protobuf.ByteString clientId) {
        List<FileLock> out = new ArrayList<>();
        for (FileLock h : held) {
            if (!h.getClientId().equals(clientId)) {
                out.add(h);
            }
        }
        return out;
    }

    /** The parts of {@code lock} outside [start, end]: none, one or two. */
    static List<FileLock> cut(FileLock lock, long start, long end) {
        if (!overlaps(lock.getStart(), lock.getEnd(), start, end)) {
            return List.of(lock);
        }
        List<FileLock> parts = new ArrayList<>(2);
        if (Long.compareUnsigned(lock.getStart(), start) < 0) {
            parts.add(lock.toBuilder().setEnd(start - 1).build());
        }
        if (Long.compareUnsigned(lock.getEnd(), end) > 0) {
            parts.add(lock.toBuilder().setStart(end + 1).build());
        }
        return parts;
    }

    static boolean sameHolder(FileLock a, FileLock b) {
        return a.getOwner() == b.getOwner() && a.getClientId().equals(b.getClientId());
    }

    static boolean overlaps(FileLock a, FileLock b) {
        return overlaps(a.getStart(), a.getEnd(), b.getStart(), b.getEnd());
    }

    private static boolean overlaps(long s1, long e1, long s2, long e2) {
        return Long.compareUnsigned(s1, e2) <= 0 && Long.compareUnsigned(s2, e1) <= 0;
    }

    /** Overlapping or adjacent, so the two ranges make one. */
    private static boolean touches(FileLock m, long start, long end) {
        return overlaps(m.getStart(), m.getEnd(), start, end)
                || (m.getEnd() != TO_EOF && m.getEnd() + 1 == start)
                || (end != TO_EOF && end + 1 == m.getStart());
    }

    private static long min(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private static long max(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
