package io.cairn.storage.node;

import io.cairn.proto.BrickUsage;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every series of a storage node, declared here and nowhere else. It reads what it reports
 * through the suppliers it is given and counts what the node's call meter tells it; it never
 * holds the node itself.
 */
public final class NodeMetrics {
    /** What the callbacks read, each a narrow view of one part of the node. */
    public record Sources(LongSupplier scrubbed, LongSupplier corrupt, LongSupplier reportPending,
                          Supplier<List<BrickUsage>> bricks) {
    }

    private final Counter written;
    private final Counter read;
    private final Counter replicateCalls;
    private final Counter copied;

    public NodeMetrics(PrometheusRegistry registry, Sources s) {
        this.written = Counter.builder().name("cairn_node_written_bytes_total")
                .help("Bytes written to this node's bricks by successful write and replicate calls").register(registry);
        this.read = Counter.builder().name("cairn_node_read_bytes_total")
                .help("Bytes read from this node's bricks by successful read calls").register(registry);
        this.copied = Counter.builder().name("cairn_node_copied_bytes_total")
                .help("Bytes copy_file_range copied into chunks this node leads, read from other chunks' replicas"
                        + " rather than sent by the client (the primary's own write; replicas count them as written)")
                .register(registry);
        this.replicateCalls = Counter.builder().name("cairn_node_replicate_calls_total")
                .help("Replicate calls from primaries (successful or not)").register(registry);
        CounterWithCallback.builder().name("cairn_node_scrubbed_replicas_total")
                .help("Replicas the scrubber checked against their checksums since the node started")
                .callback(cb -> cb.call(s.scrubbed().getAsLong())).register(registry);
        CounterWithCallback.builder().name("cairn_node_corrupt_replicas_total")
                .help("Replicas the scrubber found corrupt since the node started")
                .callback(cb -> cb.call(s.corrupt().getAsLong())).register(registry);
        GaugeWithCallback.builder().name("cairn_node_replica_report_pending")
                .help("Replica changes queued for the next heartbeats' replica reports")
                .callback(cb -> cb.call(s.reportPending().getAsLong())).register(registry);
        GaugeWithCallback.builder().name("cairn_node_brick_capacity_bytes").labelNames("brick")
                .help("Size of the file system holding each brick")
                .callback(cb -> s.bricks().get().forEach(b -> cb.call(b.getCapacityBytes(), b.getPath()))).register(registry);
        GaugeWithCallback.builder().name("cairn_node_brick_free_bytes").labelNames("brick")
                .help("Space usable by each brick on its file system")
                .callback(cb -> s.bricks().get().forEach(b -> cb.call(b.getFreeBytes(), b.getPath()))).register(registry);
    }

    void written(long bytes) {
        written.inc(bytes);
    }

    void read(long bytes) {
        read.inc(bytes);
    }

    void copied(long bytes) {
        copied.inc(bytes);
    }

    void replicateCall() {
        replicateCalls.inc();
    }
}
