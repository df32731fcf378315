package io.cairn.bench.suite;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine a result was taken on: enough to tell two machines apart and to read a figure in context. */
public record Machine(String host, String os, String cpu, int cores, long memoryBytes, String java) {
    /** This machine, from the JVM and /proc (fields it cannot read are "unknown" or 0). */
    public static Machine current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return new Machine(host,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                cpuModel(lines(Path.of("/proc/cpuinfo"))),
                Runtime.getRuntime().availableProcessors(),
                memTotal(lines(Path.of("/proc/meminfo"))),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    }

    /** The first "model name" of /proc/cpuinfo. */
    static String cpuModel(List<String> cpuinfo) {
        for (String line : cpuinfo) {
            if (line.startsWith("model name")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    return line.substring(colon + 1).trim();
                }
            }
        }
        return "unknown";
    }

    /** "MemTotal: 24554020 kB" of /proc/meminfo, in bytes. */
    static long memTotal(List<String> meminfo) {
        for (String line : meminfo) {
            String[] w = line.trim().split("\\s+");
            if (w.length >= 2 && w[0].equals("MemTotal:")) {
                try {
                    long n = Long.parseLong(w[1]);
                    return w.length > 2 && w[2].equalsIgnoreCase("kB") ? n * 1024 : n;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
