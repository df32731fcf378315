package io.cairn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE} of the server processes; {@link ConfigDefaults} reads the file. */
final class ConfigOption {
    @Option(names = ConfigDefaults.CONFIG, paramLabel = "FILE",
            description = {"Settings from FILE: one KEY = VALUE a line, KEY being a long option name without --"
                    + " (e.g. node-out-timeout = 10m); flags override the file ('cairn config defaults' lists every key)."})
    Path file;
}
