package io.cairn.meta.pool;

import io.cairn.proto.BrickUsage;
import io.cairn.proto.HeartbeatRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Heartbeats received by this meta server, kept in memory only. */
public final class NodeLiveness implements Liveness {
    private record Beat(long atMs, Map<String, BrickUsage> bricks) {
    }

    private final Clock clock;
    private final Duration downTimeout;
    private final BrickFill thresholds;
    private final Map<Long, Beat> beats = new ConcurrentHashMap<>();

    public NodeLiveness(Clock clock, Duration downTimeout) {
        this(clock, downTimeout, BrickFill.DEFAULT);
    }

    public NodeLiveness(Clock clock, Duration downTimeout, BrickFill thresholds) {
        this.clock = clock;
        this.downTimeout = downTimeout;
        this.thresholds = thresholds;
    }

    public void heartbeat(long nodeId, HeartbeatRequest request) {
        Map<String, BrickUsage> bricks = new ConcurrentHashMap<>();
        for (BrickUsage b : request.getBricksList()) {
            bricks.put(b.getPath(), b);
        }
        beats.put(nodeId, new Beat(clock.millis(), bricks));
    }

    /** Forgets every heartbeat, e.g. on becoming leader, so nodes must prove themselves again. */
    public void reset() {
        beats.clear();
    }

    @Override
    public boolean isLive(long nodeId) {
        Beat b = beats.get(nodeId);
        return b != null && clock.millis() - b.atMs() <= downTimeout.toMillis();
    }

    @Override
    public Optional<BrickUsage> usage(long nodeId, String brickPath) {
        Beat b = beats.get(nodeId);
        return b == null ? Optional.empty() : Optional.ofNullable(b.bricks().get(brickPath));
    }

    @Override
    public BrickFill.Level fill(long nodeId, String brickPath) {
        return usage(nodeId, brickPath).map(thresholds::level).orElse(BrickFill.Level.OK);
    }

    @Override
    public BrickFill thresholds() {
        return thresholds;
    }

    @Override
    public long lastHeartbeatMs(long nodeId) {
        Beat b = beats.get(nodeId);
        return b == null ? 0 : b.atMs();
    }
}
