package io.cairn.cli;

import io.cairn.client.MetaClient;
import io.cairn.client.admin.PoolAdmin;
import io.cairn.client.admin.StorageNodeCalls;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FreePorts;
import io.cairn.proto.ListNodesRequest;
import io.cairn.proto.ListVolumesRequest;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.NodeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of real processes on 127.0.0.1 under one directory: {@code cluster.properties}
 * fixes the members (meta servers meta1.., storage nodes node1..) and their ports at the first
 * {@code up}, so running {@code up} again restarts the same cluster with its data. Each member
 * has {@code NAME/} (data), {@code NAME.log} and {@code NAME.pid}. The member {@value #MOUNT}
 * mounts the volume through FUSE on a directory ({@code mount.volume}, {@code mount.path}).
 */
final class LocalCluster {
    enum Kind { META, NODE, MOUNT }

    /** The member that mounts the volume (FUSE), when there is one. */
    static final String MOUNT = "mount";

    record Member(String name, Kind kind, String role, String address) {
    }

    private final Path dir;
    private final Properties props = new Properties();

    LocalCluster(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    boolean exists() {
        return Files.exists(dir.resolve("cluster.properties"));
    }

    /**
     * Loads the member list, creating it with fresh ports the first time. A cluster made before
     * storage nodes existed gets {@code nodeCount} of them now.
     */
    void loadOrCreate(int metaCount, int nodeCount) throws IOException, CairnException {
        if (exists()) {
            load();
            if (props.getProperty("node") == null) {
                addMembers("node", nodeCount);
                save();
            }
            return;
        }
        if (metaCount < 1 || metaCount > 7 || metaCount % 2 == 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "--meta " + metaCount + ": use an odd number of meta servers from 1 to 7 (a Raft majority)");
        }
        Files.createDirectories(dir);
        addMembers("meta", metaCount);
        addMembers("node", nodeCount);
        save();
    }

    private void addMembers(String prefix, int count) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = prefix + i;
            names.add(name);
            props.setProperty(name + ".address", "127.0.0.1:" + FreePorts.pair());
        }
        props.setProperty(prefix, String.join(",", names));
    }

    private void save() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        props.store(out, "cairn local cluster: members and ports");
        io.cairn.common.DurableFiles.write(dir.resolve("cluster.properties"), out.toByteArray());
    }

    void load() throws IOException, CairnException {
        if (!exists()) {
            throw new CairnException(ErrorCode.NOT_FOUND, "no local cluster in " + dir
                    + "; start one with './cairn local up --dir " + dir + "'");
        }
        try (InputStream in = Files.newInputStream(dir.resolve("cluster.properties"))) {
            props.load(in);
        }
    }

    List<String> metaNames() {
        return names("meta");
    }

    List<String> nodeNames() {
        return names("node");
    }

    private List<String> names(String key) {
        String list = props.getProperty(key, "");
        return list.isEmpty() ? List.of() : List.of(list.split(","));
    }

    List<String> allNames() {
        List<String> all = new ArrayList<>(metaNames());
        all.addAll(nodeNames());
        if (mountPath().isPresent()) {
            all.add(MOUNT);
        }
        return all;
    }

    /** Where the mount member mounts the volume, if the cluster has one. */
    Optional<Path> mountPath() {
        return Optional.ofNullable(props.getProperty("mount.path")).map(Path::of);
    }

    /** Records (or with a null volume, removes) the mount member. */
    void setMount(String volume, Path path) throws IOException {
        if (volume == null) {
            props.remove("mount.volume");
            props.remove("mount.path");
        } else {
            props.setProperty("mount.volume", volume);
            props.setProperty("mount.path", path.toAbsolutePath().normalize().toString());
        }
        save();
    }

    boolean mounted() {
        return mountPath().map(io.cairn.fuse.MountTable::isMounted).orElse(false);
    }

    /** Waits until the mount member's mount is listed by the kernel, failing early with its log if it exits. */
    void waitForMount(Duration timeout) throws CairnException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!mounted()) {
            if (process(MOUNT).isEmpty()) {
                throw new CairnException(ErrorCode.IO_ERROR, "the mount process exited at start; see "
                        + dir.resolve(MOUNT + ".log") + lastError(MOUNT));
            }
            if (System.nanoTime() > deadline) {
                throw new CairnException(ErrorCode.TIMEOUT, "the volume was not mounted within " + timeout.toSeconds()
                        + " s; see " + dir.resolve(MOUNT + ".log"));
            }
            try {
                Thread.sleep(50);  // polling the kernel's mount table: there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CairnException(ErrorCode.TIMEOUT, "interrupted while waiting for the mount", e);
            }
        }
    }

    String address(String name) {
        return props.getProperty(name + ".address");
    }

    /** Flags every member of a kind starts with (e.g. short node timeouts for a fault drill). */
    List<String> extraArgs(Kind kind) {
        String args = props.getProperty(kind.name().toLowerCase(java.util.Locale.ROOT) + ".args", "").trim();
        return args.isEmpty() ? List.of() : List.of(args.split("\\s+"));
    }

    /** Sets the flags every member of a kind starts with from now on, kept in cluster.properties. */
    void setExtraArgs(Kind kind, List<String> args) throws IOException {
        props.setProperty(kind.name().toLowerCase(java.util.Locale.ROOT) + ".args", String.join(" ", args));
        save();
    }

    String metaAddresses() {
        return String.join(",", metaNames().stream().map(this::address).toList());
    }

    String peersSpec() {
        return String.join(",", metaNames().stream().map(n -> n + "=" + address(n)).toList());
    }

    boolean isMember(String name) {
        return allNames().contains(name);
    }

    Kind kind(String name) {
        return name.equals(MOUNT) ? Kind.MOUNT : nodeNames().contains(name) ? Kind.NODE : Kind.META;
    }

    /** Where the volume's brick on storage node {@code node} lives. */
    Path brickDir(String node, String volume) {
        return dir.resolve("bricks").resolve(node).resolve(volume);
    }

    Optional<ProcessHandle> process(String name) {
        Path pidFile = dir.resolve(name + ".pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(ChildCommand::isCairn);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Starts the member's process unless it runs already; returns its pid. */
    long start(String name) throws IOException {
        Optional<ProcessHandle> running = process(name);
        if (running.isPresent()) {
            return running.get().pid();
        }
        List<String> cmd = new ArrayList<>();
        String data = dir.resolve(name).toString();
        if (kind(name) == Kind.MOUNT) {
            Path mp = mountPath().orElseThrow();
            if (io.cairn.fuse.MountTable.isMounted(mp)) {
                io.cairn.fuse.CairnMount.lazyUnmount(mp);  // left over from a mount process that was killed
            }
            cmd.addAll(List.of("mount", props.getProperty("mount.volume"), mp.toString(), "--meta", metaAddresses(),
                    "--foreground"));
        } else if (kind(name) == Kind.NODE) {
            cmd.addAll(List.of("node", "--data", data, "--listen", address(name), "--meta", metaAddresses()));
        } else {
            cmd.addAll(List.of("meta", "--id", name, "--peers", peersSpec(), "--data", data));
        }
        cmd.addAll(extraArgs(kind(name)));
        Process p = ChildCommand.builder(List.of(), List.of(kind(name) == Kind.MOUNT ? "-Xmx1g" : "-Xmx512m"), cmd,
                dir.resolve(name + ".log")).start();
        Files.writeString(dir.resolve(name + ".pid"), Long.toString(p.pid()));
        return p.pid();
    }

    /** Stops the member: SIGTERM and a wait, or SIGKILL when {@code kill} (a crash drill). */
    boolean stop(String name, boolean kill) {
        Optional<ProcessHandle> p = process(name);
        if (p.isEmpty()) {
            return false;
        }
        ProcessHandle h = p.get();
        if (kill) {
            h.destroyForcibly();
        } else {
            h.destroy();
        }
        try {
            h.onExit().get(kill ? 5 : 20, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
        }
        if (kind(name) == Kind.MOUNT && !kill && mounted()) {
            io.cairn.fuse.CairnMount.lazyUnmount(mountPath().orElseThrow());
        }
        return true;
    }

    /** Waits until the metadata group has a leader that answers. */
    void waitForLeader(Duration timeout) throws CairnException {
        try (MetaClient c = MetaClient.connect(metaAddresses(), timeout)) {
            c.query(PoolAdmin.ROOT, MetaQuery.newBuilder()
                    .setListVolumes(ListVolumesRequest.getDefaultInstance()).build());
        } catch (CairnException e) {
            throw new CairnException(ErrorCode.TIMEOUT, "the meta servers did not elect a leader within "
                    + timeout.toSeconds() + " s; see the logs in " + dir + "/meta*.log", e);
        }
    }

    /** Waits until every storage node answers, failing early with its log if one exits. */
    void waitForNodes(StorageNodeCalls calls, Duration timeout) throws CairnException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String name : nodeNames()) {
            waitForNode(name, calls, deadline, timeout);
        }
    }

    /** Waits until storage node {@code name} answers, failing early with its log if it exits. */
    void waitForNode(String name, StorageNodeCalls calls, long deadline, Duration timeout) throws CairnException {
        while (true) {
            if (process(name).isEmpty()) {
                throw new CairnException(ErrorCode.UNAVAILABLE, "storage node " + name + " exited at start; see "
                        + dir.resolve(name + ".log") + lastError(name));
            }
            try {
                calls.identify(address(name), Duration.ofSeconds(2));
                return;
            } catch (CairnException e) {
                if (System.nanoTime() > deadline) {
                    throw new CairnException(ErrorCode.TIMEOUT, "storage node " + name + " did not answer within "
                            + timeout.toSeconds() + " s; see " + dir.resolve(name + ".log"), e);
                }
            }
        }
    }

    /** The member log's last "cairn:" line (its start error), or "". */
    private String lastError(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("cairn: ")) {
                    return " (" + lines.get(i) + ")";
                }
            }
        } catch (IOException e) {
            // no log: nothing to add
        }
        return "";
    }

    /**
     * Every member with its role: a meta server's "leader", "follower" or "unreachable"; a storage
     * node's pool state ("up", "down", "out", or "not in pool"); "stopped" for either without a
     * process.
     */
    List<Member> members() throws CairnException {
        List<Member> out = new ArrayList<>();
        try (MetaClient c = MetaClient.connect(metaAddresses(), Duration.ofSeconds(2))) {
            for (String name : metaNames()) {
                String role = process(name).isPresent() ? c.roleOf(address(name)) : "stopped";
                out.add(new Member(name, Kind.META, role, address(name)));
            }
            Optional<List<NodeInfo>> pool = nodeNames().isEmpty() ? Optional.empty() : pool(c);
            if (mountPath().isPresent()) {
                String role = process(MOUNT).isEmpty() ? "stopped" : mounted() ? "mounted" : "not mounted";
                out.add(new Member(MOUNT, Kind.MOUNT, role, mountPath().get().toString()));
            }
            for (String name : nodeNames()) {
                String role = "stopped";
                if (process(name).isPresent()) {
                    role = pool.map(nodes -> nodes.stream().filter(n -> n.getAddress().equals(address(name))).findFirst()
                            .map(n -> PoolView.state(n.getState())).orElse("not in pool")).orElse("unknown");
                }
                out.add(new Member(name, Kind.NODE, role, address(name)));
            }
        }
        return out;
    }

    /** The pool's nodes, or empty when the meta servers do not answer (node states are then unknown). */
    private static Optional<List<NodeInfo>> pool(MetaClient c) {
        try {
            return Optional.of(c.query(PoolAdmin.ROOT, MetaQuery.newBuilder()
                    .setListNodes(ListNodesRequest.getDefaultInstance()).build()).getNodes().getNodesList());
        } catch (CairnException e) {
            return Optional.empty();
        }
    }
}
