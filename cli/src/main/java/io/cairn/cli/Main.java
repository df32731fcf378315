package io.cairn.cli;

import io.cairn.common.CairnException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cairn} command. Exit codes: 0 ok, 1 error, 2 usage. */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
        description = "Cairn: a distributed replicated POSIX file store.",
        subcommands = {MetaCommand.class, LocalCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.registerConverter(java.time.Duration.class, Durations::parse);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = e;
            while (!(cause instanceof CairnException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            String message = cause instanceof CairnException ? cause.getMessage() : String.valueOf(e);
            cmd.getErr().println("cairn: " + message);
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
