package io.cairn.cli;

import java.time.Duration;
import java.util.StringJoiner;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The settings a process runs with, from its option specs: every key, its value, and where a non-default came from. */
final class EffectiveConfig {
    private EffectiveConfig() {
    }

    /** One line: {@code key=value} for every settable option, "(flag)" or "(FILE:LINE)" after the ones not defaulted. */
    static String describe(CommandSpec cmd) {
        ConfigDefaults defaults = ((Main) cmd.root().userObject()).defaults();
        StringJoiner j = new StringJoiner(", ");
        for (OptionSpec o : ConfigDefaults.settable(cmd)) {
            String source = defaults.source(cmd, o);
            j.add(ConfigDefaults.key(o) + "=" + display(o, o.getValue()) + (source.equals("default") ? "" : " (" + source + ")"));
        }
        return j.toString();
    }

    static String display(OptionSpec o, Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof Long size && ConfigDefaults.isSize(o)) {
            return DataSizes.formatExact(size);
        }
        return String.valueOf(value);
    }
}
