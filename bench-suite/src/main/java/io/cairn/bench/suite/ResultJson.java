package io.cairn.bench.suite;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The result file: a {@link SuiteResult} as JSON and back. The {@code format} member names this
 * layout; a reader refuses any other, so an old file is never read as something it is not.
 */
public final class ResultJson {
    public static final String FORMAT = "cairn-bench-result/1";

    private ResultJson() {
    }

    public static String write(SuiteResult r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("format", FORMAT);
        j.put("label", r.label());
        j.put("date", r.date().toString());
        j.put("target", r.target());
        j.put("filesystem", map("type", r.fsType(), "source", r.fsSource()));
        j.put("seconds", r.seconds());
        Machine m = r.machine();
        j.put("machine", map("host", m.host(), "os", m.os(), "cpu", m.cpu(), "cores", m.cores(),
                "memoryBytes", m.memoryBytes(), "java", m.java()));
        SuiteSizes s = r.sizes();
        j.put("sizes", map("name", s.name(), "sequentialBytes", s.sequentialBytes(),
                "randomFileBytes", s.randomFileBytes(), "randomOps", s.randomOps(),
                "randomTimeCapSeconds", s.randomTimeCap().toSeconds(), "smallFiles", s.smallFiles(),
                "directories", s.directories(), "listedEntries", s.listedEntries(), "checksumBytes", s.checksumBytes(),
                "gitFiles", s.gitFiles(), "tarFiles", s.tarFiles(), "parallelFiles", s.parallelFiles()));
        j.put("cachesDropped", r.cachesDropped());
        j.put("cacheNote", r.cacheNote());
        List<Object> figures = new ArrayList<>();
        for (Figure f : r.figures()) {
            figures.add(map("workload", f.workload(), "metric", f.metric(), "value", f.value(), "unit", f.unit(),
                    "better", f.better().word()));
        }
        j.put("figures", figures);
        j.put("checks", new LinkedHashMap<String, Object>(r.checks()));
        j.put("notes", new ArrayList<Object>(r.notes()));
        return JsonText.write(j);
    }

    /** Reads a result file's text; IllegalArgumentException saying what is wrong with it. */
    public static SuiteResult read(String text) {
        Object parsed = JsonText.parse(text);
        if (!(parsed instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("not a result file: the JSON is not an object");
        }
        Obj j = new Obj((Map<?, ?>) parsed, "");
        String format = j.string("format");
        if (!format.equals(FORMAT)) {
            throw new IllegalArgumentException("format '" + format + "' is not " + FORMAT + ": run the suite again with this version");
        }
        Obj fs = j.obj("filesystem");
        Obj m = j.obj("machine");
        Obj s = j.obj("sizes");
        Instant date;
        try {
            date = Instant.parse(j.string("date"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'date' is not an ISO-8601 instant: " + j.string("date"));
        }
        List<Figure> figures = new ArrayList<>();
        List<?> list = j.list("figures");
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> fm)) {
                throw new IllegalArgumentException("figures[" + i + "] is not an object");
            }
            Obj f = new Obj(fm, "figures[" + i + "].");
            Better better;
            try {
                better = Better.of(f.string("better"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("figures[" + i + "].better is '" + f.string("better") + "', not higher or lower");
            }
            figures.add(new Figure(f.string("workload"), f.string("metric"), f.number("value"), f.string("unit"), better));
        }
        Map<String, Boolean> checks = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : j.obj("checks").map.entrySet()) {
            if (!(e.getValue() instanceof Boolean b)) {
                throw new IllegalArgumentException("checks." + e.getKey() + " is not true or false");
            }
            checks.put(String.valueOf(e.getKey()), b);
        }
        // Results from before the git workload have no notes and no git size (nor git figures);
        // results from before the tar and parallel-creates workloads have no sizes for them.
        List<String> notes = new ArrayList<>();
        List<?> noteList = j.map.containsKey("notes") ? j.list("notes") : List.of();
        for (int i = 0; i < noteList.size(); i++) {
            if (!(noteList.get(i) instanceof String note)) {
                throw new IllegalArgumentException("notes[" + i + "] is not a string");
            }
            notes.add(note);
        }
        String sizeName = s.string("name");
        return new SuiteResult(j.string("label"), j.string("target"), fs.string("type"), fs.string("source"), date,
                j.number("seconds"),
                new Machine(m.string("host"), m.string("os"), m.string("cpu"), (int) m.number("cores"),
                        (long) m.number("memoryBytes"), m.string("java")),
                new SuiteSizes(sizeName, (long) s.number("sequentialBytes"), (long) s.number("randomFileBytes"),
                        (int) s.number("randomOps"), Duration.ofSeconds((long) s.number("randomTimeCapSeconds")),
                        (int) s.number("smallFiles"), (int) s.number("directories"), (int) s.number("listedEntries"),
                        (long) s.number("checksumBytes"), laterSize(s, "gitFiles", SuiteSizes::gitFiles),
                        laterSize(s, "tarFiles", SuiteSizes::tarFiles),
                        laterSize(s, "parallelFiles", SuiteSizes::parallelFiles)),
                j.bool("cachesDropped"), j.string("cacheNote"), figures, checks, notes);
    }

    /**
     * A size added to the suite after its first results ({@code key}, read by {@code size}). A
     * result written before that size existed has no figures of its workload, and taking the
     * standard size of the suite so named keeps it comparable with newer results of the same suite.
     */
    private static int laterSize(Obj s, String key, ToIntFunction<SuiteSizes> size) {
        if (s.map.containsKey(key)) {
            return (int) s.number(key);
        }
        return switch (s.string("name")) {
            case "full" -> size.applyAsInt(SuiteSizes.full());
            case "quick" -> size.applyAsInt(SuiteSizes.quick());
            default -> 0;
        };
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A JSON object with typed getters that name the missing or mistyped member. */
    private record Obj(Map<?, ?> map, String path) {
        private Object get(String key) {
            if (!map.containsKey(key)) {
                throw new IllegalArgumentException("'" + path + key + "' is missing");
            }
            return map.get(key);
        }

        String string(String key) {
            if (get(key) instanceof String s) {
                return s;
            }
            throw new IllegalArgumentException("'" + path + key + "' is not a string");
        }

        double number(String key) {
            if (get(key) instanceof Number n) {
                return n.doubleValue();
            }
            throw new IllegalArgumentException("'" + path + key + "' is not a number");
        }

        boolean bool(String key) {
            if (get(key) instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException("'" + path + key + "' is not true or false");
        }

        List<?> list(String key) {
            if (get(key) instanceof List<?> l) {
                return l;
            }
            throw new IllegalArgumentException("'" + path + key + "' is not an array");
        }

        Obj obj(String key) {
            if (get(key) instanceof Map<?, ?> m) {
                return new Obj(m, path + key + ".");
            }
            throw new IllegalArgumentException("'" + path + key + "' is not an object");
        }
    }
}
