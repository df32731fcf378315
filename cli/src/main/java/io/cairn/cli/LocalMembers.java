package io.cairn.cli;

import io.cairn.client.MetaClient;
import io.cairn.client.admin.PoolAdmin;
import io.cairn.common.CairnException;
import io.cairn.proto.ListNodesRequest;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What {@code local status} shows of each member of a {@link LocalCluster}: its role, asked of the meta servers. */
final class LocalMembers {
    /**
     * One member. A server's role is its meta server's and its storage node's, as
     * "leader/up", and its address theirs, meta/storage.
     */
    record Member(String name, LocalCluster.Kind kind, String role, String address) {
        /** A meta server that leads or follows, a storage node that is up, a mounted mount. */
        boolean healthy() {
            return switch (kind) {
                case META -> metaHealthy(role);
                case NODE -> role.equals("up");
                case SERVER -> role.endsWith("/up") && metaHealthy(role.substring(0, role.length() - "/up".length()));
                case MOUNT -> role.equals("mounted");
            };
        }

        private static boolean metaHealthy(String role) {
            return role.equals("leader") || role.equals("follower");
        }
    }

    private LocalMembers() {
    }

    /**
     * Every member with its role: a meta server's "leader", "follower" or "unreachable"; a storage
     * node's pool state ("up", "down", "out", or "not in pool"); both for a server; "stopped" for
     * any without a process.
     */
    static List<Member> of(LocalCluster cluster) throws CairnException {
        List<Member> out = new ArrayList<>();
        try (MetaClient c = MetaClient.connect(cluster.metaAddresses(), Duration.ofSeconds(2))) {
            Optional<List<NodeInfo>> pool = cluster.nodeNames().isEmpty() ? Optional.empty() : pool(c);
            for (String name : cluster.metaNames()) {
                boolean server = cluster.kind(name) == LocalCluster.Kind.SERVER;
                String role = !running(cluster, name) ? "stopped" : server
                        ? c.roleOf(cluster.address(name)) + "/" + nodeRole(cluster, name, pool) : c.roleOf(cluster.address(name));
                out.add(server ? new Member(name, LocalCluster.Kind.SERVER, role,
                        cluster.address(name) + "/" + cluster.storageAddress(name))
                        : new Member(name, LocalCluster.Kind.META, role, cluster.address(name)));
            }
            if (cluster.mountPath().isPresent()) {
                String role = !running(cluster, LocalCluster.MOUNT) ? "stopped" : cluster.mounted() ? "mounted" : "not mounted";
                out.add(new Member(LocalCluster.MOUNT, LocalCluster.Kind.MOUNT, role, cluster.mountPath().get().toString()));
            }
            for (String name : cluster.nodeNames()) {
                if (cluster.kind(name) == LocalCluster.Kind.NODE) {
                    String role = running(cluster, name) ? nodeRole(cluster, name, pool) : "stopped";
                    out.add(new Member(name, LocalCluster.Kind.NODE, role, cluster.address(name)));
                }
            }
        }
        return out;
    }

    private static boolean running(LocalCluster cluster, String name) {
        return cluster.process(name).isPresent();
    }

    /** The pool state of the member's storage node ("unknown" when the meta servers do not answer). */
    private static String nodeRole(LocalCluster cluster, String name, Optional<List<NodeInfo>> pool) {
        String address = cluster.storageAddress(name);
        return pool.map(nodes -> nodes.stream().filter(n -> n.getAddress().equals(address)).findFirst()
                .map(n -> PoolView.state(n.getState())).orElse("not in pool")).orElse("unknown");
    }

    /** The pool's nodes, or empty when the meta servers do not answer (node states are then unknown). */
    private static Optional<List<NodeInfo>> pool(MetaClient c) {
        try {
            return Optional.of(c.query(PoolAdmin.ROOT, MetaQuery.newBuilder()
                    .setListNodes(ListNodesRequest.getDefaultInstance()).build()).getNodes().getNodesList());
        } catch (CairnException e) {
            return Optional.empty();
        }
    }
}
