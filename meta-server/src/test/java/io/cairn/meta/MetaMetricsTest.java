package io.cairn.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.common.metrics.MetricsEndpoint;
import io.cairn.proto.HealInfo;
import io.cairn.proto.NodeState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import io.cairn.meta.pool.BrickFill;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The meta server's series: names, help, labels and values read from the suppliers it is given. */
class MetaMetricsTest {
    @Test
    void everySeriesReadsItsSourceWithHelpText() {
        PrometheusRegistry registry = new PrometheusRegistry();
        boolean[] leader = {false};
        MetaMetrics m = new MetaMetrics(registry, new MetaMetrics.Sources(() -> leader[0], () -> 42,
                () -> Map.of(NodeState.NODE_UP, 3L, NodeState.NODE_OUT, 1L),
                () -> List.of(HealInfo.newBuilder().setVolume("vol0").setPending(7).setInProgress(2).setRepaired(5)
                        .setFailed(1).setLost(3).build()),
                () -> Map.of(BrickFill.Level.FULL, 2L, BrickFill.Level.NEARFULL, 1L, BrickFill.Level.OK, 5L)));
        m.proposed(3);
        m.proposed(1);
        m.queried();
        String text = MetricsEndpoint.text(registry);
        assertThat(text).contains(
                "cairn_meta_raft_leader 0.0\n",
                "cairn_meta_raft_applied_index 42.0\n",
                "cairn_meta_mutations_total 4.0\n",
                "cairn_meta_queries_total 1.0\n",
                "cairn_meta_proposer_batch_mutations_count 2\n",
                "cairn_meta_proposer_batch_mutations_bucket{le=\"2.0\"} 1\n",
                "cairn_meta_nodes{state=\"up\"} 3.0\n",
                "cairn_meta_nodes{state=\"down\"} 0.0\n",
                "cairn_meta_nodes{state=\"out\"} 1.0\n",
                "cairn_meta_repair_pending_chunks{volume=\"vol0\"} 7.0\n",
                "cairn_meta_repair_in_progress_chunks{volume=\"vol0\"} 2.0\n",
                "cairn_meta_repair_repaired_chunks_total{volume=\"vol0\"} 5.0\n",
                "cairn_meta_repair_failed_chunks_total{volume=\"vol0\"} 1.0\n",
                "cairn_meta_lost_chunks{volume=\"vol0\"} 3.0\n",
                "cairn_meta_bricks_full 2.0\n",
                "cairn_meta_bricks_nearfull 1.0\n");
        leader[0] = true;
        assertThat(MetricsEndpoint.text(registry)).contains("cairn_meta_raft_leader 1.0\n");
        assertThat(text.lines().filter(l -> l.startsWith("# HELP ")).toList()).hasSize(13)
                .allSatisfy(l -> assertThat(l).matches("# HELP cairn_meta_[a-z_]+ \\S.*"));
    }
}
