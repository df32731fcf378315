package io.cairn.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code cairn ARGS} as a child process: the same java and class path as this process, its
 * output appended to a log and its input empty. The class path goes in the CLASSPATH variable,
 * not on the command line, so the command line stays short: ps shows what runs, and
 * {@link ProcessHandle.Info#commandLine()} (which reads only the first 4096 bytes of
 * /proc/PID/cmdline) still sees {@value #MAIN} after a long class path in a deep checkout.
 */
final class ChildCommand {
    /** The main class every cairn process runs, as its command line shows it. */
    static final String MAIN = "io.cairn.cli.Main";

    private ChildCommand() {
    }

    /**
     * Flags of every long-running child (servers, mounts). 4 MiB G1 regions: data moves in 1 MiB
     * pieces, which with the default regions of a 1 GiB heap (1 MiB) are humongous objects, each
     * allocated outside the young generation and each pushing G1 towards a concurrent cycle
     * (a profile of sequential writes showed G1's concurrent marking and the nmethod entry
     * barriers it arms among the top costs).
     */
    static final List<String> SERVER_JVM_OPTIONS = List.of("-XX:G1HeapRegionSize=4m");

    /**
     * The variable in which the launcher names the JVM's ahead-of-time cache it started this
     * process with (see the {@code cairn} script): a child, on the same class path, uses it too.
     */
    static final String JVM_CACHE_VARIABLE = "CAIRN_JVM_CACHE_FILE";

    /**
     * A process builder for {@code [before...] java [jvmOptions...] io.cairn.cli.Main [args...]};
     * {@code before} is e.g. setsid.
     */
    static ProcessBuilder builder(List<String> before, List<String> jvmOptions, List<String> args, Path log) {
        return builder(before, jvmOptions, args, log, System.getenv(JVM_CACHE_VARIABLE));
    }

    /** As {@link #builder(List, List, List, Path)}, with the launcher's JVM cache or null. */
    static ProcessBuilder builder(List<String> before, List<String> jvmOptions, List<String> args, Path log,
                                  String jvmCache) {
        List<String> cmd = new ArrayList<>(before);
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(SERVER_JVM_OPTIONS);
        if (jvmCache != null && !jvmCache.isBlank() && java.nio.file.Files.isRegularFile(Path.of(jvmCache))) {
            cmd.add("-XX:AOTCache=" + jvmCache);
        }
        cmd.addAll(jvmOptions);
        cmd.add(MAIN);
        cmd.addAll(args);
        ProcessBuilder b = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        b.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        return b;
    }

    /**
     * Whether a live process is a cairn process (not another program that got a reused pid). A
     * command line the system does not show counts as one; one cut at 4096 bytes (started by a
     * cairn that put the class path on it) is told by the cli jar at its start.
     */
    static boolean isCairn(ProcessHandle h) {
        return h.info().commandLine().map(c -> c.contains(MAIN) || c.contains("cairn-cli")).orElse(true);
    }
}
