package io.cairn.cli;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A cluster of real processes on 127.0.0.1 under one directory: {@code cluster.properties}
 * fixes the members and their ports at the first {@code up}, so running {@code up} again
 * restarts the same cluster with its data. Each member has {@code NAME/} (data),
 * {@code NAME.log} and {@code NAME.pid}.
 */
final class LocalCluster {
    record Member(String name, String role, String address) {
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

    /** Loads the member list, creating it with fresh ports the first time. */
    void loadOrCreate(int metaCount) throws IOException, CairnException {
        Path file = dir.resolve("cluster.properties");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            }
            return;
        }
        if (metaCount < 1 || metaCount > 7 || metaCount % 2 == 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "--meta " + metaCount + ": use an odd number of meta servers from 1 to 7 (a Raft majority)");
        }
        Files.createDirectories(dir);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= metaCount; i++) {
            String name = "meta" + i;
            names.add(name);
            props.setProperty(name + ".address", "127.0.0.1:" + FreePorts.pair());
        }
        props.setProperty("meta", String.join(",", names));
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "cairn local cluster: members and ports");
        }
    }

    void load() throws IOException, CairnException {
        if (!exists()) {
            throw new CairnException(ErrorCode.NOT_FOUND, "no local cluster in " + dir
                    + "; start one with './cairn local up --dir " + dir + "'");
        }
        loadOrCreate(0);
    }

    List<String> metaNames() {
        return List.of(props.getProperty("meta").split(","));
    }

    String address(String name) {
        return props.getProperty(name + ".address");
    }

    String metaAddresses() {
        return String.join(",", metaNames().stream().map(this::address).toList());
    }

    String peersSpec() {
        return String.join(",", metaNames().stream().map(n -> n + "=" + address(n)).toList());
    }

    boolean isMember(String name) {
        return metaNames().contains(name);
    }

    Optional<ProcessHandle> process(String name) {
        Path pidFile = dir.resolve(name + ".pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains("io.cairn.cli.Main")).orElse(true));
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
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of("meta", "--id", name, "--peers", peersSpec(), "--data", dir.resolve(name).toString()));
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
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
            h.onExit().get(kill ? 5 : 20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
        }
        return true;
    }

    /** Waits until the metadata group has a leader that answers. */
    void waitForLeader(Duration timeout) throws CairnException {
        try (MetaClient c = MetaClient.connect(metaAddresses(), timeout)) {
            c.query(io.cairn.proto.Credentials.getDefaultInstance(), io.cairn.proto.MetaQuery.newBuilder()
                    .setListVolumes(io.cairn.proto.ListVolumesRequest.getDefaultInstance()).build());
        } catch (CairnException e) {
            throw new CairnException(ErrorCode.TIMEOUT, "the meta servers did not elect a leader within "
                    + timeout.toSeconds() + " s; see the logs in " + dir + "/meta*.log", e);
        }
    }

    List<Member> members() throws CairnException {
        List<Member> out = new ArrayList<>();
        try (MetaClient c = MetaClient.connect(metaAddresses(), Duration.ofSeconds(2))) {
            for (String name : metaNames()) {
                String role = process(name).isPresent() ? c.roleOf(address(name)) : "stopped";
                out.add(new Member(name, role, address(name)));
            }
        }
        return out;
    }
}
