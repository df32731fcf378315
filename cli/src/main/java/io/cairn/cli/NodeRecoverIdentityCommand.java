package io.cairn.cli;

import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.BrickInfo;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.state.BrickIdentity;
import io.cairn.storage.node.IdentityRecovery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn node recover-identity}: writes a stopped storage node's identity files (its uuid,
 * its brick list, each brick's identity) again from what the pool records for the node at
 * {@code --listen}. For a data dir whose files a power cut or a restore left empty or missing.
 */
@Command(name = "recover-identity", mixinStandardHelpOptions = true,
        description = {"Restore a stopped storage node's identity files (node.id, bricks, each brick's .cairn-brick)",
                "from what the pool knows of the node at --listen. Replicas are not touched."})
final class NodeRecoverIdentityCommand extends AdminCommand {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The node's data dir, as given to 'cairn node'.")
    Path data;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT",
            description = "The address the node serves on, as it was probed into the pool.")
    String listen;

    @Override
    int run() throws Exception {
        try {
            Addresses.check(listen);
        } catch (CairnException e) {
            throw usage("--listen: " + e.getMessage());
        }
        NodeInfo node = pool.list().stream().filter(n -> n.getAddress().equals(listen)).findFirst()
                .orElseThrow(() -> new CairnException(ErrorCode.NOT_FOUND, "the pool has no storage node at " + listen
                        + "; 'cairn peer status' lists the nodes and their addresses"));
        List<IdentityRecovery.KnownBrick> bricks = new ArrayList<>();
        for (VolumeInfo v : volumes.list()) {
            for (BrickInfo b : v.getBricksList()) {
                if (b.getNodeId() == node.getNodeId()) {
                    bricks.add(new IdentityRecovery.KnownBrick(Path.of(b.getPath()), BrickIdentity.newBuilder()
                            .setVolumeUuid(v.getUuid()).setBrickId(b.getBrickId()).setNodeUuid(node.getUuid()).build()));
                }
            }
        }
        IdentityRecovery.Outcome o = IdentityRecovery.recover(data.toAbsolutePath(), node.getUuid(), bricks);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", node.getUuid());
            m.put("done", o.done());
            m.put("problems", o.problems());
            printJson(m);
        } else {
            o.done().forEach(out()::println);
            o.problems().forEach(p -> out().println("not restored: " + p));
            out().println("node " + node.getUuid() + " at " + listen + ": start it with 'cairn node --data " + data
                    + " --listen " + listen + " --meta ...'");
        }
        return o.problems().isEmpty() ? 0 : 1;
    }
}
