package io.cairn.storage.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.metrics.MetricsEndpoint;
import io.cairn.proto.BrickUsage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The storage node's series: names, help, labels and values read from the suppliers it is given. */
class NodeMetricsTest {
    @Test
    void everySeriesReadsItsSourceWithHelpText() {
        PrometheusRegistry registry = new PrometheusRegistry();
        NodeMetrics m = new NodeMetrics(registry, new NodeMetrics.Sources(() -> 12, () -> 1, () -> 30,
                () -> List.of(BrickUsage.newBuilder().setPath("/b/1").setCapacityBytes(1000).setFreeBytes(400).build())));
        m.written(4096);
        m.written(100);
        m.read(10);
        m.replicateCall();
        m.copied(1 << 20);
        String text = MetricsEndpoint.text(registry);
        assertThat(text).contains(
                "cairn_node_written_bytes_total 4196.0\n",
                "cairn_node_read_bytes_total 10.0\n",
                "cairn_node_replicate_calls_total 1.0\n",
                "cairn_node_copied_bytes_total 1048576.0\n",
                "cairn_node_scrubbed_replicas_total 12.0\n",
                "cairn_node_corrupt_replicas_total 1.0\n",
                "cairn_node_replica_report_pending 30.0\n",
                "cairn_node_brick_capacity_bytes{brick=\"/b/1\"} 1000.0\n",
                "cairn_node_brick_free_bytes{brick=\"/b/1\"} 400.0\n");
        assertThat(text.lines().filter(l -> l.startsWith("# HELP ")).toList()).hasSize(9)
                .allSatisfy(l -> assertThat(l).matches("# HELP cairn_node_[a-z_]+ \\S.*"));
    }
}
