package io.cairn.cli;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn local}: a cluster of real processes on this machine, for trying Cairn and for fault drills. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run a cluster of real processes on 127.0.0.1.",
        subcommands = {LocalUpCommand.class, LocalCommand.Status.class, LocalCommand.Down.class,
                LocalCommand.Kill.class, LocalCommand.Start.class})
final class LocalCommand {
    static class DirOption {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", description = "Where the cluster keeps its data and logs (default: ${DEFAULT-VALUE}).")
        Path dir = Path.of("cairn-data");

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        LocalCluster load() throws Exception {
            LocalCluster c = new LocalCluster(dir);
            c.load();
            return c;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"List each process with kind, role, address and pid; exit 1 unless all are healthy.",
                    "A server's role and address are its meta server's and its storage node's (e.g. leader/up)."})
    static final class Status extends DirOption implements Callable<Integer> {
        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            LocalCluster c = load();
            List<LocalMembers.Member> members = LocalMembers.of(c);
            if (json) {
                out().println(Json.of(members.stream().map(m -> {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("name", m.name());
                    j.put("kind", kind(m));
                    j.put("pid", c.process(m.name()).map(ProcessHandle::pid).orElse(0L));
                    j.put("role", m.role());
                    j.put("address", m.address());
                    return j;
                }).toList()));
            } else {
                print(out(), members, c);
            }
            return members.stream().allMatch(LocalMembers.Member::healthy) ? 0 : 1;
        }

        static void print(PrintWriter out, List<LocalMembers.Member> members, LocalCluster c) {
            Table t = new Table("NAME", "KIND", "ROLE", "ADDRESS", "PID");
            for (LocalMembers.Member m : members) {
                t.row(m.name(), kind(m), m.role(), m.address(),
                        c.process(m.name()).map(h -> Long.toString(h.pid())).orElse("-"));
            }
            t.print(out);
        }

        private static String kind(LocalMembers.Member m) {
            return switch (m.kind()) {
                case META -> "meta";
                case NODE -> "node";
                case SERVER -> "server";
                case MOUNT -> "mount";
            };
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every process of the cluster (data is kept).")
    static final class Down extends DirOption implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            LocalCluster c = load();
            for (String name : c.stopOrder()) {
                out().println((c.stop(name, false) ? "stopped " : "not running: ") + name);
            }
            return 0;
        }
    }

    /** A command on one member of the cluster, named by NAME. */
    abstract static class MemberCommand extends DirOption implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The member, e.g. server2 (meta server and storage node in one process), "
                + "or meta1 or node2 in a cluster with separate roles.")
        String name;

        @Override
        public Integer call() throws Exception {
            LocalCluster c = load();
            if (!c.isMember(name)) {
                throw new CairnException(ErrorCode.NOT_FOUND, "no member '" + name + "' in " + c.dir()
                        + "; members: " + String.join(", ", c.allNames()));
            }
            out().println(act(c));
            return 0;
        }

        abstract String act(LocalCluster c) throws Exception;
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "Send SIGKILL to one member (a crash drill); a server's both roles go with it.")
    static final class Kill extends MemberCommand {
        @Override
        String act(LocalCluster c) throws CairnException {
            if (!c.stop(name, true)) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, name + " is not running");
            }
            return "killed " + name;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start one stopped member again.")
    static final class Start extends MemberCommand {
        @Override
        String act(LocalCluster c) throws Exception {
            long pid = c.start(name);
            if (c.kind(name) == LocalCluster.Kind.NODE || c.kind(name) == LocalCluster.Kind.SERVER) {
                // A storage node that cannot start (a torn identity file, a brick gone) says so now.
                Duration timeout = Duration.ofSeconds(120);
                try (io.cairn.client.admin.StorageNodeCalls calls = new io.cairn.client.admin.StorageNodeCalls()) {
                    c.waitForNode(name, calls, System.nanoTime() + timeout.toNanos(), timeout);
                }
            }
            return "started " + name + " (pid " + pid + ")";
        }
    }
}
