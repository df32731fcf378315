package io.cairn.bench;

import io.cairn.proto.AddNodeRequest;
import io.cairn.proto.BrickSpec;
import io.cairn.proto.CreateRequest;
import io.cairn.proto.CreateVolumeRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.MkdirRequest;
import io.cairn.proto.RenameRequest;
import io.cairn.proto.SetVolumeStateRequest;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;

/**
 * The state the metadata benchmarks start from (a pool of three nodes and one started replica-3
 * volume named "bench"), and the mutations they send. Works through either path: a client of a
 * running group, or the applier directly.
 */
final class BenchVolume {
    static final Credentials ROOT = Credentials.newBuilder().setUid(0).setGid(0).build();

    /** Applies one mutation somehow and returns its reply. */
    @FunctionalInterface
    interface Mutator {
        MetaReply mutate(MetaMutation m) throws Exception;
    }

    private BenchVolume() {
    }

    /** Adds three nodes and creates and starts the volume; returns it. */
    static VolumeInfo setUp(Mutator m) throws Exception {
        CreateVolumeRequest.Builder volume = CreateVolumeRequest.newBuilder().setName("bench").setSize(3);
        for (int i = 1; i <= 3; i++) {
            long node = ok(m.mutate(MetaMutation.newBuilder().setAddNode(AddNodeRequest.newBuilder()
                    .setUuid("bench-node-" + i).setAddress("127.0.0.1:" + (7100 + i))).build())).getNode().getNodeId();
            volume.addBricks(BrickSpec.newBuilder().setNodeId(node).setPath("/bench"));
        }
        ok(m.mutate(MetaMutation.newBuilder().setCreateVolume(volume).build()));
        return ok(m.mutate(MetaMutation.newBuilder().setSetVolumeState(SetVolumeStateRequest.newBuilder()
                .setName("bench").setState(VolumeState.VOLUME_STARTED)).build())).getVolume();
    }

    static MetaMutation create(int volumeId, long parent, String name) {
        return MetaMutation.newBuilder().setCreate(CreateRequest.newBuilder()
                .setVolumeId(volumeId).setParent(parent).setName(name).setMode(0100644).setExclusive(true)).build();
    }

    static MetaMutation mkdir(int volumeId, long parent, String name) {
        return MetaMutation.newBuilder().setMkdir(MkdirRequest.newBuilder()
                .setVolumeId(volumeId).setParent(parent).setName(name).setMode(0755)).build();
    }

    static MetaMutation rename(int volumeId, long dir, String from, String to) {
        return MetaMutation.newBuilder().setRename(RenameRequest.newBuilder()
                .setVolumeId(volumeId).setParent(dir).setName(from).setNewParent(dir).setNewName(to)).build();
    }

    /**
     * The reply if it is OK. A benchmark that silently measured an error path (a name that
     * already exists, a stopped volume) would report a fast and meaningless figure.
     */
    static MetaReply ok(MetaReply r) {
        if (r.getCode() != ErrorCode.OK) {
            throw new IllegalStateException("mutation failed: " + r.getCode() + " " + r.getMessage());
        }
        return r;
    }
}
