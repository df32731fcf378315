package io.cairn.client;

import io.cairn.common.Replies;
import com.google.protobuf.ByteString;
import io.cairn.common.Backoff;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.HeartbeatReply;
import io.cairn.proto.HeartbeatRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.MetaReply;
import io.cairn.proto.MetaServiceGrpc;
import io.cairn.proto.MutateRequest;
import io.cairn.proto.QueryRequest;
import io.grpc.StatusRuntimeException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A connection to the meta servers of a pool. Finds the leader and follows it across leader
 * changes; retries a call on NOT_LEADER, UNAVAILABLE or a lost connection until the I/O timeout,
 * always with the same call id, so a mutation that reached the log before the failure is not
 * applied twice. Thread-safe; one per process is enough.
 */
public final class MetaClient implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final List<String> addresses;
    private final Duration ioTimeout;
    private final Channels channels = new Channels(64 << 20);
    private final ByteString clientId;
    private final AtomicLong callIds = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();
    private volatile String leader;
    private volatile Barrier barrier = NO_BARRIER;

    /**
     * Run before every ordered call ({@link #mutate}, {@link #query}): the client's write-back
     * sends what it queued, so the meta group sees this client's changes in the order it made
     * them. Calls made by the write-back itself go through the unordered variants.
     */
    public interface Barrier {
        /** Before {@code m} is sent. */
        void beforeMutate(MetaMutation m) throws CairnException;

        /** Before {@code q} is sent. */
        void beforeQuery(MetaQuery q) throws CairnException;
    }

    private static final Barrier NO_BARRIER = new Barrier() {
        @Override
        public void beforeMutate(MetaMutation m) {
        }

        @Override
        public void beforeQuery(MetaQuery q) {
        }
    };

    public MetaClient(List<String> addresses, Duration ioTimeout) throws CairnException {
        if (addresses.isEmpty()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "no meta server address given; pass --meta HOST:PORT[,HOST:PORT...] or set CAIRN_META");
        }
        this.addresses = List.copyOf(addresses);
        this.ioTimeout = ioTimeout;
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        this.clientId = ByteString.copyFrom(id);
        this.leader = addresses.get(0);
    }

    public static MetaClient connect(String commaSeparated, Duration ioTimeout) throws CairnException {
        return new MetaClient(List.of(commaSeparated.trim().split("\\s*,\\s*")), ioTimeout);
    }

    public void setBarrier(Barrier barrier) {
        this.barrier = barrier;
    }

    /** Applies a mutation through the log; a domain error is thrown as a {@link CairnException}. */
    public MetaReply mutate(Credentials cred, MetaMutation mutation) throws CairnException {
        barrier.beforeMutate(mutation);
        return mutateUnordered(cred, mutation, nextCallId());
    }

    /**
     * As {@link #mutate}, without waiting for the write-back, under a call id the caller took
     * from {@link #nextCallId} (the same id on a later retry: applied once).
     */
    public MetaReply mutateUnordered(Credentials cred, MetaMutation mutation, long callId) throws CairnException {
        MutateRequest request = MutateRequest.newBuilder()
                .setClientId(clientId)
                .setCallId(callId)
                .setCred(cred)
                .setMutation(mutation)
                .build();
        return call(stub -> stub.mutate(request), mutation.getOpCase().name());
    }

    public long nextCallId() {
        return callIds.incrementAndGet();
    }

    /** A linearizable read; a domain error is thrown as a {@link CairnException}. */
    public MetaReply query(Credentials cred, MetaQuery query) throws CairnException {
        barrier.beforeQuery(query);
        return queryUnordered(cred, query);
    }

    /** As {@link #query}, without waiting for the write-back. */
    public MetaReply queryUnordered(Credentials cred, MetaQuery query) throws CairnException {
        QueryRequest request = QueryRequest.newBuilder().setCred(cred).setQuery(query).setClientId(clientId).build();
        return call(stub -> stub.query(request), query.getOpCase().name());
    }

    /**
     * Opens this client's session stream on the server it takes for the leader: lease recalls
     * arrive on {@code events}, which also hears when the stream ends (open it again then).
     */
    public void openSession(io.grpc.stub.StreamObserver<io.cairn.proto.SessionEvent> events) {
        MetaServiceGrpc.newStub(channels.get(leader)).session(
                io.cairn.proto.SessionRequest.newBuilder().setClientId(clientId).build(), events);
    }

    /**
     * One heartbeat to the leader. A server that does not lead names the leader, and the heartbeat
     * goes there; one that knows no leader (it lost its peers) is passed over for the next server,
     * each asked at most once, so a node never stays with a server cut off from the group.
     * UNAVAILABLE if none of them leads.
     */
    public HeartbeatReply heartbeat(HeartbeatRequest request) throws CairnException {
        String lastProblem = "";
        for (int tries = 0; tries <= addresses.size(); tries++) {
            String target = leader;
            try {
                HeartbeatReply reply = stub(target).heartbeat(request);
                if (reply.getLeader()) {
                    return reply;
                }
                String named = reply.getLeaderAddress();
                if (!named.isEmpty() && !named.equals(target)) {
                    leader = named;
                    lastProblem = target + " is not the leader";
                    continue;
                }
                lastProblem = target + " is not the leader and knows none";
            } catch (StatusRuntimeException e) {
                lastProblem = target + " unreachable: " + e.getStatus().getCode();
            }
            rotate(target);
        }
        throw new CairnException(ErrorCode.UNAVAILABLE, "no meta server of " + String.join(",", addresses)
                + " leads (last: " + lastProblem + ")");
    }

    private MetaReply call(Function<MetaServiceGrpc.MetaServiceBlockingStub, MetaReply> rpc, String what)
            throws CairnException {
        Backoff backoff = new Backoff(ioTimeout, 20, 500);
        String lastProblem = "";
        while (true) {
            String target = leader;
            try {
                MetaReply reply = rpc.apply(stub(target));
                ErrorCode code = ErrorCode.fromProto(reply.getCode());
                if (code == ErrorCode.OK) {
                    return reply;
                }
                if (code == ErrorCode.NOT_LEADER) {
                    if (!reply.getLeaderAddress().isEmpty() && !reply.getLeaderAddress().equals(target)) {
                        leader = reply.getLeaderAddress();
                        continue;
                    }
                    rotate(target);
                    lastProblem = target + " is not the leader and knows none";
                } else if (code == ErrorCode.UNAVAILABLE || code == ErrorCode.TIMEOUT || code == ErrorCode.LEASED) {
                    // The group could not answer (no leader yet, a peer unreachable): ask again.
                    // Every other code is the meta service's answer to this call, final for it.
                    lastProblem = target + ": " + reply.getMessage();
                } else {
                    throw Replies.error(reply, "");
                }
            } catch (StatusRuntimeException e) {
                rotate(target);
                lastProblem = target + " unreachable: " + e.getStatus().getCode()
                        + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription());
            }
            if (backoff.expired()) {
                throw new CairnException(ErrorCode.TIMEOUT, "no meta server of " + String.join(",", addresses)
                        + " answered " + what.toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " within "
                        + Math.max(1, ioTimeout.toSeconds()) + " s (last: " + lastProblem
                        + "); are they running, and are --meta / CAIRN_META right?");
            }
            backoff.pause("retrying a metadata call");
        }
    }

    private void rotate(String failed) {
        if (failed.equals(leader)) {
            leader = addresses.get(Math.floorMod(next.incrementAndGet(), addresses.size()));
        }
    }

    private MetaServiceGrpc.MetaServiceBlockingStub stub(String address) {
        return MetaServiceGrpc.newBlockingStub(channels.get(address)).withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }


    /**
     * Asks one meta server directly, once: "leader", "follower" (it answered NOT_LEADER), or
     * "unreachable".
     */
    public String roleOf(String address) {
        try {
            MetaReply r = stub(address).withDeadlineAfter(2, TimeUnit.SECONDS).query(QueryRequest.newBuilder()
                    .setCred(Credentials.getDefaultInstance())
                    .setQuery(MetaQuery.newBuilder().setListVolumes(io.cairn.proto.ListVolumesRequest.getDefaultInstance()))
                    .build());
            return ErrorCode.fromProto(r.getCode()) == ErrorCode.NOT_LEADER ? "follower"
                    : ErrorCode.fromProto(r.getCode()) == ErrorCode.OK ? "leader" : "unavailable";
        } catch (StatusRuntimeException e) {
            return "unreachable";
        }
    }

    /** The 16-byte id under which this client's mutations are deduplicated. */
    public ByteString clientId() {
        return clientId;
    }

    @Override
    public void close() {
        channels.close();
    }


}
