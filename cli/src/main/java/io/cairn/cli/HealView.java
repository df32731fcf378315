package io.cairn.cli;

import io.cairn.proto.BrickHeal;
import io.cairn.proto.HealEntry;
import io.cairn.proto.HealInfo;
import io.cairn.proto.LostChunk;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code cairn volume heal NAME info} for people and for scripts. */
final class HealView {
    private HealView() {
    }

    static void print(PrintWriter out, HealInfo h, long nowMs) {
        if (h.getScannedAtMs() == 0) {
            out.println("Volume " + h.getVolume() + ": the meta leader has not scanned its chunks yet"
                    + " (it does within the repair interval of taking office); ask again shortly.");
            return;
        }
        out.println("Volume " + h.getVolume() + ": " + h.getPending() + " of " + h.getChunks() + " chunks need heal ("
                + h.getBelowMinSize() + " below min-size, " + h.getUnavailable() + " with no usable replica); "
                + (h.getLost() > 0 ? h.getLost() + " lost; " : "")
                + h.getInProgress() + " in progress.");
        out.println("Repaired " + h.getRepaired() + ", failed attempts " + h.getFailed()
                + " since the current meta leader took office; last scan " + Math.max(0, (nowMs - h.getScannedAtMs()) / 1000)
                + " s ago.");
        for (BrickHeal b : h.getBricksList()) {
            out.println();
            out.println("Brick " + b.getBrick());
            out.println("Number of entries: " + b.getPending());
        }
        if (h.getEntriesCount() > 0) {
            out.println();
            out.println("Chunks to heal, most urgent first" + (h.getPending() > h.getEntriesCount()
                    ? " (first " + h.getEntriesCount() + ")" : "") + ":");
            Table t = new Table("INODE", "INDEX", "CHUNK", "USABLE", "WHY");
            for (HealEntry e : h.getEntriesList()) {
                t.row(e.getInode(), e.getIndex(), Long.toHexString(e.getChunkId()), e.getUsable(), e.getReason());
            }
            t.print(out);
        }
        if (h.getLost() > 0) {
            out.println();
            out.println("Lost: " + h.getLost() + " chunks have no readable replica left; reads of their ranges fail with EIO."
                    + " Restore these files from a backup, or delete them" + (h.getLost() > h.getLostChunksCount()
                    ? " (first " + h.getLostChunksCount() + ")" : "") + ":");
            Table t = new Table("PATH", "INODE", "INDEX", "CHUNK");
            for (LostChunk l : h.getLostChunksList()) {
                t.row(l.getPath().isEmpty() ? "(no name)" : l.getPath(), l.getInode(), l.getIndex(), Long.toHexString(l.getChunkId()));
            }
            t.print(out);
        }
    }

    static Map<String, Object> json(HealInfo h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("volume", h.getVolume());
        m.put("scanned", h.getScannedAtMs() != 0);
        m.put("scannedAtMs", h.getScannedAtMs());
        m.put("chunks", h.getChunks());
        m.put("pending", h.getPending());
        m.put("belowMinSize", h.getBelowMinSize());
        m.put("unavailable", h.getUnavailable());
        m.put("inProgress", h.getInProgress());
        m.put("repaired", h.getRepaired());
        m.put("failed", h.getFailed());
        List<Map<String, Object>> bricks = h.getBricksList().stream().map(b -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("brick", b.getBrick());
            x.put("entries", b.getPending());
            return x;
        }).toList();
        m.put("bricks", bricks);
        List<Map<String, Object>> entries = h.getEntriesList().stream().map(e -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("inode", e.getInode());
            x.put("index", e.getIndex());
            x.put("chunk", Long.toHexString(e.getChunkId()));
            x.put("usable", e.getUsable());
            x.put("reason", e.getReason());
            return x;
        }).toList();
        m.put("entries", entries);
        m.put("lost", h.getLost());
        m.put("lostChunks", h.getLostChunksList().stream().map(l -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("path", l.getPath());
            x.put("inode", l.getInode());
            x.put("index", l.getIndex());
            x.put("chunk", Long.toHexString(l.getChunkId()));
            return x;
        }).toList());
        return m;
    }
}
