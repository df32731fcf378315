package io.cairn.meta.ratis;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.NotLeaderException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Submits writes and linearizable reads to the local Ratis server without a network hop, and
 * turns Ratis's failures into {@link CairnException}s: not the leader (naming the leader's client
 * address), or unavailable. The one place where Ratis's shaded protobuf meets ours.
 */
public final class RaftGateway {
    private final RaftServer server;
    private final RaftGroupId groupId;
    private final Map<String, String> clientAddresses;
    private final ClientId self = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();

    public RaftGateway(RaftServer server, RaftGroupId groupId, Map<String, String> clientAddresses) {
        this.server = server;
        this.groupId = groupId;
        this.clientAddresses = clientAddresses;
    }

    public CompletableFuture<byte[]> write(byte[] entry) {
        return submit(entry, RaftClientRequest.writeRequestType());
    }

    public CompletableFuture<byte[]> read(byte[] query) {
        return submit(query, RaftClientRequest.readRequestType());
    }

    private CompletableFuture<byte[]> submit(byte[] payload, RaftClientRequest.Type type) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(self)
                .setServerId(server.getId())
                .setGroupId(groupId)
                .setCallId(callIds.incrementAndGet())
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(payload)))
                .setType(type)
                .build();
        try {
            return server.submitClientRequestAsync(request).handle((reply, error) -> {
                if (error != null) {
                    throw new CompletionException(unavailable(error));
                }
                return contentOf(reply);
            });
        } catch (IOException e) {
            return CompletableFuture.failedFuture(unavailable(e));
        }
    }

    private byte[] contentOf(RaftClientReply reply) {
        if (reply.isSuccess()) {
            return reply.getMessage().getContent().toByteArray();
        }
        if (reply.getNotLeaderException() != null) {
            var suggested = reply.getNotLeaderException().getSuggestedLeader();
            String leader = suggested == null ? "" : clientAddresses.getOrDefault(suggested.getId().toString(), "");
            throw new CompletionException(new NotLeaderException("this meta server is not the leader", leader));
        }
        Exception e = reply.getException();
        throw new CompletionException(unavailable(e == null ? new IllegalStateException("request failed") : e));
    }

    private static CairnException unavailable(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return new CairnException(ErrorCode.UNAVAILABLE, "metadata group unavailable: " + cause.getMessage(), cause);
    }

    /** Whether this server is the leader and has applied its first entry of the term. */
    public boolean isLeader() {
        DivisionInfo info = info();
        return info != null && info.isLeader() && info.isLeaderReady();
    }

    /** The leader's client address, if this server knows who leads. */
    public Optional<String> leaderAddress() {
        DivisionInfo info = info();
        if (info == null) {
            return Optional.empty();
        }
        RaftPeerId leader = info.getLeaderId();
        return leader == null ? Optional.empty() : Optional.ofNullable(clientAddresses.get(leader.toString()));
    }

    public long lastAppliedIndex() {
        DivisionInfo info = info();
        return info == null ? -1 : info.getLastAppliedIndex();
    }

    /** Asks the Raft member to take a snapshot now (and purge the log behind it). */
    public long snapshotNow() throws IOException {
        // A creation gap of 1: snapshot even if few entries came since the last one.
        var request = org.apache.ratis.protocol.SnapshotManagementRequest.newCreate(
                self, server.getId(), groupId, callIds.incrementAndGet(), 60_000, 1);
        RaftClientReply reply = server.snapshotManagement(request);
        if (!reply.isSuccess()) {
            throw new CairnException(ErrorCode.UNAVAILABLE, "snapshot failed: " + reply.getException());
        }
        return reply.getLogIndex();
    }

    private DivisionInfo info() {
        try {
            return server.getDivision(groupId).getInfo();
        } catch (IOException e) {
            return null;
        }
    }
}
