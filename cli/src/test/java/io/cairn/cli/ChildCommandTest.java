package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildCommandTest {
    @TempDir
    Path dir;

    @Test
    void aChildRunsWithALongClassPathAndItsCommandLineStaysShort() throws Exception {
        String real = System.getProperty("java.class.path");
        // A deep checkout: the class path alone is longer than the 4096 bytes of /proc/PID/cmdline that
        // ProcessHandle.Info reads, so a command line carrying it would hide the main class.
        String padded = real + (File.pathSeparator + "/a/deep/checkout/of/cairn/cli/target/lib/missing.jar").repeat(100);
        System.setProperty("java.class.path", padded);
        ProcessBuilder b;
        try {
            b = ChildCommand.builder(List.of(), List.of("-Xmx64m"), List.of("--version"), dir.resolve("child.log"));
        } finally {
            System.setProperty("java.class.path", real);
        }
        assertThat(String.join(" ", b.command())).hasSizeLessThan(1000).contains(ChildCommand.MAIN);
        Process p = b.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("child.log"))).contains("cairn 0.1.0");
    }

    @Test
    void aChildUsesTheLaunchersJvmCacheWhenThereIsOneAndRunsEvenIfItCannotBeUsed() throws Exception {
        Path cache = dir.resolve("cairn-jvm.aot");
        List<String> without = ChildCommand.builder(List.of(), List.of(), List.of("--version"), dir.resolve("a.log"),
                cache.toString()).command();
        assertThat(without).noneMatch(a -> a.startsWith("-XX:AOTCache"));
        assertThat(ChildCommand.builder(List.of(), List.of(), List.of("--version"), dir.resolve("a.log"), null).command())
                .noneMatch(a -> a.startsWith("-XX:AOTCache"));

        // A cache made for another build (here: not a cache at all) costs the child its speed-up, not its start.
        Files.writeString(cache, "not a cache");
        ProcessBuilder b = ChildCommand.builder(List.of(), List.of(), List.of("--version"), dir.resolve("b.log"),
                cache.toString());
        assertThat(b.command()).contains("-XX:AOTCache=" + cache);
        Process p = b.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("b.log"))).contains("cairn 0.1.0");
    }

    @Test
    void aLiveProcessIsCairnOnlyWhenItsCommandLineSaysSo() throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        Process cut = new ProcessBuilder("sh", "-c", "sleep 30", "java", "-cp",
                "/opt/cairn/cli/target/cairn-cli.jar" + ":/x".repeat(3000), ChildCommand.MAIN).start();
        try {
            assertThat(ChildCommand.isCairn(other.toHandle())).isFalse();
            assertThat(ChildCommand.isCairn(cut.toHandle())).as("a command line cut at 4096 bytes").isTrue();
        } finally {
            other.destroy();
            cut.destroy();
        }
    }
}
