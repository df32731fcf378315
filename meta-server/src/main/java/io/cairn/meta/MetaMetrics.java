package io.cairn.meta;

import io.cairn.meta.pool.BrickFill;
import io.cairn.proto.HealInfo;
import io.cairn.proto.NodeState;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every series of a meta server, declared here and nowhere else. It reads what it reports
 * through the suppliers it is given and counts what the server tells it; it never holds the
 * server itself. Repair series come from the leader's scheduler (soft state: zero on followers,
 * and the totals restart when leadership moves).
 */
public final class MetaMetrics {
    /** What the callbacks read, each a narrow view of one part of the server. */
    public record Sources(BooleanSupplier leader, LongSupplier appliedIndex, Supplier<Map<NodeState, Long>> nodesByState,
                          Supplier<List<HealInfo>> repairs, Supplier<Map<BrickFill.Level, Long>> bricksByFill) {
    }

    private final Counter mutations;
    private final Counter queries;
    private final Histogram batch;

    public MetaMetrics(PrometheusRegistry registry, Sources s) {
        GaugeWithCallback.builder().name("cairn_meta_raft_leader")
                .help("1 while this meta server is the Raft leader of the metadata group, else 0")
                .callback(cb -> cb.call(s.leader().getAsBoolean() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("cairn_meta_raft_applied_index")
                .help("Index of the last Raft log entry applied to this server's metadata")
                .callback(cb -> cb.call(s.appliedIndex().getAsLong())).register(registry);
        this.mutations = Counter.builder().name("cairn_meta_mutations_total")
                .help("Metadata mutations this server proposed to the Raft log (as leader)").register(registry);
        this.queries = Counter.builder().name("cairn_meta_queries_total")
                .help("Metadata queries this server answered or refused").register(registry);
        this.batch = Histogram.builder().name("cairn_meta_proposer_batch_mutations")
                .help("Mutations grouped into one Raft log entry")
                .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024).register(registry);
        GaugeWithCallback.builder().name("cairn_meta_nodes").labelNames("state")
                .help("Storage nodes of the pool by state (up, down, out), from the committed metadata")
                .callback(cb -> {
                    Map<NodeState, Long> counts = s.nodesByState().get();
                    for (NodeState st : List.of(NodeState.NODE_UP, NodeState.NODE_DOWN, NodeState.NODE_OUT)) {
                        cb.call(counts.getOrDefault(st, 0L), stateLabel(st));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("cairn_meta_bricks_full")
                .help("Bricks at or above full-ratio of their capacity by their nodes' last heartbeats (the leader's"
                        + " view; 0 on followers): no new chunks go there, and writes to their replicas fail with ENOSPC")
                .callback(cb -> cb.call(s.bricksByFill().get().getOrDefault(BrickFill.Level.FULL, 0L))).register(registry);
        GaugeWithCallback.builder().name("cairn_meta_bricks_nearfull")
                .help("Bricks at or above nearfull-ratio but below full-ratio of their capacity (the leader's view)")
                .callback(cb -> cb.call(s.bricksByFill().get().getOrDefault(BrickFill.Level.NEARFULL, 0L))).register(registry);
        GaugeWithCallback.builder().name("cairn_meta_repair_pending_chunks").labelNames("volume")
                .help("Chunks that need a repair (the heal queue) at the leader's last scan")
                .callback(cb -> s.repairs().get().forEach(h -> cb.call(h.getPending(), h.getVolume()))).register(registry);
        GaugeWithCallback.builder().name("cairn_meta_lost_chunks").labelNames("volume")
                .help("Chunks with no readable replica left at the leader's last scan: their files' bytes are lost")
                .callback(cb -> s.repairs().get().forEach(h -> cb.call(h.getLost(), h.getVolume()))).register(registry);
        GaugeWithCallback.builder().name("cairn_meta_repair_in_progress_chunks").labelNames("volume")
                .help("Chunks being repaired now")
                .callback(cb -> s.repairs().get().forEach(h -> cb.call(h.getInProgress(), h.getVolume()))).register(registry);
        CounterWithCallback.builder().name("cairn_meta_repair_repaired_chunks_total").labelNames("volume")
                .help("Chunk repairs completed since this server became leader")
                .callback(cb -> s.repairs().get().forEach(h -> cb.call(h.getRepaired(), h.getVolume()))).register(registry);
        CounterWithCallback.builder().name("cairn_meta_repair_failed_chunks_total").labelNames("volume")
                .help("Chunk repair attempts that failed since this server became leader (retried at the next scan)")
                .callback(cb -> s.repairs().get().forEach(h -> cb.call(h.getFailed(), h.getVolume()))).register(registry);
    }

    static String stateLabel(NodeState state) {
        return state.name().substring("NODE_".length()).toLowerCase(java.util.Locale.ROOT);
    }

    /** One log entry proposed with {@code size} mutations. */
    public void proposed(int size) {
        mutations.inc(size);
        batch.observe(size);
    }

    /** One metadata query arrived. */
    public void queried() {
        queries.inc();
    }
}
