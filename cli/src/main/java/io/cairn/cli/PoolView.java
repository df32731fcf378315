package io.cairn.cli;

import io.cairn.proto.NodeInfo;
import io.cairn.proto.NodeState;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How storage nodes of the pool look to people and to scripts. */
final class PoolView {
    private PoolView() {
    }

    static String state(NodeState s) {
        return switch (s) {
            case NODE_UP -> "up";
            case NODE_DOWN -> "down";
            case NODE_OUT -> "out";
            default -> "unknown";
        };
    }

    /** "0.4 s ago", or "-" when the leader has not heard from the node since it became leader. */
    static String heartbeatAge(NodeInfo n, long nowMs) {
        if (n.getLastHeartbeatMs() == 0) {
            return "-";
        }
        double s = Math.max(0, nowMs - n.getLastHeartbeatMs()) / 1000.0;
        return s < 100 ? String.format("%.1f s ago", s) : String.format("%d s ago", (long) s);
    }

    static void table(PrintWriter out, List<NodeInfo> nodes, long nowMs) {
        Table t = new Table("ID", "ADDRESS", "UUID", "STATE", "LAST HEARTBEAT");
        for (NodeInfo n : nodes) {
            t.row(n.getNodeId(), n.getAddress(), n.getUuid(), state(n.getState()), heartbeatAge(n, nowMs));
        }
        t.print(out);
    }

    static Map<String, Object> json(NodeInfo n, long nowMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.getNodeId());
        m.put("address", n.getAddress());
        m.put("uuid", n.getUuid());
        m.put("state", state(n.getState()));
        m.put("last_heartbeat_ms", n.getLastHeartbeatMs());
        m.put("last_heartbeat_age_ms", n.getLastHeartbeatMs() == 0 ? null : Math.max(0, nowMs - n.getLastHeartbeatMs()));
        return m;
    }

    static Map<String, Object> json(List<NodeInfo> nodes, long nowMs) {
        return Map.of("nodes", nodes.stream().map(n -> json(n, nowMs)).toList());
    }
}
