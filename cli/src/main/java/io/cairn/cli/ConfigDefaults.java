package io.cairn.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Defaults of every option: the value in the command's {@code --config} file if it has one,
 * else the option's own initial value as people write it (30s, 64MiB). Picocli asks after the
 * command line is parsed and only for options the command line did not give, so flags override
 * the file and the file overrides the built-in defaults.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    static final String CONFIG = "--config";

    /** A config file that names an unknown key, cannot be read, or holds a value its option refuses. */
    static final class FileException extends ParameterException {
        FileException(CommandLine cmd, String message) {
            super(cmd, message);
        }
    }

    private final Map<Path, Object> files = new HashMap<>();  // ConfigFile or FileException
    /** Options whose value came from a file, with the file and its line. */
    private final Map<ArgSpec, Map.Entry<ConfigFile, ConfigFile.Line>> fromFile = new IdentityHashMap<>();

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec o && !o.longestName().equals(CONFIG)) {
            ConfigFile file = file(o.command());
            ConfigFile.Line line = file == null ? null : file.lines().get(key(o));
            if (line != null) {
                fromFile.put(arg, Map.entry(file, line));
                return line.value();
            }
        }
        return shown(arg);
    }

    /** The built-in default as people write it, or null for picocli's own rendering. */
    static String shown(ArgSpec arg) {
        Object initial = arg.initialValue();
        if (initial instanceof Duration d) {
            return Durations.format(d);
        }
        if (initial instanceof Long size && isSize(arg)) {
            return DataSizes.formatExact(size);
        }
        return null;
    }

    static boolean isSize(ArgSpec arg) {
        return arg.converters() != null && List.of(arg.converters()).stream().anyMatch(c -> c instanceof DataSizes.Converter);
    }

    /** The file key of an option: its long name without dashes. */
    static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    /** Options a file may set: those with a long name, except --config, --help and --version. */
    static List<OptionSpec> settable(CommandSpec cmd) {
        return cmd.options().stream()
                .filter(o -> o.longestName().startsWith("--") && !o.longestName().equals(CONFIG)
                        && !o.usageHelp() && !o.versionHelp())
                .toList();
    }

    /** The command's config file, read and its keys checked once; null if it has none. */
    private ConfigFile file(CommandSpec cmd) {
        OptionSpec option = cmd.findOption(CONFIG);
        Path path = option == null ? null : option.getValue();
        if (path == null) {
            return null;
        }
        Object loaded = files.computeIfAbsent(path.toAbsolutePath(), p -> load(cmd, path));
        if (loaded instanceof FileException e) {
            throw e;
        }
        return (ConfigFile) loaded;
    }

    private static Object load(CommandSpec cmd, Path path) {
        try {
            ConfigFile f = ConfigFile.read(path);
            TreeSet<String> known = new TreeSet<>(settable(cmd).stream().map(ConfigDefaults::key).toList());
            for (ConfigFile.Line line : f.lines().values()) {
                if (!known.contains(line.key())) {
                    return new FileException(cmd.commandLine(), f.at(line) + ": unknown key '" + line.key() + "' for '"
                            + cmd.qualifiedName() + "': use one of " + String.join(", ", known)
                            + " ('cairn config defaults " + cmd.name() + "' lists them)");
                }
            }
            return f;
        } catch (ConfigFile.Invalid e) {
            return new FileException(cmd.commandLine(), e.getMessage());
        }
    }

    /**
     * The one-line message for a value from a file that its option refused (FILE:LINE: KEY = VALUE:
     * why), or empty when the refused value came from the command line.
     */
    Optional<String> fromFileProblem(ParameterException e) {
        Map.Entry<ConfigFile, ConfigFile.Line> src = e.getArgSpec() == null ? null : fromFile.get(e.getArgSpec());
        if (src == null || e.getCommandLine().getParseResult() != null
                && e.getCommandLine().getParseResult().hasMatchedOption((OptionSpec) e.getArgSpec())) {
            return Optional.empty();
        }
        String why = e.getMessage().replaceFirst("^Invalid value for option '[^']*': ", "");
        return Optional.of(src.getKey().at(src.getValue()) + ": " + src.getValue().key() + " = " + src.getValue().value()
                + ": " + why + " (fix the value in the file)");
    }

    /** Where an option's value came from: "flag", "FILE:LINE" or "default". */
    String source(CommandSpec cmd, OptionSpec o) {
        if (cmd.commandLine().getParseResult() != null && cmd.commandLine().getParseResult().hasMatchedOption(o)) {
            return "flag";
        }
        Map.Entry<ConfigFile, ConfigFile.Line> src = fromFile.get(o);
        return src != null ? src.getKey().at(src.getValue()) : "default";
    }
}
