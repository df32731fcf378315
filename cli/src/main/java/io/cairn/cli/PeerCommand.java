package io.cairn.cli;

import io.cairn.client.admin.PoolAdmin;
import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.proto.NodeInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn peer}: storage nodes joining and leaving the pool. */
@Command(name = "peer", mixinStandardHelpOptions = true, description = "Add, list and remove storage nodes of the pool.",
        subcommands = {PeerCommand.Probe.class, PeerCommand.Status.class, PeerCommand.Detach.class})
final class PeerCommand {
    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Add the storage node at HOST:PORT (its 'cairn node --listen' address) to the pool.")
    static final class Probe extends AdminCommand {
        @Parameters(paramLabel = "HOST:PORT", description = "The storage node's address.")
        String address;

        @Override
        int run() throws Exception {
            try {
                Addresses.check(address);
            } catch (CairnException e) {
                throw usage(e.getMessage());
            }
            PoolAdmin.ProbeResult r = pool.probe(address);
            NodeInfo n = r.node();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("node", PoolView.json(n, System.currentTimeMillis()));
                m.put("already_in_pool", r.alreadyThere());
                m.put("old_address", r.oldAddress().isEmpty() ? null : r.oldAddress());
                printJson(m);
            } else if (r.alreadyThere()) {
                out().println("Storage node " + address + " is already in the pool (node " + n.getNodeId()
                        + ", uuid " + n.getUuid() + "); nothing to do.");
            } else if (!r.oldAddress().isEmpty()) {
                out().println("Storage node " + n.getUuid() + " (node " + n.getNodeId() + ") moved from "
                        + r.oldAddress() + " to " + address + "; the pool now reaches it there.");
            } else {
                out().println("Added storage node " + address + " to the pool (node " + n.getNodeId()
                        + ", uuid " + n.getUuid() + ").");
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "List the storage nodes of the pool with their state and last heartbeat.")
    static final class Status extends AdminCommand {
        @Override
        int run() throws Exception {
            return list(this, true);
        }
    }

    static int list(AdminCommand c, boolean header) throws CairnException {
        List<NodeInfo> nodes = c.pool.list();
        long now = System.currentTimeMillis();
        if (c.json) {
            c.printJson(PoolView.json(nodes, now));
        } else if (nodes.isEmpty()) {
            c.out().println("No storage nodes in the pool; add one with 'cairn peer probe HOST:PORT'.");
        } else {
            if (header) {
                c.out().println("Storage nodes in the pool: " + nodes.size());
            }
            PoolView.table(c.out(), nodes, now);
        }
        return 0;
    }

    @Command(name = "detach", mixinStandardHelpOptions = true,
            description = {"Remove a storage node from the pool. A node that holds bricks is refused:",
                    "remove its bricks or delete their volumes first."})
    static final class Detach extends AdminCommand {
        @Parameters(index = "0", paramLabel = "HOST[:PORT]", description = "The node, by address, or by host if it is alone there.")
        String node;

        @Parameters(index = "1", arity = "0..1", paramLabel = "force", description = "Passed to the meta service as force.")
        String force;

        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        int run() throws Exception {
            if (force != null && !force.equals("force")) {
                throw usage("unexpected '" + force + "' after the node: only 'force' may follow");
            }
            NodeInfo n = PoolAdmin.find(pool.list(), node);
            boolean holdsBricks = volumes.list().stream()
                    .anyMatch(v -> v.getBricksList().stream().anyMatch(b -> b.getNodeId() == n.getNodeId()));
            if (!holdsBricks) {  // else the meta service refuses, naming the volumes: nothing to confirm
                confirm(yes, "Detach storage node " + n.getAddress() + " (node " + n.getNodeId() + ") from the pool?",
                        "storage node " + n.getAddress() + " stays in the pool");
            }
            pool.detach(n.getAddress(), force != null);
            if (json) {
                printJson(Map.of("detached", PoolView.json(n, System.currentTimeMillis())));
            } else {
                out().println("Detached storage node " + n.getAddress() + " (node " + n.getNodeId() + ") from the pool.");
            }
            return 0;
        }
    }
}
