package io.cairn.cli;

import io.cairn.client.admin.VolumeSpec;
import io.cairn.proto.VolumeInfo;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cairn volume create NAME [replica N] [min-size M] [chunk-size S] HOST:/PATH... [force]}. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a volume from bricks on probed storage nodes (GlusterFS grammar, Ceph semantics).",
                "Each chunk is stored on 'replica' bricks of distinct nodes; it accepts I/O",
                "while 'min-size' of them live.",
                "Every brick directory must exist and be empty. The volume is created stopped: start it to use it.",
                "",
                "  replica N       replicas per chunk (default " + CreateArgs.DEFAULT_REPLICA + ")",
                "  min-size M      replicas a chunk needs to accept I/O (default N - N/2)",
                "  chunk-size S    e.g. 64KiB, 1MiB, 64MiB (default 64MiB)",
                "  HOST:/PATH      a brick on the storage node on HOST",
                "  HOST:PORT:/PATH the same, when HOST has several storage nodes",
                "  force           allow bricks of this volume to share a node",
                "",
                "Example: cairn volume create vol1 replica 3 h1:/data/b1 h2:/data/b1 h3:/data/b1"})
final class VolumeCreateCommand extends AdminCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The volume's name.")
    String name;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "WORD",
            description = "replica N, min-size M, chunk-size S, the bricks, force.")
    List<String> words = new ArrayList<>();

    @Override
    int run() throws Exception {
        VolumeSpec spec;
        try {
            spec = CreateArgs.parse(name, words);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        VolumeInfo v = volumes.create(spec);
        if (json) {
            printJson(VolumeView.json(v, null));
        } else {
            out().println("Created volume " + v.getName() + " (replica " + v.getSize() + ", min-size " + v.getMinSize()
                    + ", chunk-size " + DataSizes.format(v.getChunkSize()) + ", " + v.getBricksCount()
                    + " bricks); start it with 'cairn volume start " + v.getName() + "'.");
        }
        return 0;
    }
}
