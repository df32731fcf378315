package io.cairn.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Cuts one meta server's Raft traffic on loopback, leaving its client port alone, with nftables.
 *
 * <p>Every process of a local cluster shares 127.0.0.1, so packets are matched by port, and for
 * the connections the isolated server opens to its peers (peer's Raft port, ephemeral source
 * port) by process: the server is moved into a net_cls cgroup, which re-tags its existing
 * sockets too, and nft drops its packets to the peers' Raft ports by that class id. Anything to
 * or from the server's own Raft port is dropped in both directions.
 *
 * <p>{@link #open} answers empty with the reason when the machine cannot do this (no nft, no
 * permission, no net_cls controller), so a test can skip. {@link #close} heals: it removes the
 * nft table, moves the process back and removes what it mounted; it is idempotent.
 */
final class RaftPartition implements AutoCloseable {
    /** net_cls class id 0x00c4:0x0011 that marks the isolated process's sockets. */
    private static final String CLASS_ID = "0x00c40011";

    private final String table = "cairn_partition_" + ProcessHandle.current().pid();
    private final Path netCls;
    private final boolean mountedHere;
    private final Path group;
    private long isolatedPid = -1;

    private RaftPartition(Path netCls, boolean mountedHere) {
        this.netCls = netCls;
        this.mountedHere = mountedHere;
        this.group = netCls.resolve(table);
    }

    /** A partition tool, or the reason why this machine cannot cut traffic. */
    static Result open() throws IOException, InterruptedException {
        Run version = run(null, "nft", "--version");
        if (version.code != 0) {
            return Result.no("nft is not installed (apt-get install nftables): " + version.out);
        }
        String probe = "cairn_probe_" + ProcessHandle.current().pid();
        Run add = run(null, "nft", "add", "table", "inet", probe);
        run(null, "nft", "delete", "table", "inet", probe);
        if (add.code != 0) {
            return Result.no("nft refuses to add a table (root and nf_tables needed): " + add.out);
        }
        Optional<Path> existing = netClsMount();
        Path dir;
        boolean mounted = false;
        if (existing.isPresent()) {
            dir = existing.get();
        } else {
            dir = Files.createTempDirectory("cairn-net_cls-");
            Run mount = run(null, "mount", "-t", "cgroup", "-o", "net_cls", "cairn_net_cls", dir.toString());
            if (mount.code != 0) {
                Files.deleteIfExists(dir);
                return Result.no("cannot mount the cgroup v1 net_cls controller: " + mount.out);
            }
            mounted = true;
        }
        RaftPartition p = new RaftPartition(dir, mounted);
        try {
            Files.createDirectories(p.group);
            Files.writeString(p.group.resolve("net_cls.classid"), CLASS_ID);
        } catch (IOException e) {
            p.close();
            return Result.no("cannot make a net_cls cgroup under " + dir + ": " + e);
        }
        return new Result(p, null);
    }

    record Result(RaftPartition partition, String whyNot) {
        static Result no(String why) {
            return new Result(null, why);
        }
    }

    /**
     * Drops every packet to or from {@code raftPort} and every packet process {@code pid} sends to
     * one of {@code peerRaftPorts}.
     */
    void isolate(long pid, int raftPort, Collection<Integer> peerRaftPorts) throws IOException, InterruptedException {
        Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
        isolatedPid = pid;
        String peers = peerRaftPorts.stream().map(String::valueOf).collect(Collectors.joining(", "));
        String rules = "table inet " + table + " {\n"
                + "  chain out {\n"
                + "    type filter hook output priority -10; policy accept;\n"
                + "    tcp dport " + raftPort + " counter drop\n"
                + "    tcp sport " + raftPort + " counter drop\n"
                + "    meta cgroup " + CLASS_ID + " tcp dport { " + peers + " } counter drop\n"
                + "  }\n"
                + "  chain in {\n"
                + "    type filter hook input priority -10; policy accept;\n"
                + "    tcp dport " + raftPort + " counter drop\n"
                + "    tcp sport " + raftPort + " counter drop\n"
                + "  }\n"
                + "}\n";
        Run r = run(rules, "nft", "-f", "-");
        if (r.code != 0) {
            throw new IOException("nft -f failed: " + r.out + "\n" + rules);
        }
    }

    /** The packets the rules dropped so far, as nft lists them (for the test's report). */
    String counters() throws IOException, InterruptedException {
        return run(null, "nft", "list", "table", "inet", table).out;
    }

    /** Packets the isolated process sent to its peers' Raft ports and the rules dropped: proof the cut was real. */
    long droppedFromProcess() throws IOException, InterruptedException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("meta cgroup .* counter packets (\\d+)")
                .matcher(counters());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Removes the rules and moves the process back: traffic flows again. */
    void heal() throws IOException, InterruptedException {
        run(null, "nft", "delete", "table", "inet", table);
        if (isolatedPid > 0) {
            try {
                Files.writeString(netCls.resolve("cgroup.procs"), Long.toString(isolatedPid));
            } catch (IOException e) {
                // the process has exited: nothing to move back
            }
            isolatedPid = -1;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        heal();
        try {
            Files.deleteIfExists(group);
        } catch (IOException e) {
            // a process still in it (it cannot be moved back): the cgroup goes when it exits
        }
        if (mountedHere) {
            run(null, "umount", netCls.toString());
            Files.deleteIfExists(netCls);
        }
    }

    /** Where the net_cls controller is mounted already, if it is. */
    private static Optional<Path> netClsMount() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 3 && f[2].equals("cgroup") && List.of(f[3].split(",")).contains("net_cls")) {
                return Optional.of(Path.of(f[1]));
            }
        }
        return Optional.empty();
    }

    private record Run(int code, String out) {
    }

    private static Run run(String input, String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Run(127, e.getMessage());
        }
        try (var in = p.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(124, String.join(" ", cmd) + " did not finish in 30 s");
        }
        return new Run(p.exitValue(), out.trim());
    }
}
