package io.cairn.minicluster;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import io.cairn.client.MetaClient;
import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.common.CairnException;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.DirEntry;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.GetChunksRequest;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.Meta;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.Storage;
import io.cairn.proto.VolumeInfo;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Garbage and well-formed-but-wrong calls to every method of every server of a cluster, for a
 * while (cairn.fuzz.seconds, default 20): afterwards every server still serves, the namespace is
 * exactly as it was, and the servers said little about it (a bounded number of log lines, no
 * stack trace). Made-up write commits on real files are refused and leave them unchanged.
 */
class MalformedCallsIT {
    static final long CHUNK = 1 << 20;
    static final int SECONDS = Integer.getInteger("cairn.fuzz.seconds", 20);
    static MiniCluster cluster;
    static CairnFs fs;
    static MetaClient meta;
    static VolumeInfo vol;
    static final Map<String, byte[]> files = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).storageNodes(3).start();
        vol = cluster.createVolume("fuzz", 3, CHUNK);
        cluster.waitForLiveNodes(Duration.ofSeconds(30));
        meta = cluster.newMetaClient();
        // Made-up commits of chunk lengths need files in chunks: none of them keeps its bytes inline.
        meta.mutate(Ops.ROOT, MetaMutation.newBuilder().setSetVolumeOption(io.cairn.proto.SetVolumeOptionRequest.newBuilder()
                .setName("fuzz").setKey("inline-size").setValue("0")).build());
        fs = CairnFs.connect(cluster.metaAddresses(), "fuzz", FsOptions.DEFAULTS);
        Random r = new Random(7);
        long dir = fs.mkdir(Ops.ROOT, fs.root(), "dir", 0755).getInode();
        for (int i = 0; i < 6; i++) {
            byte[] data = new byte[i == 5 ? (int) CHUNK + 12345 : 100 + 4000 * i];
            r.nextBytes(data);
            String name = "f" + i;
            long h = fs.create(Ops.ROOT, i % 2 == 0 ? fs.root() : dir, name, 0100644, 2);
            fs.write(h, 0, data, 0, data.length);
            fs.release(h);
            files.put((i % 2 == 0 ? "/" : "/dir/") + name, data);
        }
    }

    @AfterAll
    static void stop() {
        if (fs != null) {
            fs.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void madeUpCommitLengthsAreRefusedAndLeaveTheFileUnchanged() throws Exception {
        String before = digest();
        for (String path : files.keySet()) {
            InodeAttr attr = resolve(path);
            List<ChunkInfo> chunks = meta.query(Ops.ROOT, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                    .setVolumeId(vol.getVolumeId()).setInode(attr.getInode())).build()).getChunks().getChunksList();
            ChunkInfo last = chunks.get(chunks.size() - 1);
            // A longer chunk than its replicas hold, with the size to match.
            long length = Math.min(CHUNK, last.getLength() + 4096);
            assertRefused(commit(attr.getInode(), last.getIndex() * CHUNK + length, last.getIndex(), length), "replicas");
            // A size far past the file's chunks, with no chunk or a chunk as it is.
            assertRefused(commit(attr.getInode(), 700L << 30, -1, 0), "not backed");
            assertRefused(commit(attr.getInode(), 700L << 30, last.getIndex(), last.getLength()), "not backed");
        }
        assertThat(digest()).isEqualTo(before);
    }

    @Test
    void outOfRangeValuesOnRealFilesAndChunksAreRefusedAndChangeNothing() throws Exception {
        String before = digest();
        InodeAttr file = resolve("/f4");
        ChunkInfo chunk = meta.query(Ops.ROOT, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setInode(file.getInode())).build()).getChunks().getChunks(0);
        // A truncate to 2^64-1 once read as -1: every chunk of the file was freed.
        assertCode(() -> meta.mutate(Ops.ROOT, MetaMutation.newBuilder().setSetAttr(io.cairn.proto.SetAttrRequest
                .newBuilder().setVolumeId(vol.getVolumeId()).setInode(file.getInode()).setSetSize(true).setSize(-1))
                .build()), io.cairn.common.ErrorCode.FILE_TOO_BIG);
        assertCode(() -> meta.query(Ops.ROOT, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setInode(file.getInode()).setFirstIndex(-1)).build()),
                io.cairn.common.ErrorCode.INVALID_ARGUMENT);
        assertThat(meta.query(Ops.ROOT, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setInode(file.getInode()).setCount(-1)).build()).getChunks()
                .getChunksList()).containsExactly(chunk);
        assertThat(meta.query(Ops.ROOT, MetaQuery.newBuilder().setReadDir(io.cairn.proto.ReadDirRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setInode(vol.getRootInode()).setLimit(-1)).build()).getReadDir()
                .getEntriesCount()).isGreaterThanOrEqualTo(4);
        io.cairn.proto.ChunkTarget target = io.cairn.proto.ChunkTarget.newBuilder().setChunkId(chunk.getChunkId())
                .setEpoch(chunk.getEpoch()).setChunkSize(CHUNK).addAllPlacement(chunk.getPlacementList())
                .setVolumeId(vol.getVolumeId()).setInode(file.getInode()).build();
        try (io.cairn.client.data.StorageClient storage = new io.cairn.client.data.StorageClient(Duration.ofSeconds(10))) {
            var primary = storage.blocking(chunk.getPlacement(0).getAddress());
            long brick = chunk.getPlacement(0).getBrickId();
            for (io.cairn.proto.ChunkTarget t : List.of(target.toBuilder().setChunkSize(1L << 62).build(),
                    target.toBuilder().setChunkSize(-1).build(), target.toBuilder().clearPlacement().build())) {
                assertThat(primary.read(io.cairn.proto.ReadRequest.newBuilder().setTarget(t).setBrickId(brick)
                        .setLength(10).build()).getCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            }
            for (long offset : new long[] {-1, Long.MAX_VALUE - 5, CHUNK + 1}) {
                assertThat(primary.read(io.cairn.proto.ReadRequest.newBuilder().setTarget(target).setBrickId(brick)
                        .setOffset(offset).setLength(10).build()).getCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                io.cairn.proto.StorageReply w = primary.write(io.cairn.proto.WriteRequest.newBuilder().setTarget(target)
                        .setBrickId(brick).setOffset(offset).setExpectedLength(chunk.getLength())
                        .setData(ByteString.copyFrom(new byte[10])).addCrcs(0).build());
                assertThat(w.getCode()).as(w.getMessage()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                io.cairn.proto.StorageReply tr = primary.truncate(io.cairn.proto.TruncateRequest.newBuilder()
                        .setTarget(target).setBrickId(brick).setLength(offset).build());
                assertThat(tr.getCode()).as(tr.getMessage()).isIn(ErrorCode.INVALID_ARGUMENT, ErrorCode.OK);
            }
            assertThat(primary.read(io.cairn.proto.ReadRequest.newBuilder().setTarget(target).setBrickId(brick)
                    .setLength(-1).build()).getCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(digest()).isEqualTo(before);
    }

    interface MetaCall {
        Object run() throws CairnException;
    }

    private static void assertCode(MetaCall call, io.cairn.common.ErrorCode code) {
        try {
            call.run();
            throw new AssertionError("an out-of-range call was taken");
        } catch (CairnException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        }
    }

    private static CommitWriteRequest commit(long inode, long size, long index, long length) {
        CommitWriteRequest.Builder c = CommitWriteRequest.newBuilder().setVolumeId(vol.getVolumeId()).setInode(inode)
                .setSize(size).setMtimeNs(1);
        if (index >= 0) {
            c.addChunks(ChunkLength.newBuilder().setIndex(index).setLength(length));
        }
        return c.build();
    }

    private static void assertRefused(CommitWriteRequest c, String says) {
        try {
            meta.mutate(Ops.ROOT, MetaMutation.newBuilder().setCommitWrite(c).build());
            throw new AssertionError("a made-up commit was taken: " + c);
        } catch (CairnException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(io.cairn.common.ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(says);
        }
    }

    @Test
    void garbageAndWrongCallsToEveryMethodChangeNothingAndCostFewLogLines() throws Exception {
        String before = digest();
        List<String> metaAddrs = List.of(cluster.metaAddresses().split(","));
        List<String> nodeAddrs = new ArrayList<>();
        for (int i = 0; i < cluster.nodeCount(); i++) {
            nodeAddrs.add(cluster.node(i).address());
        }
        LogCount logs = LogCount.start();
        AtomicLong calls = new AtomicLong();
        Map<Status.Code, AtomicInteger> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int seed = w;
            threads.add(Thread.ofPlatform().start(() -> {
                Random r = new Random(seed);
                Map<String, ManagedChannel> channels = new LinkedHashMap<>();
                try {
                    while (System.nanoTime() < end) {
                        boolean toMeta = r.nextBoolean();
                        List<MethodDescriptor> methods = (toMeta ? Meta.getDescriptor().findServiceByName("MetaService")
                                : Storage.getDescriptor().findServiceByName("StorageService")).getMethods();
                        MethodDescriptor m = methods.get(r.nextInt(methods.size()));
                        List<String> addrs = toMeta ? metaAddrs : nodeAddrs;
                        String addr = addrs.get(r.nextInt(addrs.size()));
                        byte[] body = r.nextInt(3) == 0 ? garbage(r) : RandomMessages.of(m.getInputType(), r, 0).toByteArray();
                        Status.Code code = call(channels.computeIfAbsent(addr,
                                a -> NettyChannelBuilder.forTarget(a).usePlaintext().build()), m, body);
                        statuses.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
                        calls.incrementAndGet();
                    }
                } finally {
                    channels.values().forEach(ManagedChannel::shutdownNow);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        logs.stop();
        System.out.printf("%d malformed calls in %d s: %s; %d log lines at WARN or above, %d with a stack trace%n",
                calls.get(), SECONDS, statuses, logs.lines.get(), logs.traces.get());
        assertThat(calls.get()).isGreaterThan(100);
        assertThat(statuses).doesNotContainKeys(Status.Code.UNKNOWN, Status.Code.INTERNAL);
        // Every server still serves: the files made before read back, a new one can be made.
        try (CairnFs fresh = CairnFs.connect(cluster.metaAddresses(), "fuzz", FsOptions.DEFAULTS)) {
            long h = fresh.create(Ops.ROOT, fresh.root(), "after", 0100644, 2);
            fresh.write(h, 0, new byte[5000], 0, 5000);
            fresh.release(h);
            assertThat(fresh.getattr(Ops.ROOT, fresh.lookup(Ops.ROOT, fresh.root(), "after").getInode()).getSize())
                    .isEqualTo(5000);
            fresh.unlink(Ops.ROOT, fresh.root(), "after");
        }
        for (int i = 0; i < cluster.metaCount(); i++) {
            try (MetaClient one = MetaClient.connect(metaAddrs.get(i), Duration.ofSeconds(10))) {
                one.query(Ops.ROOT, MetaQuery.newBuilder().setGetAttr(io.cairn.proto.GetAttrRequest.newBuilder()
                        .setVolumeId(vol.getVolumeId()).setInode(vol.getRootInode())).build());
            } catch (CairnException e) {
                assertThat(e.code()).as(e.getMessage()).isEqualTo(io.cairn.common.ErrorCode.NOT_LEADER);
            }
        }
        String after = digestWithoutName("after");
        assertThat(after).isEqualTo(before);
        cluster.waitForSameState(Duration.ofSeconds(30));
        // At most about one line a second per server and kind of failure, never a stack trace.
        int servers = metaAddrs.size() + nodeAddrs.size();
        assertThat(logs.lines.get()).as(logs.sample.toString()).isLessThan(servers * 2 * (SECONDS + 2) + 50);
        assertThat(logs.traces.get()).as(logs.sample.toString()).isZero();
    }

    private static byte[] garbage(Random r) {
        byte[] b = new byte[r.nextInt(200)];
        r.nextBytes(b);
        return b;
    }

    private static final Marshaller<byte[]> BYTES = new Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    /** One unary call with raw bytes; returns its status. */
    private static Status.Code call(ManagedChannel ch, MethodDescriptor m, byte[] body) {
        io.grpc.MethodDescriptor<byte[], byte[]> md = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodType.UNARY).setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(
                        m.getService().getFullName(), m.getName()))
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        ClientCall<byte[], byte[]> call = ch.newCall(md, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
        CountDownLatch done = new CountDownLatch(1);
        Status[] status = new Status[1];
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status s, Metadata trailers) {
                status[0] = s;
                done.countDown();
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(body);
        call.halfClose();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.Code.CANCELLED;
        }
        return status[0].getCode();
    }

    private static InodeAttr resolve(String path) throws CairnException {
        long at = fs.root();
        InodeAttr attr = null;
        for (String part : path.substring(1).split("/")) {
            attr = fs.lookupFresh(Ops.ROOT, at, part);
            at = attr.getInode();
        }
        return attr;
    }

    static String digest() throws Exception {
        return digestWithoutName(null);
    }

    /** The namespace as a reader sees it afresh: every entry's attributes and every file's bytes. */
    static String digestWithoutName(String skip) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (CairnFs fresh = CairnFs.connect(cluster.metaAddresses(), "fuzz", FsOptions.DEFAULTS)) {
            walk(fresh, fresh.root(), "/", skip, sb);
        }
        return sb.toString();
    }

    private static void walk(CairnFs f, long dir, String path, String skip, StringBuilder sb) throws Exception {
        for (DirEntry e : f.readdir(Ops.ROOT, dir)) {
            if (e.getName().equals(".") || e.getName().equals("..") || e.getName().equals(skip)) {
                continue;
            }
            InodeAttr a = f.getattr(Ops.ROOT, e.getInode());
            sb.append(path).append(e.getName()).append(' ').append(Integer.toOctalString(a.getMode())).append(' ')
                    .append(a.getUid()).append(':').append(a.getGid()).append(" size ").append(a.getSize())
                    .append(" nlink ").append(a.getNlink()).append(" mtime ").append(a.getMtimeNs())
                    .append(" ctime ").append(a.getCtimeNs());
            if ((a.getMode() & 0170000) == 0100000) {
                long h = f.open(Ops.ROOT, e.getInode(), 0);
                byte[] buf = new byte[1 << 20];
                CRC32C crc = new CRC32C();
                long n = 0;
                for (int got; (got = f.read(h, n, buf, buf.length)) > 0; n += got) {
                    crc.update(buf, 0, got);
                }
                f.release(h);
                sb.append(" read ").append(n).append(" crc ").append(Long.toHexString(crc.getValue()));
            }
            sb.append('\n');
            if ((a.getMode() & 0170000) == 0040000) {
                walk(f, e.getInode(), path + e.getName() + "/", skip, sb);
            }
        }
    }

    /** Counts log lines at WARN and above (logback and java.util.logging, where gRPC logs) and stack traces. */
    static final class LogCount {
        final AtomicInteger lines = new AtomicInteger();
        final AtomicInteger traces = new AtomicInteger();
        final List<String> sample = java.util.Collections.synchronizedList(new ArrayList<>());
        private AppenderBase<ILoggingEvent> appender;
        private java.util.logging.Handler jul;

        static LogCount start() {
            LogCount c = new LogCount();
            c.appender = new AppenderBase<>() {
                @Override
                protected void append(ILoggingEvent e) {
                    if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                        c.count(e.getFormattedMessage(), e.getThrowableProxy() != null);
                    }
                }
            };
            c.appender.start();
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(c.appender);
            c.jul = new java.util.logging.Handler() {
                @Override
                public void publish(java.util.logging.LogRecord r) {
                    if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                        c.count(r.getMessage(), r.getThrown() != null);
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            java.util.logging.Logger.getLogger("").addHandler(c.jul);
            return c;
        }

        private void count(String line, boolean trace) {
            lines.incrementAndGet();
            if (trace) {
                traces.incrementAndGet();
            }
            if (sample.size() < 20) {
                sample.add((trace ? "[trace] " : "") + line);
            }
        }

        void stop() {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
            java.util.logging.Logger.getLogger("").removeHandler(jul);
        }
    }
}
