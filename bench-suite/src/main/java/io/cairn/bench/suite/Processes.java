package io.cairn.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Outside programs the workloads run as a user would (git, tar, rm): nothing on stdin, stdout
 * and stderr together into a file outside the target, and a time limit per command so that a
 * hung mount cannot hang the suite.
 */
final class Processes {
    static final long TIMEOUT_MINUTES = 10;

    private Processes() {
    }

    /** Starts {@code pb} with its stdin closed; IOException ("Cannot run program") if it is not on PATH. */
    static Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    /** Waits for {@code p} ({@code what} names it in errors) at most {@link #TIMEOUT_MINUTES}; its exit value. */
    static int await(Process p, String what) throws IOException {
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(what + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what + " ran", e);
        }
    }

    /**
     * Runs {@code command} in {@code dir} in the C locale, its output into {@code output};
     * IOException with that output if it exits other than 0.
     */
    static void run(Path dir, Path output, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().put("LC_ALL", "C");
        String what = String.join(" ", command);
        int exit = await(start(pb), what);
        if (exit != 0) {
            throw new IOException(what + " exited " + exit + ": " + Files.readString(output, StandardCharsets.UTF_8).strip());
        }
    }

    /** True if {@code command} (e.g. {@code tar --version}) starts and exits 0. */
    static boolean works(List<String> command) {
        try {
            Process p = start(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD));
            return await(p, String.join(" ", command)) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
