package io.cairn.common;

import java.util.Optional;

/** The meta server asked is not the Raft leader; {@link #leaderAddress()} names it if known. */
public final class NotLeaderException extends CairnException {
    private final String leaderAddress;

    public NotLeaderException(String message, String leaderAddress) {
        super(ErrorCode.NOT_LEADER, message);
        this.leaderAddress = leaderAddress == null ? "" : leaderAddress;
    }

    public Optional<String> leaderAddress() {
        return leaderAddress.isEmpty() ? Optional.empty() : Optional.of(leaderAddress);
    }
}
