package io.cairn.common;

import java.util.List;

/**
 * NO_SPACE with the bricks that are full. A writer told that the chunk's primary is full makes
 * another replica the primary (as for an unreachable primary); told that other replicas are
 * full and cannot be dropped, it fails at once with ENOSPC.
 */
public final class BricksFullException extends CairnException {
    private final List<Long> bricks;

    public BricksFullException(String message, List<Long> bricks, Throwable cause) {
        super(ErrorCode.NO_SPACE, message, cause);
        this.bricks = List.copyOf(bricks);
    }

    public List<Long> bricks() {
        return bricks;
    }
}
