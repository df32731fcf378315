package io.cairn.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Unpacking and removing a source tree with the system's tools: {@code tar xf} of an archive of
 * many small files over nested directories (see {@link SmallTree}), made untimed outside the
 * target, then {@code rm -rf} of the tree, each timed as a process, start-up included. Tar runs
 * with its defaults (as root it restores owner, mode and times of each entry, as a user would
 * see it do). Untimed checks: the extracted tree holds every file with its bytes (count and a
 * digest of paths and contents), and nothing is left after rm. Without tar or rm on PATH the
 * workload records a note and no figure.
 */
public final class TarTree implements Workload {
    private final String tar;
    private final Path scratch;

    public TarTree() {
        this("tar", Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** For tests: another executable than {@code tar} (to test the skip), the archive made under {@code scratch}. */
    TarTree(String tar, Path scratch) {
        this.tar = tar;
        this.scratch = scratch;
    }

    @Override
    public String name() {
        return "tar";
    }

    @Override
    public void run(WorkloadContext ctx) throws IOException {
        int n = ctx.sizes().tarFiles();
        for (String tool : List.of(tar, "rm")) {
            if (!Processes.works(List.of(tool, "--version"))) {
                ctx.note("skipped: '" + tool + "' is not on PATH; install the Debian package "
                        + (tool.equals("rm") ? "coreutils" : "tar") + " to measure tar xf and rm -rf of " + n + " files");
                return;
            }
        }
        Path work = Files.createTempDirectory(scratch, "cairn-bench-tar-");
        try {
            ctx.step("make an archive of " + n + " small files");
            Path tarball = work.resolve("tree.tar");
            TreeDigest expected = SmallTree.writeTar(n, tarball);
            Path output = work.resolve("output");

            ctx.step("tar xf of " + n + " files");
            long start = System.nanoTime();
            Processes.run(ctx.dir(), output, tar, "xf", tarball.toString());
            ctx.figure("xf", (System.nanoTime() - start) / 1e9, "s", Better.LOWER);

            ctx.step("read back " + n + " files");
            TreeDigest got = TreeDigest.of(ctx.dir(), ctx, n);
            ctx.check("xf extracted every file", got.count() == expected.count());
            ctx.check("xf contents match", got.hex().equals(expected.hex()));

            ctx.step("rm -rf of the tree");
            start = System.nanoTime();
            Processes.run(ctx.dir(), output, "rm", "-rf", SmallTree.TOP);
            ctx.figure("rm -rf", (System.nanoTime() - start) / 1e9, "s", Better.LOWER);
            ctx.check("rm -rf removed the tree", Files.notExists(ctx.dir().resolve(SmallTree.TOP)));
        } finally {
            SuiteRunner.deleteTree(work);
        }
    }
}
