package io.cairn.cli;

import io.cairn.client.MetaClient;
import io.cairn.client.admin.PoolAdmin;
import io.cairn.client.admin.StorageNodeCalls;
import io.cairn.client.admin.VolumeAdmin;
import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the pool through any of its meta servers (given by {@code --meta} or
 * CAIRN_META) and, where it must, to storage nodes. Prints for people, or JSON with {@code --json}.
 */
abstract class AdminCommand implements Callable<Integer> {
    static final String META_ENV = "CAIRN_META";

    @Spec
    CommandSpec spec;

    @Option(names = "--meta", paramLabel = "HOST:PORT,...",
            description = "Meta servers of the pool, any of them (default: $" + META_ENV + ").")
    String meta;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to retry meta servers that do not answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    PoolAdmin pool;
    VolumeAdmin volumes;
    io.cairn.client.admin.BrickAdmin bricks;

    @Override
    public final Integer call() throws Exception {
        String addresses = metaAddresses();
        try (MetaClient client = MetaClient.connect(addresses, timeout);
             StorageNodeCalls nodes = new StorageNodeCalls()) {
            pool = new PoolAdmin(client, nodes);
            volumes = new VolumeAdmin(client, nodes);
            bricks = new io.cairn.client.admin.BrickAdmin(client, nodes);
            return run();
        }
    }

    /** Runs the command with {@link #pool} and {@link #volumes} connected; returns the exit code. */
    abstract int run() throws Exception;

    private String metaAddresses() {
        String given = meta;
        String from = "--meta";
        if (given == null || given.isBlank()) {
            given = main().env().get(META_ENV);
            from = META_ENV;
        }
        if (given == null || given.isBlank()) {
            throw usage("no meta server given: pass --meta HOST:PORT[,HOST:PORT...] or set " + META_ENV
                    + " (e.g. export " + META_ENV + "=10.0.0.1:7000)");
        }
        for (String a : given.trim().split("\\s*,\\s*")) {
            try {
                Addresses.check(a);
            } catch (CairnException e) {
                throw usage(from + ": " + e.getMessage());
            }
        }
        return given.trim();
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    void printJson(Object value) {
        out().println(Json.of(value));
    }

    private Main main() {
        return (Main) spec.root().userObject();
    }

    /**
     * Asks the question unless {@code yes}; a "y" or "yes" answer goes on, anything else (or no
     * input at all) stops the command with an error that names {@code --yes}.
     */
    void confirm(boolean yes, String question, String refusal) throws CairnException {
        if (yes) {
            return;
        }
        out().print(question + " (y/n) ");
        out().flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(main().in(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null) {
            out().println();
        }
        if (answer == null || !(answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, refusal + " (not confirmed; answer y, or add --yes)");
        }
    }
}
