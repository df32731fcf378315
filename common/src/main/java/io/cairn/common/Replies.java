package io.cairn.common;

import io.cairn.proto.MetaReply;
import io.cairn.proto.StorageReply;

/**
 * The one table between a reply's error fields and {@link CairnException}: a server turns the
 * exception a handler threw into the code, message and payload of its reply, and a caller turns
 * a reply that is not OK back into the same exception, subclass and payload included (a hinted
 * leader, a replica's current epoch, the bricks that are full). Every service answers domain
 * errors inside its reply body this way; gRPC statuses are for calls that got no answer.
 */
public final class Replies {
    private Replies() {
    }

    /** A meta reply carrying {@code e}, with the leader hint of a {@link NotLeaderException}. */
    public static MetaReply meta(CairnException e) {
        MetaReply.Builder r = MetaReply.newBuilder().setCode(e.code().toProto()).setMessage(message(e));
        if (e instanceof NotLeaderException nl) {
            r.setLeaderAddress(nl.leaderAddress().orElse(""));
        }
        return r.build();
    }

    /** A storage reply carrying {@code e}, with a stale epoch's current epoch or the full bricks. */
    public static StorageReply storage(CairnException e) {
        return storageBuilder(e).build();
    }

    /** As {@link #storage}, for a reply the caller completes. */
    public static StorageReply.Builder storageBuilder(CairnException e) {
        StorageReply.Builder b = StorageReply.newBuilder().setCode(e.code().toProto()).setMessage(message(e));
        if (e instanceof StaleEpochException s) {
            b.setCurrentEpoch(s.currentEpoch());
        } else if (e instanceof BricksFullException f) {
            b.addAllFailedBricks(f.bricks());
        }
        return b;
    }

    /** The exception a meta reply that is not OK stands for; {@code context} prefixes its message. */
    public static CairnException error(MetaReply r, String context) {
        String message = prefixed(context, r.getMessage());
        ErrorCode code = ErrorCode.fromProto(r.getCode());
        if (code == ErrorCode.NOT_LEADER) {
            return new NotLeaderException(message, r.getLeaderAddress());
        }
        return new CairnException(code, message);
    }

    /** The exception a storage reply that is not OK stands for; {@code context} prefixes its message. */
    public static CairnException error(StorageReply r, String context) {
        String message = prefixed(context, r.getMessage());
        ErrorCode code = ErrorCode.fromProto(r.getCode());
        return switch (code) {
            case STALE_EPOCH -> new StaleEpochException(message, r.getCurrentEpoch());
            case NO_SPACE -> new BricksFullException(message, r.getFailedBricksList(), null);
            default -> new CairnException(code, message);
        };
    }

    private static String message(CairnException e) {
        return e.getMessage() == null ? e.code().name() : e.getMessage();
    }

    private static String prefixed(String context, String message) {
        return context == null || context.isEmpty() ? message : context + ": " + message;
    }
}
