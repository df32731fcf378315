package io.cairn.cli;

import io.cairn.fuse.CairnMount;
import io.cairn.fuse.MountTable;
import io.cairn.powerloss.PowerLossMount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A {@code cairn local} cluster whose chosen members keep their data on a power-loss layer
 * ({@link PowerLossMount}): their data directories (and a storage node's brick) are symbolic links
 * into the layer's mount, while cluster.properties, logs and pid files stay on the real disk, so
 * the cluster can be started again after {@link #powerCut} and its logs tell what happened.
 */
final class LayeredCluster implements AutoCloseable {
    static final String VOLUME = "vol0";

    final Path dir;
    final Path mnt;
    final PowerLossMount disk;

    private LayeredCluster(Path dir, Path mnt, PowerLossMount disk) {
        this.dir = dir;
        this.mnt = mnt;
        this.disk = disk;
    }

    /** Members {@code onLayer} (meta1.., node1..) keep their data on the layer; a node's brick goes with it. */
    static LayeredCluster create(Path tmp, List<String> onLayer) throws IOException {
        Path backing = Files.createDirectories(tmp.resolve("backing"));
        PowerLossMount disk = PowerLossMount.mount(backing, tmp.resolve("disk"));
        Path dir = Files.createDirectories(tmp.resolve("cluster"));
        Files.createDirectories(dir.resolve("bricks"));
        for (String name : onLayer) {
            Files.createDirectories(disk.mountPoint().resolve(name));
            Files.createSymbolicLink(dir.resolve(name), disk.mountPoint().resolve(name));
            if (name.startsWith("node")) {
                Files.createDirectories(disk.mountPoint().resolve("brick-" + name));
                Files.createSymbolicLink(dir.resolve("bricks").resolve(name), disk.mountPoint().resolve("brick-" + name));
            }
        }
        return new LayeredCluster(dir, tmp.resolve("mnt"), disk);
    }

    /** {@code cairn local up} (a start, or a restart with the data there is), mounting the volume on {@link #mnt}. */
    Cli.Result up(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("local", "up", "--dir", dir.toString(), "--mount", mnt.toString(),
                "--separate-roles"));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.launch(300, args.toArray(String[]::new));
        if (r.code() != 0 && slowStart(r.err())) {
            // Only slow (a loaded machine): up again leaves the running members be and waits once more.
            r = Cli.launch(300, args.toArray(String[]::new));
        }
        return r;
    }

    /** A start that timed out waiting, as opposed to a member that exited or refused to start. */
    private static boolean slowStart(String err) {
        return err.contains(" within ");  // a member that exits for its own reasons (a bad data dir, say) names no wait
    }

    Cli.Result start(String name) throws Exception {
        return Cli.launch(60, "local", "start", name, "--dir", dir.toString());
    }

    Cli admin() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("cluster.properties"))) {
            p.load(in);
        }
        List<String> metas = new ArrayList<>();
        for (String m : p.getProperty("meta").split(",")) {
            metas.add(p.getProperty(m + ".address"));
        }
        return Cli.withMeta(String.join(",", metas));
    }

    /** SIGKILL of the named members at once (as a power cut stops them), waiting for each to be gone. */
    void kill(String... names) throws Exception {
        List<ProcessHandle> killed = new ArrayList<>();
        for (String name : names) {
            pid(name).flatMap(ProcessHandle::of).ifPresent(h -> {
                h.destroyForcibly();
                killed.add(h);
            });
        }
        for (ProcessHandle h : killed) {
            h.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    private Optional<Long> pid(String name) {
        try {
            return Optional.of(Long.parseLong(Files.readString(dir.resolve(name + ".pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Every member's last start error or exception lines, for a failure message. */
    String logErrors() {
        StringBuilder out = new StringBuilder();
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> hits = Files.readAllLines(log).stream()
                        .filter(l -> l.startsWith("cairn: ") || l.contains(" ERROR ") || l.contains(" WARN ")).toList();
                for (String l : hits.subList(Math.max(0, hits.size() - 4), hits.size())) {
                    out.append(log.getFileName()).append(": ").append(l).append('\n');
                }
            }
        } catch (IOException e) {
            out.append("(logs unreadable: ").append(e.getMessage()).append(")\n");
        }
        return out.toString();
    }

    /** Stops the cluster, unmounts the volume and then the layer, whatever state they are in. */
    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(dir.resolve("cluster.properties"))) {
                Cli.launch(120, "local", "down", "--dir", dir.toString());
            }
        } finally {
            if (MountTable.isMounted(mnt)) {
                CairnMount.lazyUnmount(mnt);
            }
            disk.close();
        }
    }
}
