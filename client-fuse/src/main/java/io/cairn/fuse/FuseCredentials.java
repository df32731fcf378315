package io.cairn.fuse;

import io.cairn.client.fs.TtlCache;
import io.cairn.proto.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The credentials of the process behind a FUSE request: uid and gid from the FUSE context, the
 * supplementary groups from /proc/PID/status (cached per pid for a second: reading /proc on
 * every call would cost more than the call).
 */
final class FuseCredentials {
    private final TtlCache<Long, List<Integer>> groups = new TtlCache<>(Duration.ofSeconds(1), System::nanoTime, 4096);

    Credentials of(long uid, long gid, long pid) {
        return Credentials.newBuilder().setUid((int) uid).setGid((int) gid).addAllGroups(groupsOf(pid)).build();
    }

    private List<Integer> groupsOf(long pid) {
        if (pid <= 0) {
            return List.of();
        }
        TtlCache.Hit<List<Integer>> hit = groups.get(pid);
        if (hit != null) {
            return hit.value();
        }
        List<Integer> g;
        try {
            g = ProcStatus.groups(Files.readString(Path.of("/proc/" + pid + "/status")));
        } catch (IOException | RuntimeException e) {
            g = List.of();  // the process is gone: it does not need its groups any more
        }
        groups.put(pid, g);
        return g;
    }
}
