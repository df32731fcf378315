package io.cairn.client.admin;

import io.cairn.client.MetaClient;
import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.AddNodeRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.IdentifyReply;
import io.cairn.proto.ListNodesRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.RemoveNodeRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The pool's storage nodes as an admin manages them: probe (the node says who it is, the meta
 * service records it), list, detach. Nodes are named by the HOST:PORT they were probed at, or by
 * HOST alone when exactly one node of the pool is on that host.
 */
public final class PoolAdmin {
    /** Admin calls run as root: the meta service allows pool and volume changes to uid 0 only. */
    public static final Credentials ROOT = Credentials.newBuilder().setUid(0).setGid(0).build();

    /**
     * What a probe found.
     *
     * @param node         the node as the pool now records it
     * @param alreadyThere true if the node was in the pool at this address before the probe
     * @param oldAddress   the address the node had in the pool when it moved, else ""
     */
    public record ProbeResult(NodeInfo node, boolean alreadyThere, String oldAddress) {
    }

    private final MetaClient meta;
    private final StorageNodeCalls nodes;

    public PoolAdmin(MetaClient meta, StorageNodeCalls nodes) {
        this.meta = meta;
        this.nodes = nodes;
    }

    /**
     * Asks the storage node at {@code address} who it is and adds it to the pool under that
     * address. Probing a node that is in the pool already changes nothing.
     */
    public ProbeResult probe(String address) throws CairnException {
        Addresses.check(address);
        IdentifyReply id = nodes.identify(address, Duration.ZERO);
        Optional<NodeInfo> known = list().stream().filter(n -> n.getUuid().equals(id.getNodeUuid())).findFirst();
        if (known.isPresent() && known.get().getAddress().equals(address)) {
            return new ProbeResult(known.get(), true, "");
        }
        NodeInfo added = meta.mutate(ROOT, MetaMutation.newBuilder().setAddNode(AddNodeRequest.newBuilder()
                .setUuid(id.getNodeUuid()).setAddress(address)).build()).getNode();
        return new ProbeResult(added, false, known.map(NodeInfo::getAddress).orElse(""));
    }

    public List<NodeInfo> list() throws CairnException {
        return meta.query(ROOT, MetaQuery.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance()).build())
                .getNodes().getNodesList();
    }

    /** Removes the node named by HOST:PORT or HOST from the pool; refused while it holds bricks. */
    public NodeInfo detach(String hostOrAddress, boolean force) throws CairnException {
        NodeInfo node = find(list(), hostOrAddress);
        meta.mutate(ROOT, MetaMutation.newBuilder().setRemoveNode(RemoveNodeRequest.newBuilder()
                .setNodeId(node.getNodeId()).setForce(force)).build());
        return node;
    }

    /** The node of {@code pool} named by HOST:PORT, or by HOST if exactly one node is on it. */
    public static NodeInfo find(List<NodeInfo> pool, String hostOrAddress) throws CairnException {
        return find(pool, hostOrAddress, "");
    }

    /**
     * As {@link #find(List, String)}, for a name written with {@code suffix} after it (a brick's
     * ":/PATH"), which the advice on an ambiguous host repeats.
     */
    static NodeInfo find(List<NodeInfo> pool, String hostOrAddress, String suffix) throws CairnException {
        boolean hostOnly = !hostOrAddress.contains(":") || hostOrAddress.endsWith("]");
        List<NodeInfo> matches = pool.stream().filter(n -> hostOnly
                ? Addresses.host(n.getAddress()).equals(hostOrAddress)
                : n.getAddress().equals(hostOrAddress)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            String probe = hostOnly ? hostOrAddress + ":PORT" : hostOrAddress;
            throw new CairnException(ErrorCode.NOT_FOUND, "no storage node " + (hostOnly ? "on host " : "at ")
                    + hostOrAddress + " in the pool; probe it first with 'cairn peer probe " + probe
                    + "' ('cairn peer status' lists the pool)");
        }
        throw new CairnException(ErrorCode.INVALID_ARGUMENT, "host " + hostOrAddress + " has "
                + matches.size() + " storage nodes (" + String.join(", ", matches.stream().map(NodeInfo::getAddress)
                .toList()) + "); name one as HOST:PORT" + suffix + ", e.g. " + matches.get(0).getAddress() + suffix);
    }
}
