package io.cairn.minicluster;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.proto.AddNodeRequest;
import io.cairn.proto.BrickSpec;
import io.cairn.proto.CreateRequest;
import io.cairn.proto.CreateVolumeRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.LookupRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.MkdirRequest;
import io.cairn.proto.ReadDirRequest;
import io.cairn.proto.RenameRequest;
import io.cairn.proto.SetVolumeStateRequest;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;
import java.util.ArrayList;
import java.util.List;

/** Short forms of metadata calls for tests, as root. */
final class Ops {
    static final Credentials ROOT = Credentials.newBuilder().setUid(0).setGid(0).build();

    private Ops() {
    }

    /** Adds three nodes to the pool and creates and starts a replica-3 volume on them. */
    static VolumeInfo volume(MetaClient c, String name) throws CairnException {
        List<BrickSpec> bricks = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            long node = c.mutate(ROOT, MetaMutation.newBuilder().setAddNode(AddNodeRequest.newBuilder()
                    .setUuid("node-" + i).setAddress("127.0.0.1:" + (7100 + i))).build()).getNode().getNodeId();
            bricks.add(BrickSpec.newBuilder().setNodeId(node).setPath("/bricks/" + name).build());
        }
        c.mutate(ROOT, MetaMutation.newBuilder().setCreateVolume(CreateVolumeRequest.newBuilder()
                .setName(name).setSize(3).addAllBricks(bricks)).build());
        return c.mutate(ROOT, MetaMutation.newBuilder().setSetVolumeState(SetVolumeStateRequest.newBuilder()
                .setName(name).setState(VolumeState.VOLUME_STARTED)).build()).getVolume();
    }

    static InodeAttr mkdir(MetaClient c, int vol, long parent, String name) throws CairnException {
        return c.mutate(ROOT, MetaMutation.newBuilder().setMkdir(MkdirRequest.newBuilder()
                .setVolumeId(vol).setParent(parent).setName(name).setMode(0755)).build()).getAttr();
    }

    static InodeAttr create(MetaClient c, int vol, long parent, String name) throws CairnException {
        return c.mutate(ROOT, MetaMutation.newBuilder().setCreate(CreateRequest.newBuilder()
                .setVolumeId(vol).setParent(parent).setName(name).setMode(0100644).setExclusive(true)).build()).getAttr();
    }

    static void rename(MetaClient c, int vol, long parent, String from, String to) throws CairnException {
        c.mutate(ROOT, MetaMutation.newBuilder().setRename(RenameRequest.newBuilder()
                .setVolumeId(vol).setParent(parent).setName(from).setNewParent(parent).setNewName(to)).build());
    }

    static InodeAttr lookup(MetaClient c, int vol, long parent, String name) throws CairnException {
        return c.query(ROOT, MetaQuery.newBuilder().setLookup(LookupRequest.newBuilder()
                .setVolumeId(vol).setParent(parent).setName(name)).build()).getAttr();
    }

    /** All names in a directory, following pages. */
    static List<String> list(MetaClient c, int vol, long dir) throws CairnException {
        List<String> names = new ArrayList<>();
        String after = "";
        while (true) {
            var page = c.query(ROOT, MetaQuery.newBuilder().setReadDir(ReadDirRequest.newBuilder()
                    .setVolumeId(vol).setInode(dir).setAfter(after).setLimit(500)).build()).getReadDir();
            page.getEntriesList().forEach(e -> names.add(e.getName()));
            if (!page.getMore()) {
                return names;
            }
            after = names.get(names.size() - 1);
        }
    }
}
