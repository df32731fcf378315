package io.cairn.common;

/**
 * Ceph's size / min-size rules as plain functions, so that placement, placement changes and the
 * primary's write path agree, and a table-driven test can check every combination.
 *
 * <ul>
 *   <li>A write is acknowledged only when every replica of the chunk's epoch holds it.</li>
 *   <li>Replicas that fail a write leave the placement at the next epoch if at least min-size
 *       remain; then the write is acknowledged (degraded). Otherwise the chunk takes no I/O.</li>
 *   <li>A new chunk is placed on min(size, reachable) bricks, and only if that is at least min-size.</li>
 * </ul>
 */
public final class Quorum {
    /** What becomes of a write that some replicas of the epoch did not take. */
    public enum WriteOutcome {
        /** Every replica took it. */
        ACKNOWLEDGED,
        /** The failed replicas leave the placement; at least min-size hold the write. */
        ACKNOWLEDGED_DEGRADED,
        /** Too few replicas hold it: not acknowledged; the chunk takes no I/O until repaired. */
        NO_IO
    }

    private Quorum() {
    }

    public static WriteOutcome afterWrite(int replicas, int failed, int minSize) {
        check(replicas, minSize);
        if (failed < 0 || failed > replicas) {
            throw new IllegalArgumentException("failed replicas " + failed + " of " + replicas);
        }
        if (failed == 0) {
            return WriteOutcome.ACKNOWLEDGED;
        }
        return mayKeep(replicas - failed, minSize) ? WriteOutcome.ACKNOWLEDGED_DEGRADED : WriteOutcome.NO_IO;
    }

    /** Whether a placement of {@code replicas} bricks may take I/O (and be committed by a placement change). */
    public static boolean mayKeep(int replicas, int minSize) {
        return replicas >= minSize && replicas > 0;
    }

    /** Bricks to place a new chunk on, or 0 if fewer than min-size are reachable (no placement). */
    public static int placementCount(int size, int minSize, int reachable) {
        check(size, minSize);
        int n = Math.min(size, reachable);
        return mayKeep(n, minSize) ? n : 0;
    }

    /**
     * Whether acknowledged data survives {@code lost} replicas lost for good: every acknowledged
     * write is on at least min-size replicas, so it survives fewer than min-size losses.
     */
    public static boolean survives(int minSize, int lost) {
        return lost < minSize;
    }

    private static void check(int size, int minSize) {
        if (minSize < 1 || minSize > size) {
            throw new IllegalArgumentException("min-size " + minSize + " must be between 1 and size " + size);
        }
    }
}
