package io.cairn.fuse;

import java.util.ArrayList;
import java.util.List;

/** Reading /proc/PID/status: the supplementary groups and the effective uid. Pure parsing. */
public final class ProcStatus {
    private ProcStatus() {
    }

    /** The ids on the {@code Groups:} line; empty when there is none. */
    public static List<Integer> groups(String status) {
        List<Integer> out = new ArrayList<>();
        for (String line : status.split("\n")) {
            if (line.startsWith("Groups:")) {
                for (String g : line.substring("Groups:".length()).trim().split("\\s+")) {
                    if (!g.isEmpty()) {
                        out.add(Integer.parseUnsignedInt(g));
                    }
                }
            }
        }
        return out;
    }

    /** The effective uid (second field of {@code Uid:}), or -1 when the line is missing. */
    public static int effectiveUid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                return f.length > 1 ? Integer.parseInt(f[1]) : Integer.parseInt(f[0]);
            }
        }
        return -1;
    }
}
