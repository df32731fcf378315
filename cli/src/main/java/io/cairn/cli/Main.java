package io.cairn.cli;

import io.cairn.common.CairnException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cairn} command. Exit codes: 0 ok, 1 error, 2 usage. */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
        description = "Cairn: a distributed replicated POSIX file store.",
        subcommands = {MetaCommand.class, NodeCommand.class, ServerCommand.class, PeerCommand.class, PoolCommand.class,
                VolumeCommand.class, MountCommand.class, ConfigCommand.class, LocalCommand.class, BenchCommand.class, JvmCacheTrainCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final InputStream in;
    private final Map<String, String> env;
    private final ConfigDefaults defaults = new ConfigDefaults();

    private Main(InputStream in, Map<String, String> env) {
        this.in = in;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(System.in, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs the command with the given input (answers to confirmations), environment
     * (CAIRN_META) and output streams; returns the exit code.
     */
    public static int run(InputStream in, Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(in, env, out, err);
        int code = cl.execute(args);
        out.flush();
        return code;
    }

    /** The command tree with its converters, config-file defaults and error handlers, ready to parse or execute. */
    static CommandLine commandLine(InputStream in, Map<String, String> env, PrintWriter out, PrintWriter err) {
        Main main = new Main(in, env);
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.registerConverter(java.time.Duration.class, Durations::parse);
        // Values from a --config file; help shows defaults as people write them (30s, not PT30S).
        cl.setDefaultValueProvider(main.defaults);
        cl.setParameterExceptionHandler((e, given) -> {
            CommandLine cmd = e.getCommandLine();
            String fromFile = e instanceof ConfigDefaults.FileException ? e.getMessage() : main.defaults.fromFileProblem(e).orElse(null);
            cmd.getErr().println("cairn: " + (fromFile != null ? fromFile
                    : e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')"));
            cmd.getErr().flush();
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = e;
            while (!(cause instanceof CairnException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            String message = cause instanceof CairnException ? cause.getMessage() : String.valueOf(e);
            cmd.getErr().println("cairn: " + message);
            cmd.getErr().flush();
            return 1;
        });
        return cl;
    }

    /** Where confirmations are read from. */
    InputStream in() {
        return in;
    }

    /** Defaults of the options, from --config files (which values came from a file). */
    ConfigDefaults defaults() {
        return defaults;
    }

    /** The environment the command runs in (CAIRN_META). */
    Map<String, String> env() {
        return env;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
