package io.cairn.cli;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn local}: a cluster of real processes on this machine, for trying Cairn and for fault drills. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run a cluster of real processes on 127.0.0.1.",
        subcommands = {LocalCommand.Up.class, LocalCommand.Status.class, LocalCommand.Down.class,
                LocalCommand.Kill.class, LocalCommand.Start.class})
final class LocalCommand {
    static class DirOption {
        @Option(names = "--dir", description = "Where the cluster keeps its data and logs (default: ${DEFAULT-VALUE}).")
        Path dir = Path.of("cairn-data");
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the cluster (or restart it with its data if --dir holds one).")
    static final class Up extends DirOption implements Callable<Integer> {
        @Option(names = "--meta", description = "Meta servers in a new cluster (default: ${DEFAULT-VALUE}).")
        int meta = 3;

        @Override
        public Integer call() throws Exception {
            LocalCluster c = new LocalCluster(dir);
            boolean existed = c.exists();
            c.loadOrCreate(meta);
            for (String name : c.metaNames()) {
                c.start(name);
            }
            c.waitForLeader(Duration.ofSeconds(60));
            System.out.println((existed ? "Restarted" : "Started") + " the local cluster in " + c.dir() + ":");
            Status.print(c.members());
            System.out.println();
            System.out.println("Meta servers: " + c.metaAddresses() + "   (export CAIRN_META=" + c.metaAddresses() + ")");
            System.out.println("Logs: " + c.dir() + "/*.log    Status: ./cairn local status --dir " + dir
                    + "    Stop: ./cairn local down --dir " + dir);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "List each process with pid, role and address.")
    static final class Status extends DirOption implements Callable<Integer> {
        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            LocalCluster c = new LocalCluster(dir);
            c.load();
            List<LocalCluster.Member> members = c.members();
            if (json) {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < members.size(); i++) {
                    LocalCluster.Member m = members.get(i);
                    sb.append(i == 0 ? "" : ",").append("{\"name\":\"").append(m.name())
                            .append("\",\"kind\":\"meta\",\"pid\":").append(c.process(m.name()).map(ProcessHandle::pid).orElse(0L))
                            .append(",\"role\":\"").append(m.role()).append("\",\"address\":\"").append(m.address()).append("\"}");
                }
                System.out.println(sb.append("]"));
            } else {
                print(members, c);
            }
            return members.stream().allMatch(m -> m.role().equals("leader") || m.role().equals("follower")) ? 0 : 1;
        }

        static void print(List<LocalCluster.Member> members) {
            print(members, null);
        }

        static void print(List<LocalCluster.Member> members, LocalCluster c) {
            System.out.printf("  %-8s %-6s %-12s %-22s%n", "NAME", "KIND", "ROLE", "ADDRESS");
            for (LocalCluster.Member m : members) {
                System.out.printf("  %-8s %-6s %-12s %-22s%n", m.name(), "meta", m.role(), m.address());
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every process of the cluster (data is kept).")
    static final class Down extends DirOption implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            LocalCluster c = new LocalCluster(dir);
            c.load();
            for (String name : c.metaNames()) {
                System.out.println((c.stop(name, false) ? "stopped " : "not running: ") + name);
            }
            return 0;
        }
    }

    /** A command on one member of the cluster, named by NAME. */
    abstract static class MemberCommand extends DirOption implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The member, e.g. meta1.")
        String name;

        @Override
        public Integer call() throws Exception {
            LocalCluster c = new LocalCluster(dir);
            c.load();
            requireMember(c, name);
            System.out.println(act(c));
            return 0;
        }

        abstract String act(LocalCluster c) throws Exception;
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "Send SIGKILL to one member (a crash drill).")
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
            return "started " + name + " (pid " + c.start(name) + ")";
        }
    }

    static void requireMember(LocalCluster c, String name) throws CairnException {
        if (!c.isMember(name)) {
            throw new CairnException(ErrorCode.NOT_FOUND, "no member '" + name + "' in " + c.dir()
                    + "; members: " + String.join(", ", c.metaNames()));
        }
    }
}
