package io.cairn.cli;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cairn config}: the config files of the server processes. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Config files of the server processes (cairn meta, node, server and mount take --config FILE).",
        subcommands = {ConfigCommand.Defaults.class})
final class ConfigCommand implements Runnable {
    /** The processes that take a config file. */
    static final List<String> PROCESSES = List.of("meta", "node", "server", "mount");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code cairn config defaults [meta|node|server|mount]}: every key with its default and meaning, from
     * the option specs themselves. The output is a valid config file: keys without a default are
     * commented out.
     */
    @Command(name = "defaults", mixinStandardHelpOptions = true,
            description = "Print every config file key of a process with its default and meaning (a valid config file).")
    static final class Defaults implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "PROCESS", description = "meta, node, server or mount (default: all four).")
        String process;

        @Override
        public Integer call() {
            if (process != null && !PROCESSES.contains(process)) {
                throw new ParameterException(spec.commandLine(), "unknown process '" + process + "': use one of "
                        + String.join(", ", PROCESSES));
            }
            PrintWriter out = spec.commandLine().getOut();
            Map<String, CommandLine> commands = spec.root().subcommands();
            for (String name : process != null ? List.of(process) : PROCESSES) {
                print(out, commands.get(name).getCommandSpec());
            }
            out.flush();
            return 0;
        }

        static void print(PrintWriter out, CommandSpec cmd) {
            out.println("# " + cmd.qualifiedName() + ": keys of its --config file (flags override the file)");
            for (OptionSpec o : ConfigDefaults.settable(cmd)) {
                String value = defaultOf(o);
                String meaning = String.join(" ", o.description());
                if (value != null) {
                    meaning = meaning.replaceAll("\\s*\\(default: [^)]*\\)", "");
                }
                out.println("# " + meaning + (o.required() ? " Required." : ""));
                String key = ConfigDefaults.key(o);
                out.println(value != null ? key + " = " + value : "# " + key + " =");
            }
            out.println();
        }

        /** The built-in default as a file would write it, or null when there is none. */
        static String defaultOf(OptionSpec o) {
            String shown = ConfigDefaults.shown(o);
            if (shown != null) {
                return shown;
            }
            Object initial = o.initialValue();
            if (initial == null || initial instanceof Collection<?> c && c.isEmpty() || initial instanceof Map<?, ?> m && m.isEmpty()) {
                return null;
            }
            return String.valueOf(initial);
        }
    }
}
