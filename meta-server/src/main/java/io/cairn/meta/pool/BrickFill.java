package io.cairn.meta.pool;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.BrickUsage;

/**
 * How full a brick may get, as Ceph's nearfull_ratio and full_ratio: placement puts no new
 * chunk on a brick at or above {@code fullRatio} of its capacity, and {@code volume status} and
 * the metrics flag bricks at or above {@code nearfullRatio} so an admin adds space in time.
 * Pure; the leader judges each brick by its node's last heartbeat.
 */
public record BrickFill(double nearfullRatio, double fullRatio) {
    public static final BrickFill DEFAULT = new BrickFill(0.85, 0.95);

    public enum Level { OK, NEARFULL, FULL }

    /** Used over capacity, 0 when the capacity is not known (no heartbeat yet). */
    public static double ratio(long capacityBytes, long freeBytes) {
        if (capacityBytes <= 0) {
            return 0;
        }
        return (capacityBytes - Math.min(Math.max(freeBytes, 0), capacityBytes)) / (double) capacityBytes;
    }

    public Level level(long capacityBytes, long freeBytes) {
        double r = ratio(capacityBytes, freeBytes);
        if (capacityBytes > 0 && r >= fullRatio) {
            return Level.FULL;
        }
        return capacityBytes > 0 && r >= nearfullRatio ? Level.NEARFULL : Level.OK;
    }

    public Level level(BrickUsage u) {
        return level(u.getCapacityBytes(), u.getFreeBytes());
    }

    /** Checks the ratios; the message names the settings and the fix. */
    public void validate() throws CairnException {
        if (!(fullRatio > 0 && fullRatio <= 1 && nearfullRatio > 0 && nearfullRatio <= fullRatio)) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "full-ratio " + fullRatio + " and nearfull-ratio "
                    + nearfullRatio + " must be fractions with 0 < nearfull-ratio <= full-ratio <= 1, e.g. 0.85 and 0.95");
        }
    }
}
