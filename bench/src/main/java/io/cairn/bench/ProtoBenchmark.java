package io.cairn.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.CreateRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.Replica;
import io.cairn.proto.state.LogEntry;
import io.cairn.proto.state.LoggedMutation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Protobuf encode ({@code toByteArray}) and decode ({@code parseFrom}) of two messages on hot
 * paths: a {@link ChunkInfo} with three replicas (the closest message to a chunk-write header
 * until the storage node has its own), and a {@link LogEntry} of 64 creates (a full log entry
 * under load, written by the leader and parsed by every peer's apply thread). Scores are
 * messages per second.
 *
 * <p>The ceiling is the same fields hand-packed into a heap {@link ByteBuffer} at fixed widths
 * ({@code packed*}, {@code unpacked*}): no tags, no varints, no field presence, strings kept as
 * UTF-8 bytes with a length prefix (protobuf converts them to and from {@code String}), one
 * allocation of the exact size. It is not a format anyone should ship (it cannot evolve); it
 * shows what protobuf's generality costs. Decoding allocates one object per record and one array
 * per string, fewer objects than protobuf's nested messages. Protobuf remembers a built
 * message's size, so its encode here skips the size pass a freshly built message would need.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProtoBenchmark {
    static final int MUTATIONS = 64;

    /** The fields of a ChunkInfo, for the hand-packed baseline. */
    record Header(long index, long chunkId, long epoch, long length, Rep[] placement) {
    }

    /** A replica; the address stays UTF-8 bytes, as a hand-rolled format would keep it. */
    record Rep(long brickId, long nodeId, byte[] address) {
    }

    /** The fields of a LoggedMutation holding a create; the name stays UTF-8 bytes. */
    record Create(byte[] clientId, long callId, int uid, int gid, int volumeId, long parent, byte[] name, int mode,
                  boolean exclusive) {
    }

    ChunkInfo chunk;
    byte[] chunkBytes;
    Header header;
    byte[] headerBytes;

    LogEntry entry;
    byte[] entryBytes;
    long entryTimeNs;
    Create[] creates;
    byte[] createsBytes;

    @Setup(Level.Trial)
    public void build() {
        ChunkInfo.Builder c = ChunkInfo.newBuilder().setIndex(7).setChunkId(123_456_789L).setEpoch(3).setLength(1 << 20);
        Rep[] reps = new Rep[3];
        for (int i = 0; i < 3; i++) {
            String address = "10.0.0." + (i + 1) + ":7100";
            reps[i] = new Rep(1000 + i, 10 + i, address.getBytes(StandardCharsets.UTF_8));
            c.addPlacement(Replica.newBuilder().setBrickId(reps[i].brickId()).setNodeId(reps[i].nodeId())
                    .setAddress(address));
        }
        chunk = c.build();
        chunkBytes = chunk.toByteArray();
        header = new Header(7, 123_456_789L, 3, 1 << 20, reps);
        headerBytes = pack(header);

        byte[] clientId = new byte[16];
        for (int i = 0; i < clientId.length; i++) {
            clientId[i] = (byte) (i + 1);
        }
        entryTimeNs = 1_763_000_000_123_456_789L;
        LogEntry.Builder e = LogEntry.newBuilder().setTimeNs(entryTimeNs);
        creates = new Create[MUTATIONS];
        for (int i = 0; i < MUTATIONS; i++) {
            String name = "file-" + (100_000 + i);
            creates[i] = new Create(clientId, 1_000_000 + i, 1000, 1000, 1, 4242, name.getBytes(StandardCharsets.UTF_8),
                    0100644, true);
            e.addMutations(LoggedMutation.newBuilder().setClientId(ByteString.copyFrom(clientId))
                    .setCallId(creates[i].callId()).setCred(BenchVolume.ROOT.toBuilder().setUid(1000).setGid(1000))
                    .setMutation(MetaMutation.newBuilder().setCreate(CreateRequest.newBuilder().setVolumeId(1)
                            .setParent(4242).setName(name).setMode(0100644).setExclusive(true))));
        }
        entry = e.build();
        entryBytes = entry.toByteArray();
        createsBytes = pack(entryTimeNs, creates);
    }

    @Benchmark
    public byte[] encodeChunkInfo() {
        return chunk.toByteArray();
    }

    @Benchmark
    public ChunkInfo decodeChunkInfo() throws InvalidProtocolBufferException {
        return ChunkInfo.parseFrom(chunkBytes);
    }

    @Benchmark
    public byte[] encodeLogEntry() {
        return entry.toByteArray();
    }

    @Benchmark
    public LogEntry decodeLogEntry() throws InvalidProtocolBufferException {
        return LogEntry.parseFrom(entryBytes);
    }

    /** Ceiling for {@link #encodeChunkInfo}. */
    @Benchmark
    public byte[] packedChunkInfo() {
        return pack(header);
    }

    /** Ceiling for {@link #decodeChunkInfo}. */
    @Benchmark
    public Header unpackedChunkInfo() {
        ByteBuffer b = ByteBuffer.wrap(headerBytes);
        long index = b.getLong();
        long chunkId = b.getLong();
        long epoch = b.getLong();
        long length = b.getLong();
        Rep[] reps = new Rep[b.get()];
        for (int i = 0; i < reps.length; i++) {
            reps[i] = new Rep(b.getLong(), b.getLong(), getBytes(b));
        }
        return new Header(index, chunkId, epoch, length, reps);
    }

    /** Ceiling for {@link #encodeLogEntry}. */
    @Benchmark
    public byte[] packedLogEntry() {
        return pack(entryTimeNs, creates);
    }

    /** Ceiling for {@link #decodeLogEntry}. */
    @Benchmark
    public void unpackedLogEntry(Blackhole bh) {
        ByteBuffer b = ByteBuffer.wrap(createsBytes);
        bh.consume(b.getLong());
        int count = b.getShort();
        for (int i = 0; i < count; i++) {
            byte[] clientId = new byte[16];
            b.get(clientId);
            bh.consume(new Create(clientId, b.getLong(), b.getInt(), b.getInt(), b.getInt(), b.getLong(), getBytes(b),
                    b.getInt(), b.get() != 0));
        }
    }

    static byte[] pack(Header h) {
        int size = 4 * 8 + 1;
        for (Rep r : h.placement()) {
            size += 2 * 8 + 2 + r.address().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putLong(h.index()).putLong(h.chunkId()).putLong(h.epoch()).putLong(h.length()).put((byte) h.placement().length);
        for (Rep r : h.placement()) {
            b.putLong(r.brickId()).putLong(r.nodeId()).putShort((short) r.address().length).put(r.address());
        }
        return b.array();
    }

    static byte[] pack(long timeNs, Create[] creates) {
        int size = 8 + 2;
        for (Create c : creates) {
            size += 16 + 8 + 4 + 4 + 4 + 8 + 2 + c.name().length + 4 + 1;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putLong(timeNs).putShort((short) creates.length);
        for (Create c : creates) {
            b.put(c.clientId()).putLong(c.callId()).putInt(c.uid()).putInt(c.gid()).putInt(c.volumeId())
                    .putLong(c.parent()).putShort((short) c.name().length).put(c.name()).putInt(c.mode())
                    .put((byte) (c.exclusive() ? 1 : 0));
        }
        return b.array();
    }

    static byte[] getBytes(ByteBuffer b) {
        byte[] bytes = new byte[b.getShort()];
        b.get(bytes);
        return bytes;
    }
}
