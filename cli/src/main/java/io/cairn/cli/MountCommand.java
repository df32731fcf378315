package io.cairn.cli;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.fuse.CairnMount;
import io.cairn.fuse.MountTable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cairn mount VOLUME MOUNTPOINT}: mounts a volume through FUSE. In the foreground it
 * serves until unmounted (fusermount -u, umount, Ctrl-C or SIGTERM); otherwise it starts itself
 * again detached and returns once the mount is up.
 */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = {"Mount a volume on a directory through FUSE, to use it like a local disk.",
                "Unmount with 'fusermount -u MOUNTPOINT' (or umount as root)."})
final class MountCommand implements Callable<Integer> {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** FUSE options passed through to the kernel as they are. */
    static final List<String> FUSE_OPTIONS = List.of("ro", "allow_other", "allow_root");

    private static final Logger logger = LoggerFactory.getLogger(MountCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "VOLUME", description = "The volume to mount (it must be started).")
    String volume;

    @Parameters(index = "1", paramLabel = "MOUNTPOINT", description = "An existing empty directory.")
    Path mountPoint;

    @Option(names = "--meta", paramLabel = "HOST:PORT,...",
            description = "Meta servers of the pool (default: $" + AdminCommand.META_ENV + ").")
    String meta;

    @Option(names = {"-o", "--options"}, paramLabel = "OPTION[,OPTION...]", split = ",",
            description = {"Mount options: KEY=VALUE for the client (io-timeout, attr-ttl, entry-ttl, dirty-limit,"
                    + " flush-threshold, read-ahead, write-window, writeback, writeback-delay, short-circuit)"
                    + " or the FUSE options ro, allow_other, allow_root."})
    List<String> options = new ArrayList<>();

    @Option(names = "--foreground", description = "Stay in the foreground until unmounted (default: detach once mounted).")
    boolean foreground;

    @Option(names = "--log", paramLabel = "FILE",
            description = "Where a detached mount writes its log (default: <tmp>/cairn-mount-VOLUME.log).")
    Path log;

    @Override
    public Integer call() throws Exception {
        String metas = metaAddresses();
        Parsed parsed = parse(options);
        Path dir = CairnMount.checkMountPoint(mountPoint);
        return foreground ? serve(metas, parsed, dir) : detach(metas, dir);
    }

    private int serve(String metas, Parsed parsed, Path dir) throws Exception {
        logger.info("{} effective configuration: {}", volume, EffectiveConfig.describe(spec));
        CairnFs fs = CairnFs.connect(metas, volume, parsed.fs(), Duration.ofSeconds(10));
        CairnMount mount;
        try {
            mount = CairnMount.mount(fs, dir, parsed.fuse());
        } catch (CairnException | RuntimeException e) {
            fs.close();
            throw e;
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            mount.close();
            fs.close();
            done.countDown();
        }, "cairn-mount-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("Mounted volume " + volume + " on " + dir);
        spec.commandLine().getOut().flush();
        mount.awaitUnmounted();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            done.await();  // shutting down: the hook does the rest
            return 0;
        }
        mount.close();
        fs.close();
        return 0;
    }

    /** Starts this command again in the foreground, detached, and waits for the mount or its first error. */
    private int detach(String metas, Path dir) throws Exception {
        Path logFile = (log != null ? log : Path.of(System.getProperty("java.io.tmpdir"), "cairn-mount-" + volume + ".log"))
                .toAbsolutePath();
        // its own session: closing the terminal does not unmount
        List<String> before = new File("/usr/bin/setsid").canExecute() ? List.of("/usr/bin/setsid") : List.of();
        List<String> cmd = new ArrayList<>(List.of("mount", volume, dir.toString(), "--meta", metas, "--foreground"));
        if (!options.isEmpty()) {
            cmd.add("-o");
            cmd.add(String.join(",", options));
        }
        Files.deleteIfExists(logFile);
        Process p = ChildCommand.builder(before, List.of(), cmd, logFile).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!MountTable.isMounted(dir)) {
            if (!p.isAlive()) {
                throw new CairnException(ErrorCode.IO_ERROR, lastError(logFile, "the mount process exited; see " + logFile));
            }
            if (System.nanoTime() > deadline) {
                p.destroy();
                throw new CairnException(ErrorCode.TIMEOUT, "the volume was not mounted within " + START_TIMEOUT.toSeconds()
                        + " s; see " + logFile);
            }
            Thread.sleep(50);  // polling the kernel's mount table: there is no event to wait on
        }
        spec.commandLine().getOut().println("Mounted volume " + volume + " on " + dir + " (pid " + p.pid() + ", log "
                + logFile + "); unmount with 'fusermount -u " + dir + "'");
        return 0;
    }

    /** The log's last "cairn: " line without its prefix (the child's error), or {@code otherwise}. */
    static String lastError(Path logFile, String otherwise) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("cairn: ")) {
                    return lines.get(i).substring("cairn: ".length());
                }
            }
        } catch (IOException e) {
            // no log: the fallback says where to look
        }
        return otherwise;
    }

    record Parsed(FsOptions fs, List<String> fuse) {
    }

    /** Splits -o options into the client's settings and FUSE options; anything else is a usage error. */
    Parsed parse(List<String> given) {
        FsOptions fs = FsOptions.DEFAULTS;
        List<String> fuse = new ArrayList<>();
        for (String o : given) {
            String opt = o.trim();
            if (opt.isEmpty()) {
                continue;
            }
            if (FUSE_OPTIONS.contains(opt)) {
                fuse.add(opt);
                continue;
            }
            int eq = opt.indexOf('=');
            if (eq < 0) {
                throw new ParameterException(spec.commandLine(), "-o " + opt + ": unknown option; use KEY=VALUE with a key of "
                        + String.join(", ", new java.util.TreeSet<>(FsOptions.KEYS.keySet())) + ", or one of "
                        + String.join(", ", FUSE_OPTIONS));
            }
            try {
                fs = fs.with(opt.substring(0, eq), opt.substring(eq + 1));
            } catch (CairnException e) {
                throw new ParameterException(spec.commandLine(), "-o " + opt + ": " + e.getMessage());
            }
        }
        return new Parsed(fs, fuse);
    }

    private String metaAddresses() {
        String metas = meta != null ? meta : ((Main) spec.root().userObject()).env().get(AdminCommand.META_ENV);
        if (metas == null || metas.isBlank()) {
            throw new ParameterException(spec.commandLine(), "no meta server given: pass --meta HOST:PORT[,HOST:PORT...] or set "
                    + AdminCommand.META_ENV);
        }
        try {
            for (String a : metas.trim().split("\\s*,\\s*")) {
                Addresses.check(a);
            }
        } catch (CairnException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return metas.trim();
    }
}
