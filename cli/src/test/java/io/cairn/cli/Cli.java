package io.cairn.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the cairn command: in this JVM through {@link Main#run}, or as the real launcher in a process. */
final class Cli {
    /** The repository root: failsafe runs in the cli module's directory. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path LAUNCHER = ROOT.resolve("cairn");

    record Result(int code, String out, String err) {
        /** stderr as lines: an error must be exactly one. */
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> env;
    private final String input;

    private Cli(Map<String, String> env, String input) {
        this.env = env;
        this.input = input;
    }

    /** The command with CAIRN_META set to {@code metaAddresses} (none if null) and no input. */
    static Cli withMeta(String metaAddresses) {
        return new Cli(metaAddresses == null ? Map.of() : Map.of(AdminCommand.META_ENV, metaAddresses), "");
    }

    /** The same command with {@code text} as its input (answers to confirmations). */
    Cli input(String text) {
        return new Cli(env, text);
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), env,
                new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Runs {@code ./cairn ARGS} as a process and waits for it. The jar is current (failsafe runs
     * after package in the same build), so the launcher does not rebuild.
     */
    static Result launch(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return await(start(args), timeoutSeconds, args);
    }

    private static Result await(Process p, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./cairn " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), Files.readString(outFile(p)), Files.readString(errFile(p)));
    }

    private static final Map<Long, Path[]> OUTPUTS = new HashMap<>();

    /**
     * Starts {@code ./cairn ARGS} without CAIRN_META in its environment, and without the JVM's
     * ahead-of-time cache (CAIRN_JVM_CACHE=off): making it takes the first server command of a
     * build half a minute or more, more than many of these commands may take;
     * {@link #startWithJvmCache} is the launcher as a user runs it.
     */
    static Process start(String... args) throws IOException {
        return start(Map.of("CAIRN_JVM_CACHE", "off"), args);
    }

    /** As {@link #start}, with the JVM cache as the launcher makes and uses it. */
    static Process startWithJvmCache(String... args) throws IOException {
        return start(Map.of(), args);
    }

    /** As {@link #launch}, with the JVM cache as the launcher makes and uses it. */
    static Result launchWithJvmCache(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return await(startWithJvmCache(args), timeoutSeconds, args);
    }

    private static Process start(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("cairn-out-", ".txt");
        Path err = Files.createTempFile("cairn-err-", ".txt");
        out.toFile().deleteOnExit();
        err.toFile().deleteOnExit();
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove(AdminCommand.META_ENV);
        pb.environment().putAll(env);
        Process p = pb.start();
        synchronized (OUTPUTS) {
            OUTPUTS.put(p.pid(), new Path[] {out, err});
        }
        return p;
    }

    static Path outFile(Process p) {
        synchronized (OUTPUTS) {
            return OUTPUTS.get(p.pid())[0];
        }
    }

    static Path errFile(Process p) {
        synchronized (OUTPUTS) {
            return OUTPUTS.get(p.pid())[1];
        }
    }

    /** Marks the jar built by this build's package phase as current for the launcher (as the launcher does after a build). */
    static void markJarCurrent() throws IOException {
        Path jar = ROOT.resolve("cli/target/cairn-cli.jar");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
    }
}
