package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.HeartbeatReply;
import io.cairn.proto.HeartbeatRequest;
import io.cairn.proto.MetaServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats reach the leader: a meta server cut off from its peers (not the leader, knowing
 * none) is passed over, not kept, and a follower's hint is followed.
 */
class MetaClientHeartbeatTest {
    final List<Server> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(Server::shutdownNow);
    }

    /** A fake meta server answering every heartbeat with {@code reply}; counts the heartbeats it got. */
    String server(HeartbeatReply reply, AtomicInteger got) throws Exception {
        Server s = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new MetaServiceGrpc.MetaServiceImplBase() {
                    @Override
                    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatReply> out) {
                        got.incrementAndGet();
                        out.onNext(reply);
                        out.onCompleted();
                    }
                }).build().start();
        servers.add(s);
        return "127.0.0.1:" + s.getPort();
    }

    @Test
    void aServerThatKnowsNoLeaderIsPassedOverForTheLeader() throws Exception {
        AtomicInteger cutOff = new AtomicInteger();
        AtomicInteger leader = new AtomicInteger();
        String a = server(HeartbeatReply.getDefaultInstance(), cutOff);
        String b = server(HeartbeatReply.newBuilder().setLeader(true).setMember(true).setNodeId(4).build(), leader);
        try (MetaClient c = new MetaClient(List.of(a, b), Duration.ofSeconds(5))) {
            assertThat(c.heartbeat(HeartbeatRequest.getDefaultInstance()).getNodeId()).isEqualTo(4);
            assertThat(c.heartbeat(HeartbeatRequest.getDefaultInstance()).getNodeId()).isEqualTo(4);
        }
        assertThat(cutOff.get()).as("asked once, then left").isEqualTo(1);
        assertThat(leader.get()).isEqualTo(2);
    }

    @Test
    void aFollowersHintIsFollowedAndNoLeaderAnywhereIsUnavailable() throws Exception {
        AtomicInteger got = new AtomicInteger();
        String leader = server(HeartbeatReply.newBuilder().setLeader(true).setNodeId(9).build(), got);
        String follower = server(HeartbeatReply.newBuilder().setLeaderAddress(leader).build(), new AtomicInteger());
        try (MetaClient c = new MetaClient(List.of(follower), Duration.ofSeconds(5))) {
            assertThat(c.heartbeat(HeartbeatRequest.getDefaultInstance()).getNodeId()).isEqualTo(9);
        }
        String lost1 = server(HeartbeatReply.getDefaultInstance(), new AtomicInteger());
        String lost2 = server(HeartbeatReply.getDefaultInstance(), new AtomicInteger());
        try (MetaClient c = new MetaClient(List.of(lost1, lost2), Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> c.heartbeat(HeartbeatRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(CairnException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("is not the leader and knows none");
                    });
        }
    }
}
