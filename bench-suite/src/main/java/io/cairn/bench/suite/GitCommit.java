package io.cairn.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What a developer does on a fresh source tree: {@code git init -q && git add -A && git commit -q}
 * of many small files, run as real git processes in the workload's directory. The files (a few
 * KiB of source-like text each, over a handful of directories, from a fixed seed) are written
 * untimed first, caches left warm as right after an unpack or a copy; the figure is the seconds
 * the three commands take together, process start-up included. Git runs with the settings it
 * ships with (its own fsync defaults; no system or user configuration is read: HOME is a fresh
 * directory outside the target). Afterwards, untimed, the commit's tree must list exactly the
 * files written, and {@code git fsck} (which reads every object back and checks its hash) must
 * pass. Without git on PATH the workload records a note and no figure.
 */
public final class GitCommit implements Workload {
    /** Directories of the tree: files are dealt round-robin over them, one in ten at the top. */
    private static final String[] DIRS = {"src/core", "src/io", "src/net", "src/util", "test/core", "test/io", "docs",
            "scripts"};
    private static final String[] WORDS = {"return", "final", "int", "long", "static", "void", "if", "else", "for",
            "while", "new", "null", "this", "buffer", "offset", "length", "count", "node", "chunk", "inode", "name",
            "path", "read", "write", "lock", "state", "value", "result", "error", "close", "open", "flush"};

    private final String git;
    private final Path homes;

    public GitCommit() {
        this("git", Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** For tests: another executable than {@code git} (to test the skip), git's HOME made under {@code homes}. */
    GitCommit(String git, Path homes) {
        this.git = git;
        this.homes = homes;
    }

    @Override
    public String name() {
        return "git";
    }

    @Override
    public void run(WorkloadContext ctx) throws IOException {
        int n = ctx.sizes().gitFiles();
        Path home = Files.createTempDirectory(homes, "cairn-bench-git-home-");
        try {
            String version = version(home);
            if (version == null) {
                ctx.note("skipped: '" + git + "' is not on PATH; install git to measure init, add and commit of "
                        + n + " files");
                return;
            }
            ctx.note(version + ", default settings (its fsync defaults vary by version)");

            ctx.step("write " + n + " small files");
            List<String> written = writeTree(ctx, n);

            ctx.step("git init, add, commit of " + n + " files");
            long start = System.nanoTime();
            run(ctx, home, "init", "-q");
            run(ctx, home, "add", "-A");
            run(ctx, home, "commit", "-q", "-m", "Add " + n + " files");
            ctx.figure("init+add+commit", (System.nanoTime() - start) / 1e9, "s", Better.LOWER);

            ctx.step("git ls-tree, fsck");
            String tree = run(ctx, home, "ls-tree", "-r", "--name-only", "HEAD");
            ctx.check("commit holds every file", tree.lines().sorted().toList().equals(written));
            ctx.check("fsck", exit(ctx, home, "fsck", "--no-progress", "--strict") == 0);
        } finally {
            SuiteRunner.deleteTree(home);
        }
    }

    /**
     * Writes {@code n} files of 1 to 8 KiB of source-like text (so that git's compression does
     * real work), returns their paths relative to the workload's directory, sorted as git lists them.
     */
    static List<String> writeTree(WorkloadContext ctx, int n) throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        for (String d : DIRS) {
            Files.createDirectories(ctx.dir().resolve(d));
        }
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = i % 10 == 9 ? String.format("file%04d.txt", i)
                    : String.format("%s/file%04d.txt", DIRS[i % DIRS.length], i);
            Files.writeString(ctx.dir().resolve(path), text(random, 1024 + random.nextInt(7 * 1024)),
                    StandardCharsets.US_ASCII);
            paths.add(path);
            ctx.advance(i + 1, n);
        }
        return paths.stream().sorted().toList();  // ASCII names: String order is git's byte order
    }

    private static String text(SplittableRandom random, int bytes) {
        StringBuilder sb = new StringBuilder(bytes + 16);
        while (sb.length() < bytes) {
            sb.append("    ".repeat(random.nextInt(4)));
            for (int w = 1 + random.nextInt(9); w > 0; w--) {
                sb.append(WORDS[random.nextInt(WORDS.length)]).append(w > 1 ? " " : ";\n");
            }
        }
        sb.setLength(bytes - 1);
        return sb.append('\n').toString();
    }

    /** {@code git --version}'s line, or null if the executable cannot be started. */
    private String version(Path home) throws IOException {
        Process p;
        try {
            p = start(home, home, "--version");
        } catch (IOException e) {
            return null;  // "Cannot run program": not on PATH
        }
        if (await(p, "--version") != 0) {
            throw new IOException(git + " --version exited " + p.exitValue() + ": " + output(home));
        }
        return output(home).strip();
    }

    /** Runs git in the workload's directory; its output, or IOException with it if git failed. */
    private String run(WorkloadContext ctx, Path home, String... args) throws IOException {
        if (exit(ctx, home, args) != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed: " + output(home).strip());
        }
        return output(home);
    }

    private int exit(WorkloadContext ctx, Path home, String... args) throws IOException {
        return await(start(ctx.dir(), home, args), args[0]);
    }

    private Process start(Path dir, Path home, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(git));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("output").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_"));  // GIT_DIR, GIT_INDEX_FILE... of a calling git
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_NAME", "Cairn Bench");
        env.put("GIT_AUTHOR_EMAIL", "bench@cairn.invalid");
        env.put("GIT_AUTHOR_DATE", "2026-11-24T18:00:00Z");
        env.put("GIT_COMMITTER_NAME", "Cairn Bench");
        env.put("GIT_COMMITTER_EMAIL", "bench@cairn.invalid");
        env.put("GIT_COMMITTER_DATE", "2026-11-24T18:00:00Z");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("LC_ALL", "C");
        return Processes.start(pb);
    }

    private int await(Process p, String what) throws IOException {
        return Processes.await(p, git + " " + what);
    }

    private static String output(Path home) throws IOException {
        return Files.readString(home.resolve("output"), StandardCharsets.UTF_8);
    }
}
