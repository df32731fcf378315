package io.cairn.client.admin;

import io.cairn.common.Replies;
import io.cairn.client.Channels;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.IdentifyReply;
import io.cairn.proto.IdentifyRequest;
import io.cairn.proto.PrepareBrickRequest;
import io.cairn.proto.ReleaseBrickRequest;
import io.cairn.proto.StorageReply;
import io.cairn.proto.StorageServiceGrpc;
import io.cairn.proto.state.BrickIdentity;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The admin calls to storage nodes (who are you, claim a brick, give it back), one channel per
 * address. A node that cannot be reached, or that is not a storage node, becomes one
 * {@link CairnException} whose message says what to check. Thread-safe; close it when done.
 */
public final class StorageNodeCalls implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Channels channels = new Channels(4 << 20);

    /** Who the node at {@code address} is. With {@code waitForReady} &gt; 0 the call waits that long for the node to listen. */
    public IdentifyReply identify(String address, Duration waitForReady) throws CairnException {
        try {
            StorageServiceGrpc.StorageServiceBlockingStub stub = stub(address, waitForReady.isZero() ? CALL_TIMEOUT : waitForReady);
            return (waitForReady.isZero() ? stub : stub.withWaitForReady()).identify(IdentifyRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            throw unreachable(address, e);
        }
    }

    /** Has the node claim {@code path} as the brick {@code identity} (the directory must exist and be empty). */
    public void prepareBrick(String address, String path, BrickIdentity identity) throws CairnException {
        try {
            check(stub(address, CALL_TIMEOUT).prepareBrick(
                    PrepareBrickRequest.newBuilder().setPath(path).setIdentity(identity).build()));
        } catch (StatusRuntimeException e) {
            throw unreachable(address, e);
        }
    }

    /** Has the node give back a brick it claimed and that holds no data; a brick it never claimed is a no-op. */
    public void releaseBrick(String address, String path, BrickIdentity identity) throws CairnException {
        try {
            check(stub(address, CALL_TIMEOUT).releaseBrick(
                    ReleaseBrickRequest.newBuilder().setPath(path).setIdentity(identity).build()));
        } catch (StatusRuntimeException e) {
            throw unreachable(address, e);
        }
    }

    private static void check(StorageReply reply) throws CairnException {
        if (reply.getCode() != io.cairn.proto.ErrorCode.OK) {
            throw Replies.error(reply, "");
        }
    }

    private StorageServiceGrpc.StorageServiceBlockingStub stub(String address, Duration deadline) {
        ManagedChannel ch = channels.get(address);
        return StorageServiceGrpc.newBlockingStub(ch).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    static CairnException unreachable(String address, StatusRuntimeException e) {
        Status s = e.getStatus();
        if (s.getCode() == Status.Code.UNIMPLEMENTED) {
            return new CairnException(ErrorCode.INVALID_ARGUMENT, address + " answers but is not a storage node"
                    + " (it has no StorageService); give the --listen address of `cairn node`", e);
        }
        String reason;
        if (s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            reason = "no answer in time";
        } else {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            reason = root != e && root.getMessage() != null ? root.getMessage()
                    : s.getDescription() != null ? s.getDescription() : s.getCode().toString();
            // Netty's native transport says "finishConnect(..) failed with error(-111): Connection refused"
            // and its Java one appends ": /ADDRESS", which the message names already.
            reason = reason.replaceFirst("^.*failed with error\\(-?\\d+\\): ", "");
            int at = reason.indexOf(": /");
            reason = at > 0 ? reason.substring(0, at) : reason;
        }
        return new CairnException(ErrorCode.UNAVAILABLE, "cannot reach storage node at " + address + ": " + reason
                + "; is `cairn node` running there?", e);
    }

    @Override
    public void close() {
        channels.close();
    }
}
