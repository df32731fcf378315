package io.cairn.cli;

import io.cairn.client.admin.VolumeAdmin;
import io.cairn.proto.BrickInfo;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How volumes look to people (GlusterFS's "Key: value" info) and to scripts. */
final class VolumeView {
    private VolumeView() {
    }

    static String state(VolumeState s) {
        return switch (s) {
            case VOLUME_CREATED -> "created";
            case VOLUME_STARTED -> "started";
            case VOLUME_STOPPED -> "stopped";
            default -> "unknown";
        };
    }

    static String brick(BrickInfo b) {
        return b.getAddress() + ":" + b.getPath();
    }

    static void info(PrintWriter out, VolumeInfo v) {
        String state = state(v.getState());
        out.println("Volume Name: " + v.getName());
        out.println("Volume ID: " + v.getUuid());
        out.println("Status: " + Character.toUpperCase(state.charAt(0)) + state.substring(1));
        out.println("Replica: " + v.getSize() + " (min-size " + v.getMinSize() + ")");
        out.println("Chunk Size: " + DataSizes.format(v.getChunkSize()));
        out.println("Number of Bricks: " + v.getBricksCount());
        out.println("Bricks:");
        for (int i = 0; i < v.getBricksCount(); i++) {
            out.println("Brick" + (i + 1) + ": " + brick(v.getBricks(i)));
        }
        out.println("Options:");
        VolumeAdmin.settings(v).forEach((k, val) -> out.println(k + ": " + val));
    }

    /** The volume's bricks with the state of their storage node and their space. */
    static void status(PrintWriter out, VolumeInfo v, List<NodeInfo> pool) {
        out.println("Volume " + v.getName() + ": " + state(v.getState()) + ", replica " + v.getSize()
                + ", min-size " + v.getMinSize());
        Table t = new Table("BRICK", "NODE", "USED", "CAPACITY", "FREE", "FILL");
        for (BrickInfo b : v.getBricksList()) {
            t.row(brick(b), nodeState(b, pool), space(used(b), b), space(b.getCapacityBytes(), b),
                    space(b.getFreeBytes(), b), fill(b));
        }
        t.print(out);
        long full = v.getBricksList().stream().filter(BrickInfo::getFull).count();
        if (full > 0) {
            out.println(full + " brick(s) FULL: no new chunks go there and writes to their replicas fail with ENOSPC;"
                    + " free space on them or add bricks with `cairn volume add-brick " + v.getName() + " HOST:/PATH`");
        }
    }

    private static long used(BrickInfo b) {
        return Math.max(0, b.getCapacityBytes() - b.getFreeBytes());
    }

    /** Used over capacity in percent, flagged FULL or NEARFULL by the leader's thresholds. */
    static String fill(BrickInfo b) {
        if (b.getCapacityBytes() == 0) {
            return "-";
        }
        String pct = (int) Math.floor(100.0 * used(b) / b.getCapacityBytes()) + "%";
        return b.getFull() ? pct + " FULL" : b.getNearfull() ? pct + " NEARFULL" : pct;
    }

    private static String nodeState(BrickInfo b, List<NodeInfo> pool) {
        return pool.stream().filter(n -> n.getNodeId() == b.getNodeId()).findFirst()
                .map(n -> PoolView.state(n.getState())).orElse("unknown");
    }

    private static String space(long bytes, BrickInfo b) {
        return b.getCapacityBytes() == 0 ? "-" : DataSizes.format(bytes);
    }

    static Map<String, Object> json(VolumeInfo v, List<NodeInfo> pool) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.getName());
        m.put("uuid", v.getUuid());
        m.put("id", v.getVolumeId());
        m.put("state", state(v.getState()));
        m.put("replica", v.getSize());
        m.put("min_size", v.getMinSize());
        m.put("chunk_size", v.getChunkSize());
        m.put("bricks", v.getBricksList().stream().map(b -> {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("id", b.getBrickId());
            bm.put("node_id", b.getNodeId());
            bm.put("address", b.getAddress());
            bm.put("path", b.getPath());
            if (pool != null) {
                bm.put("node_state", nodeState(b, pool));
            }
            bm.put("capacity_bytes", b.getCapacityBytes());
            bm.put("free_bytes", b.getFreeBytes());
            bm.put("used_bytes", used(b));
            bm.put("full", b.getFull());
            bm.put("nearfull", b.getNearfull());
            return bm;
        }).toList());
        m.put("options", VolumeAdmin.settings(v));
        return m;
    }
}
