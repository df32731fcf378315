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
 * fixes the members and their ports at the first {@code up}, so running {@code up} again
 * restarts the same cluster with its data and its layout. In the combined layout (the default)
 * a member server1.. runs a meta server and a storage node in one process ({@code cairn server});
 * in the separate layout (and in every cluster made before the combined one existed) meta servers
 * meta1.. and storage nodes node1.. are processes of their own. Each member has {@code NAME/}
 * (data), {@code NAME.log} and {@code NAME.pid}. The member {@value #MOUNT} mounts the volume
 * through FUSE on a directory ({@code mount.volume}, {@code mount.path}).
 */
final class LocalCluster {
    /** A member's process: a meta server, a storage node, both in one process, or the mount. */
    enum Kind { META, NODE, SERVER, MOUNT }

    /** The member that mounts the volume (FUSE), when there is one. */
    static final String MOUNT = "mount";
    /** The property listing the servers (and the prefix of their names). */
    private static final String SERVER = "server";
    /** The property naming the layout: "combined" or "separate" (absent: separate, made before servers existed). */
    private static final String LAYOUT = "layout";
    /** Suffix of a server's storage node address property. */
    private static final String STORAGE = ".storage.address";

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
     * storage nodes existed gets {@code nodeCount} of them now. A new cluster with {@code combined}
     * roles has min(metaCount, nodeCount) servers server1..; the meta servers or storage nodes
     * beyond them run alone, numbered on (e.g. 3 meta servers and 4 nodes: server1..3 and node4).
     */
    void loadOrCreate(int metaCount, int nodeCount, boolean combined) throws IOException, CairnException {
        if (exists()) {
            load();
            if (props.getProperty("node") == null && props.getProperty(SERVER) == null) {
                addMembers("node", 1, nodeCount);
                save();
            }
            return;
        }
        if (metaCount < 1 || metaCount > 7 || metaCount % 2 == 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "--meta " + metaCount + ": use an odd number of meta servers from 1 to 7 (a Raft majority)");
        }
        Files.createDirectories(dir);
        int servers = combined ? Math.min(metaCount, nodeCount) : 0;
        props.setProperty(LAYOUT, combined ? "combined" : "separate");
        addMembers(SERVER, 1, servers);
        addMembers("meta", servers + 1, metaCount);
        addMembers("node", servers + 1, nodeCount);
        save();
    }

    /** Members PREFIX{from}..PREFIX{to}, each with fresh ports (a server: one pair for its meta server, one for its node). */
    private void addMembers(String prefix, int from, int to) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            String name = prefix + i;
            names.add(name);
            props.setProperty(name + ".address", "127.0.0.1:" + FreePorts.pair());
            if (prefix.equals(SERVER)) {
                props.setProperty(name + STORAGE, "127.0.0.1:" + FreePorts.pair());
            }
        }
        props.setProperty(prefix, String.join(",", names));
    }

    /** Whether the cluster runs servers (meta server and storage node in one process); false for one made before them. */
    boolean combined() {
        return "combined".equals(props.getProperty(LAYOUT));
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

    /** The members that run a meta server: servers, then meta servers alone. */
    List<String> metaNames() {
        return concat(names(SERVER), names("meta"));
    }

    /** The members that run a storage node: servers, then storage nodes alone. */
    List<String> nodeNames() {
        return concat(names(SERVER), names("node"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private List<String> names(String key) {
        String list = props.getProperty(key, "");
        return list.isEmpty() ? List.of() : List.of(list.split(","));
    }

    /** Every member once: servers, meta servers, storage nodes, the mount. */
    List<String> allNames() {
        List<String> all = concat(metaNames(), names("node"));
        if (mountPath().isPresent()) {
            all.add(MOUNT);
        }
        return all;
    }

    /** The order {@code down} stops members in: the mount (it commits what open files hold), storage nodes, servers, meta servers. */
    List<String> stopOrder() {
        List<String> order = new ArrayList<>();
        if (mountPath().isPresent()) {
            order.add(MOUNT);
        }
        order.addAll(names("node"));  // nodes before metas: they heartbeat to the metas
        order.addAll(metaNames());
        return order;
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
        return mountPath().map(io.cairn.fuse.MountTable::isCairnMount).orElse(false);
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

    /** A meta server's client address (of a server: its meta server's), or a storage node's address. */
    String address(String name) {
        return props.getProperty(name + ".address");
    }

    /** The address of the storage node that member {@code name} runs (a storage node or a server). */
    String storageAddress(String name) {
        return kind(name) == Kind.SERVER ? props.getProperty(name + STORAGE) : address(name);
    }

    /** Flags every member of a kind starts with (e.g. short node timeouts for a fault drill); a server takes both roles'. */
    List<String> extraArgs(Kind kind) {
        if (kind == Kind.SERVER) {
            return concat(extraArgs(Kind.META), extraArgs(Kind.NODE));
        }
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
        return name.equals(MOUNT) ? Kind.MOUNT : names(SERVER).contains(name) ? Kind.SERVER
                : names("node").contains(name) ? Kind.NODE : Kind.META;
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
            if (io.cairn.fuse.MountTable.isCairnMount(mp)) {
                io.cairn.fuse.CairnMount.lazyUnmount(mp);  // left over from a mount process that was killed
            }
            cmd.addAll(List.of("mount", props.getProperty("mount.volume"), mp.toString(), "--meta", metaAddresses(),
                    "--foreground"));
        } else if (kind(name) == Kind.NODE) {
            cmd.addAll(List.of("node", "--data", data, "--listen", address(name), "--meta", metaAddresses()));
        } else if (kind(name) == Kind.SERVER) {
            cmd.addAll(List.of("server", "--id", name, "--peers", peersSpec(), "--data", data,
                    "--storage-listen", storageAddress(name), "--meta", metaAddresses()));
        } else {
            cmd.addAll(List.of("meta", "--id", name, "--peers", peersSpec(), "--data", data));
        }
        cmd.addAll(extraArgs(kind(name)));
        // A server holds both roles: the heap of a meta server and a storage node together.
        String heap = kind(name) == Kind.MOUNT || kind(name) == Kind.SERVER ? "-Xmx1g" : "-Xmx512m";
        Process p = ChildCommand.builder(List.of(), List.of(heap), cmd, dir.resolve(name + ".log")).start();
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
        if (kind(name) == Kind.MOUNT && !kill && mountPath().map(io.cairn.fuse.MountTable::isCairnMount).orElse(false)) {
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
                    + timeout.toSeconds() + " s; see the logs in " + dir + "/" + (combined() ? SERVER : "meta") + "*.log", e);
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
                calls.identify(storageAddress(name), Duration.ofSeconds(2));
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
}
