package io.cairn.cli;

import io.cairn.client.MetaClient;
import io.cairn.client.admin.BrickRef;
import io.cairn.client.admin.PoolAdmin;
import io.cairn.client.admin.StorageNodeCalls;
import io.cairn.client.admin.VolumeAdmin;
import io.cairn.client.admin.VolumeSpec;
import io.cairn.client.fs.FsOptions;
import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.VolumeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import io.cairn.storage.node.StorageConfig;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn local up}: the meta servers, the storage nodes (probed into the pool) and a
 * started volume with one brick per node; on an existing directory, the same cluster again with
 * its data and layout. By default each host-like member server1.. runs both roles in one process.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start the cluster: meta servers, storage nodes, and a volume with one brick per node.",
                "Each member server1.. runs a meta server and a storage node in one process ('cairn server'); with more"
                        + " --meta than --nodes or the other way round, the extra ones run alone (meta4.., node4..).",
                "If --dir holds a cluster, restart it with its data (its member counts and layout stay as they were)."})
final class LocalUpCommand extends LocalCommand.DirOption implements Callable<Integer> {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--meta", description = "Meta servers in a new cluster (default: ${DEFAULT-VALUE}).")
    int meta = 3;

    @Option(names = "--nodes", description = "Storage nodes in a new cluster; 0 for none and no volume (default: ${DEFAULT-VALUE}).")
    int nodes = 3;

    @Option(names = "--separate-roles",
            description = "In a new cluster, run every meta server (meta1..) and storage node (node1..) as a process of its own.")
    boolean separateRoles;

    @Option(names = "--volume", description = "The volume to create if it does not exist (default: ${DEFAULT-VALUE}).")
    String volume = "vol0";

    @Option(names = "--replica", description = "Its replicas per chunk (default: ${DEFAULT-VALUE}).")
    int replica = 3;

    @Option(names = "--min-size", description = "Replicas a chunk needs to accept I/O (default: replica - replica/2, 2 for 3).")
    Integer minSize;

    @Option(names = "--mount", paramLabel = "MOUNTPOINT",
            description = "Where to mount the volume through FUSE (default: DIR/mnt); created if missing.")
    Path mount;

    @Option(names = "--no-mount", description = "Do not mount the volume.")
    boolean noMount;

    @Option(names = "--node-down-timeout", paramLabel = "DURATION",
            description = "Meta servers' node-down-timeout, e.g. 5s for fault drills (kept for later starts).")
    Duration nodeDownTimeout;

    @Option(names = "--node-out-timeout", paramLabel = "DURATION",
            description = "Meta servers' node-out-timeout: when repair starts copying a lost node's replicas (kept for later starts).")
    Duration nodeOutTimeout;

    @Option(names = "--repair-interval", paramLabel = "DURATION",
            description = "Meta servers' time between repair scans (kept for later starts).")
    Duration repairInterval;

    @Option(names = "--client-lease", paramLabel = "DURATION",
            description = "Meta servers' client lease: how long a client that stopped answering (a crashed mount) keeps its "
                    + "locks and directory leases, which other clients wait for (kept for later starts).")
    Duration clientLease;

    @Option(names = {"-o", "--mount-options"}, paramLabel = "OPTION[,OPTION...]",
            description = "Options of the volume's mount, as 'cairn mount -o' takes them (e.g. short-circuit=off);"
                    + " a running mount restarts with them; kept for later starts ('-o \"\"' clears them).")
    String mountOptions;

    /** Replaces or adds {@code flag value} in {@code args} when a value was given. */
    private static void setFlag(List<String> args, String flag, Duration value) {
        if (value == null) {
            return;
        }
        int at = args.indexOf(flag);
        if (at >= 0 && at + 1 < args.size()) {
            args.set(at + 1, Durations.format(value));
        } else {
            args.add(flag);
            args.add(Durations.format(value));
        }
    }

    /** The -o list as given, after checking each option as 'cairn mount' would (before anything starts). */
    private static String checkedMountOptions(String given) throws CairnException {
        for (String o : given.split(",")) {
            String opt = o.trim();
            if (opt.isEmpty() || MountCommand.FUSE_OPTIONS.contains(opt)) {
                continue;
            }
            int eq = opt.indexOf('=');
            if (eq < 0 || opt.contains(" ")) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "-o " + opt + ": unknown mount option; use KEY=VALUE"
                        + " with a key of " + String.join(", ", new java.util.TreeSet<>(FsOptions.KEYS.keySet()))
                        + ", or one of " + String.join(", ", MountCommand.FUSE_OPTIONS));
            }
            FsOptions.DEFAULTS.with(opt.substring(0, eq), opt.substring(eq + 1));
        }
        return given.trim();
    }

    /** Whether this run created the volume (for the report). */
    private boolean created;

    @Override
    public Integer call() throws Exception {
        List<String> mountArgs = mountOptions == null ? null
                : mountOptions.isBlank() ? List.of() : List.of("-o", checkedMountOptions(mountOptions));
        LocalCluster c = new LocalCluster(dir);
        boolean existed = c.exists();
        int nodeCount = nodes;
        if (existed) {
            c.load();
            nodeCount = c.nodeNames().isEmpty() ? nodes : c.nodeNames().size();
            if (separateRoles && c.combined()) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "--separate-roles: the cluster in " + c.dir()
                        + " runs combined servers (server1..) and keeps its layout; drop the flag, or give a new --dir");
            }
        }
        int min = minSize != null ? minSize : replica - replica / 2;
        check(nodeCount, min);  // before anything is written or started
        c.loadOrCreate(meta, nodes, !separateRoles);
        List<String> metaArgs = new java.util.ArrayList<>(c.extraArgs(LocalCluster.Kind.META));
        setFlag(metaArgs, "--node-down-timeout", nodeDownTimeout);
        setFlag(metaArgs, "--node-out-timeout", nodeOutTimeout);
        setFlag(metaArgs, "--repair-interval", repairInterval);
        setFlag(metaArgs, "--client-lease", clientLease);
        c.setExtraArgs(LocalCluster.Kind.META, metaArgs);
        if (mountArgs != null) {
            if (!mountArgs.equals(c.extraArgs(LocalCluster.Kind.MOUNT)) && c.process(LocalCluster.MOUNT).isPresent()) {
                c.stop(LocalCluster.MOUNT, false);  // started again below, with the new options
            }
            c.setExtraArgs(LocalCluster.Kind.MOUNT, mountArgs);
        }
        if (nodeDownTimeout != null && nodeDownTimeout.compareTo(StorageConfig.DEFAULT_HEARTBEAT_INTERVAL.multipliedBy(3)) < 0) {
            // Nodes must heartbeat well within the down timeout, or live nodes would look down.
            List<String> nodeArgs = new java.util.ArrayList<>(c.extraArgs(LocalCluster.Kind.NODE));
            setFlag(nodeArgs, "--heartbeat-interval", nodeDownTimeout.dividedBy(4));
            c.setExtraArgs(LocalCluster.Kind.NODE, nodeArgs);
        }
        List<String> started = new java.util.ArrayList<>();
        try {
            Optional<VolumeInfo> vol = startAndMount(c, min, started);
            report(c, existed, vol.orElse(null));
        } catch (Exception e) {
            stopStarted(c, started);
            throw e;
        }
        return 0;
    }

    /** Starts the members that are not running (adding each to {@code started}), makes the volume if new, mounts it. */
    private Optional<VolumeInfo> startAndMount(LocalCluster c, int min, List<String> started) throws Exception {
        for (String name : c.allNames()) {
            if (c.kind(name) != LocalCluster.Kind.MOUNT && c.process(name).isEmpty()) {
                c.start(name);
                started.add(name);
            }
        }
        c.waitForLeader(START_TIMEOUT);
        Optional<VolumeInfo> vol = Optional.empty();
        try (MetaClient mc = MetaClient.connect(c.metaAddresses(), START_TIMEOUT);
             StorageNodeCalls calls = new StorageNodeCalls()) {
            c.waitForNodes(calls, START_TIMEOUT);
            PoolAdmin pool = new PoolAdmin(mc, calls);
            for (String name : c.nodeNames()) {
                pool.probe(c.storageAddress(name));
            }
            if (!c.nodeNames().isEmpty()) {
                VolumeAdmin volumes = new VolumeAdmin(mc, calls);
                vol = volumes.list().stream().filter(v -> v.getName().equals(volume)).findFirst();
                if (vol.isEmpty()) {
                    vol = Optional.of(create(c, volumes, min));
                    created = true;
                }
            }
        }
        if (vol.isPresent() && !noMount) {
            Path mp = (mount != null ? mount : c.dir().resolve("mnt")).toAbsolutePath().normalize();
            if (c.process(LocalCluster.MOUNT).isPresent() && !c.mountPath().map(mp::equals).orElse(false)) {
                c.stop(LocalCluster.MOUNT, false);  // mounted elsewhere before: move it
            }
            if (c.process(LocalCluster.MOUNT).isEmpty() && io.cairn.fuse.MountTable.isCairnMount(mp)) {
                io.cairn.fuse.CairnMount.lazyUnmount(mp);  // left over from a mount process that was killed
            }
            Files.createDirectories(mp);
            c.setMount(vol.get().getName(), mp);
            if (c.process(LocalCluster.MOUNT).isEmpty()) {
                started.add(LocalCluster.MOUNT);
            }
            c.start(LocalCluster.MOUNT);
            c.waitForMount(START_TIMEOUT);
        } else if (noMount && c.mountPath().isPresent()) {
            c.stop(LocalCluster.MOUNT, false);
            c.setMount(null, null);
        }
        return vol;
    }

    /**
     * After a failed start, stops what this command started (the mount first), so a failure
     * leaves nothing running; members that ran before keep running.
     */
    private void stopStarted(LocalCluster c, List<String> started) {
        java.util.Collections.reverse(started);
        for (String name : started) {
            try {
                c.stop(name, false);
            } catch (Exception e) {
                err().println("cairn: could not stop " + name + " after the failed start: " + e.getMessage());
            }
        }
        if (!started.isEmpty()) {
            err().println("cairn: stopped what this command started (" + String.join(", ", started) + ")");
        }
    }

    private void report(LocalCluster c, boolean existed, VolumeInfo v0) throws CairnException {
        Optional<VolumeInfo> vol = Optional.ofNullable(v0);
        out().println((existed ? "Restarted" : "Started") + " the local cluster in " + c.dir() + ":");
        LocalCommand.Status.print(out(), LocalMembers.of(c), c);
        out().println();
        if (vol.isPresent()) {
            VolumeInfo v = vol.get();
            out().println("Volume " + v.getName() + (created ? " (created now)" : "") + ": "
                    + VolumeView.state(v.getState()) + ", replica " + v.getSize() + ", min-size " + v.getMinSize()
                    + ", one brick per node in " + c.dir().resolve("bricks") + "/" + brickGlob(c) + "/" + v.getName());
            out().println("  See it with:  export CAIRN_META=" + c.metaAddresses() + "; ./cairn volume info " + v.getName());
            if (c.mounted()) {
                Path mp = c.mountPath().orElseThrow();
                out().println("Mounted on " + mp + ": use it like a local disk, e.g.  ls -l " + mp + "; cp /etc/hosts "
                        + mp + "/; cat " + mp + "/hosts");
            } else {
                out().println("  Mount it with:  ./cairn mount " + v.getName() + " MOUNTPOINT --meta " + c.metaAddresses());
            }
        } else {
            out().println("Meta servers: " + c.metaAddresses() + "   (export CAIRN_META=" + c.metaAddresses() + ")");
        }
        out().println("Logs: " + c.dir() + "/*.log    Status: ./cairn local status --dir " + dir
                + "    Stop: ./cairn local down --dir " + dir);
    }

    /** The member names that hold bricks as a glob: node*, server*, or * when both kinds do. */
    private static String brickGlob(LocalCluster c) {
        List<String> prefixes = c.nodeNames().stream().map(n -> n.replaceAll("[0-9]+$", "")).distinct().toList();
        return prefixes.size() == 1 ? prefixes.get(0) + "*" : "*";
    }

    private void check(int nodeCount, int min) throws CairnException {
        if (nodeCount < 0 || nodeCount > 16) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "--nodes " + nodeCount + ": use 0 to 16 storage nodes");
        }
        if (nodeCount == 0) {
            return;
        }
        if (replica < 1 || replica > nodeCount) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "--replica " + replica + " needs " + replica
                    + " storage nodes, the cluster has " + nodeCount + "; use a --replica from 1 to " + nodeCount
                    + (nodeCount == nodes ? " or more --nodes" : ""));
        }
        if (min < 1 || min > replica) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "--min-size " + min
                    + ": use 1 to the replica count " + replica);
        }
    }

    /** The volume with one brick per storage node under DIR/bricks/nodeK/NAME, started. */
    private VolumeInfo create(LocalCluster c, VolumeAdmin volumes, int min) throws Exception {
        List<BrickRef> bricks = new ArrayList<>();
        for (String name : c.nodeNames()) {
            Path brick = Files.createDirectories(c.brickDir(name, volume));
            String address = c.storageAddress(name);
            bricks.add(new BrickRef(Addresses.host(address), Addresses.port(address), brick.toString()));
        }
        volumes.create(new VolumeSpec(volume, replica, min, 0, bricks, false));
        return volumes.start(volume);
    }
}
