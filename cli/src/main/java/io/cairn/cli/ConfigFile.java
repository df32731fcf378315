package io.cairn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A process's config file: one {@code key = value} a line, keys being the long option names
 * without {@code --} (e.g. {@code node-out-timeout = 10m}); blank lines and lines starting with
 * {@code #} are skipped. Values are taken as written and converted by the options' own
 * converters, so a file and the flags accept exactly the same forms.
 */
record ConfigFile(Path path, Map<String, Line> lines) {
    /** One setting and the line it came from (1-based). */
    record Line(int number, String key, String value) {
    }

    /** A file that cannot be read or parsed; the message names the file, the line and the fix. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    ConfigFile {
        lines = Map.copyOf(lines);
    }

    static ConfigFile read(Path path) throws Invalid {
        try {
            return parse(path, Files.readAllLines(path));
        } catch (NoSuchFileException e) {
            throw new Invalid("config file " + path + " does not exist: give the path of a readable file to --config");
        } catch (IOException e) {
            throw new Invalid("cannot read config file " + path + ": " + e.getMessage());
        }
    }

    static ConfigFile parse(Path path, List<String> text) throws Invalid {
        Map<String, Line> lines = new LinkedHashMap<>();
        for (int i = 0; i < text.size(); i++) {
            String raw = text.get(i).strip();
            if (raw.isEmpty() || raw.startsWith("#")) {
                continue;
            }
            int eq = raw.indexOf('=');
            String where = path + ":" + (i + 1) + ": ";
            if (eq <= 0) {
                throw new Invalid(where + "'" + raw + "' is not a setting: write KEY = VALUE, e.g. node-out-timeout = 10m");
            }
            String key = raw.substring(0, eq).strip();
            if (key.startsWith("-")) {
                throw new Invalid(where + "write the key without dashes: " + key.replaceFirst("^-+", "") + " = ...");
            }
            Line previous = lines.put(key, new Line(i + 1, key, raw.substring(eq + 1).strip()));
            if (previous != null) {
                throw new Invalid(where + key + " is already set on line " + previous.number() + ": keep one of them");
            }
        }
        return new ConfigFile(path, lines);
    }

    /** Where a line is, as editors jump to it: FILE:LINE. */
    String at(Line line) {
        return path + ":" + line.number();
    }
}
