package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --config files: parsed with the flags' own converters, overridden by flags, refused clearly when wrong. */
class ConfigFileTest {
    @TempDir
    Path tmp;

    private static CommandLine cli() {
        return Main.commandLine(new ByteArrayInputStream(new byte[0]), Map.of(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
    }

    private Path file(String... lines) throws Exception {
        return Files.write(tmp.resolve("cairn.conf"), List.of(lines));
    }

    private static <T> T parsed(CommandLine cl, String command, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        cl.parseArgs(all);
        return cl.getSubcommands().get(command).getCommand();
    }

    @Test
    void aGoodFileSetsEveryKindOfOptionWithTheFlagsConverters() throws Exception {
        Path f = file("# a meta server", "", "id = m1", "peers = m1=127.0.0.1:7000,m2=127.0.0.1:7002",
                "data = /var/lib/cairn/meta", "node-out-timeout = 15m", "repair-rate = 16MiB", "snapshot-every=500",
                "metrics-port = 9100");
        MetaCommand meta = parsed(cli(), "meta", "--config", f.toString());
        assertThat(meta.options.id).isEqualTo("m1");
        assertThat(meta.options.peers).containsExactly(Map.entry("m1", "127.0.0.1:7000"), Map.entry("m2", "127.0.0.1:7002"));
        assertThat(meta.data).isEqualTo(Path.of("/var/lib/cairn/meta"));
        assertThat(meta.options.nodeOut).isEqualTo(Duration.ofMinutes(15));
        assertThat(meta.options.repairRate).isEqualTo(16L << 20);
        assertThat(meta.options.snapshotEvery).isEqualTo(500);
        assertThat(meta.metrics.port).isEqualTo(9100);
        assertThat(meta.options.nodeDown).as("not in the file: the built-in default").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void flagsOverrideTheFile() throws Exception {
        Path f = file("listen = 127.0.0.1:7100", "meta = 127.0.0.1:7000", "heartbeat-interval = 10s", "scrub-rate = 1MiB");
        CommandLine cl = cli();
        NodeCommand node = parsed(cl, "node", "--data", "/d", "--heartbeat-interval", "2s", "--config", f.toString());
        assertThat(node.options.heartbeat).isEqualTo(Duration.ofSeconds(2));
        assertThat(node.listen).isEqualTo("127.0.0.1:7100");
        assertThat(node.options.scrubRate).isEqualTo(1L << 20);
        String effective = EffectiveConfig.describe(cl.getSubcommands().get("node").getCommandSpec());
        assertThat(effective).contains("heartbeat-interval=2s (flag)", "listen=127.0.0.1:7100 (" + f + ":1)",
                "scrub-interval=1d,", "data=/d (flag)");
    }

    @Test
    void aFlagReplacesAListFromTheFileRatherThanAddingToIt() throws Exception {
        Path f = file("options = io-timeout=30s,ro");
        MountCommand mount = parsed(cli(), "mount", "vol0", "/mnt", "--config", f.toString(), "-o", "allow_other");
        assertThat(mount.options).containsExactly("allow_other");
        assertThat(((MountCommand) parsed(cli(), "mount", "vol0", "/mnt", "--config", f.toString())).options)
                .containsExactly("io-timeout=30s", "ro");
    }

    @Test
    void anUnknownKeyNamesTheFileTheLineAndTheKnownKeys() throws Exception {
        Path f = file("listen = 127.0.0.1:7100", "heartbeat = 10s");
        assertThatThrownBy(() -> parsed(cli(), "node", "--data", "/d", "--config", f.toString()))
                .isInstanceOf(ConfigDefaults.FileException.class)
                .hasMessage(f + ":2: unknown key 'heartbeat' for 'cairn node': use one of data, heartbeat-interval, listen,"
                        + " meta, metrics-port, scrub-interval, scrub-rate, sync-interval ('cairn config defaults node' lists them)");
    }

    @Test
    void badValuesAndBadLinesAreOneLineNamingTheFileAndLineWithExitTwo() throws Exception {
        Path f = file("listen = 127.0.0.1:7100", "meta = 127.0.0.1:7000", "heartbeat-interval = 10x");
        Cli.Result r = Cli.withMeta(null).run("node", "--data", tmp.toString(), "--config", f.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).as(r.toString()).containsExactly("cairn: " + f + ":3: heartbeat-interval = 10x: invalid duration"
                + " '10x': use a number and ms, s, m, h or d, e.g. 30s (fix the value in the file)");

        Path port = file("metrics-port = many");
        r = Cli.withMeta(null).run("meta", "--config", port.toString(), "--id", "m1", "--peers", "m1=127.0.0.1:7000",
                "--data", tmp.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).as(r.toString()).singleElement().asString()
                .startsWith("cairn: " + port + ":1: metrics-port = many: ").endsWith("(fix the value in the file)");

        r = Cli.withMeta(null).run("node", "--config", file("--listen = 127.0.0.1:7100").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("cairn: " + tmp.resolve("cairn.conf")
                + ":1: write the key without dashes: listen = ...");

        r = Cli.withMeta(null).run("node", "--config", file("listen = a", "listen = b").toString());
        assertThat(r.errLines()).containsExactly("cairn: " + tmp.resolve("cairn.conf")
                + ":2: listen is already set on line 1: keep one of them");

        r = Cli.withMeta(null).run("node", "--config", tmp.resolve("missing.conf").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("cairn: config file " + tmp.resolve("missing.conf")
                + " does not exist: give the path of a readable file to --config");
    }

    @Test
    void aBadFlagStillBlamesTheFlag() throws Exception {
        Path f = file("listen = 127.0.0.1:7100", "meta = 127.0.0.1:7000");
        Cli.Result r = Cli.withMeta(null).run("node", "--data", tmp.toString(), "--config", f.toString(), "--scrub-rate", "lots");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("cairn: Invalid value for option '--scrub-rate'")
                .endsWith("(see 'cairn node --help')");
    }

    @Test
    void defaultsListEveryKeyOnceAsAFileTheProcessReadsBack() throws Exception {
        Cli.Result r = Cli.withMeta(null).run("config", "defaults", "meta");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("node-out-timeout = 10m\n", "repair-rate = 64MiB\n", "# id =\n", "# metrics-port =\n",
                "# A storage node silent this long is down.\n", "full-ratio = 0.95\n", "nearfull-ratio = 0.85\n");
        for (String key : List.of("node-down-timeout", "snapshot-every", "repair-interval", "repair-parallel", "peers", "data")) {
            assertThat(r.out()).containsOnlyOnce(key + " =");
        }
        Path f = Files.writeString(tmp.resolve("meta.conf"), r.out());
        MetaCommand meta = parsed(cli(), "meta", "--config", f.toString(), "--id", "m1", "--peers", "m1=127.0.0.1:7000",
                "--data", "/d");
        assertThat(meta.options.nodeOut).isEqualTo(Duration.ofMinutes(10));
        assertThat(meta.options.repairRate).isEqualTo(64L << 20);
        assertThat(meta.options.fullRatio).isEqualTo(0.95);
        assertThat(meta.options.nearfullRatio).isEqualTo(0.85);

        assertThat(Cli.withMeta(null).run("config", "defaults").out()).contains("# cairn meta:", "# cairn node:",
                "# cairn mount:", "scrub-rate = 32MiB", "foreground = false");
        Cli.Result bad = Cli.withMeta(null).run("config", "defaults", "client");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.errLines()).containsExactly("cairn: unknown process 'client': use one of meta, node, server, mount"
                + " (see 'cairn config defaults --help')");
    }
}
