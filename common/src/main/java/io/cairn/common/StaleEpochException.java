package io.cairn.common;

/** A writer or reader named an epoch other than the replica's; {@link #currentEpoch()} is the replica's. */
public final class StaleEpochException extends CairnException {
    private final long currentEpoch;

    public StaleEpochException(String message, long currentEpoch) {
        super(ErrorCode.STALE_EPOCH, message);
        this.currentEpoch = currentEpoch;
    }

    public long currentEpoch() {
        return currentEpoch;
    }
}
