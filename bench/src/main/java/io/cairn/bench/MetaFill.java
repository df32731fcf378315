package io.cairn.bench;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.MetaStore;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.VolumeInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills a volume's metadata with many files and reports, as it grows, the create rate (at
 * {@code --window} files, cold; at twice that, the empty-volume rate; then every {@code --every}
 * files; each over the last {@code --window} creates, and the average since the previous point) and the
 * memory of the process that holds the metadata. Issue 12's target: a volume of 10 million
 * files creates within 20% of the empty-volume rate, with the meta server's memory bounded.
 *
 * <pre>
 * MetaFill apply DIR FILES [--per-dir N] [--batch N] [--window N] [--every N] [--minutes M]
 * MetaFill client META_ADDRESSES VOLUME FILES [--threads N] [--per-dir N] [--window N] [--every N]
 *                 [--minutes M] [--pids PID,...]
 * </pre>
 *
 * {@code apply}: a {@link MetaStore} in DIR fed through the applier without Raft (see
 * {@link DirectApplier}), {@code --batch} creates per log entry (64: as the proposer groups
 * them under load): how RocksDB and the schema scale. Each point prints this JVM's RSS and heap
 * and the store's RocksDB memory: memtables, table readers (index and filter blocks held outside
 * the block cache), block cache use and capacity, and the live SST bytes.
 *
 * <p>{@code client}: through the client library against a running group (e.g. {@code cairn local
 * up --no-mount}), {@code --threads} creators (empty files: create and release) each filling its
 * own directories; each point prints the RSS of the meta server processes given by {@code --pids}.
 *
 * <p>Files go {@code --per-dir} to a directory ({@code d00000/f0000000}...). {@code --minutes}
 * stops the fill at the first report point after that time, so a long run ends on a full point.
 */
public final class MetaFill {
    private static final int O_RDWR = 2;

    private MetaFill() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !(args[0].equals("apply") || args[0].equals("client"))) {
            System.err.println("usage: MetaFill apply DIR FILES [--per-dir N] [--batch N] [--window N] [--every N] [--minutes M]\n"
                    + "       MetaFill client META_ADDRESSES VOLUME FILES [--threads N] [--per-dir N] [--window N] [--every N]"
                    + " [--minutes M] [--pids PID,...]");
            System.exit(2);
        }
        if (args[0].equals("apply")) {
            Options o = Options.parse(Arrays.copyOfRange(args, 3, args.length), 1_000_000);
            apply(Path.of(args[1]), Long.parseLong(args[2]), o);
        } else {
            Options o = Options.parse(Arrays.copyOfRange(args, 4, args.length), 100_000);
            client(args[1], args[2], Long.parseLong(args[3]), o);
        }
    }

    /** The flags both modes take, with their defaults. */
    record Options(int perDir, int batch, long window, long every, double minutes, int threads, long[] pids) {
        /** {@code --flag VALUE} pairs; a point every {@code every} files unless {@code --every} says otherwise. */
        static Options parse(String[] flags, long every) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < flags.length; i += 2) {
                if (!flags[i].startsWith("--") || i + 1 == flags.length) {
                    throw new IllegalArgumentException("expected --flag VALUE pairs, got '" + flags[i] + "'");
                }
                m.put(flags[i], flags[i + 1]);
            }
            long e = Long.parseLong(m.getOrDefault("--every", Long.toString(every)));
            return new Options(Integer.parseInt(m.getOrDefault("--per-dir", "10000")),
                    Integer.parseInt(m.getOrDefault("--batch", "64")),
                    Long.parseLong(m.getOrDefault("--window", Long.toString(Math.min(100_000, e / 5)))), e,
                    Double.parseDouble(m.getOrDefault("--minutes", "1e9")),
                    Integer.parseInt(m.getOrDefault("--threads", "32")),
                    m.containsKey("--pids") ? Arrays.stream(m.get("--pids").split(",")).mapToLong(Long::parseLong).toArray()
                            : new long[0]);
        }
    }

    static void apply(Path dir, long files, Options o) throws Exception {
        try (MetaStore store = MetaStore.open(dir)) {
            DirectApplier a = new DirectApplier(store);
            VolumeInfo vol = BenchVolume.setUp(m -> a.apply(List.of(m)).getReplies(0));
            long root = vol.getRootInode();
            System.out.printf("apply: %d files, %d per directory, %d per log entry, rate over %d creates; RocksDB block cache"
                            + " capacity %s MiB, shared by every table; -Xmx %s MiB%n", files, o.perDir(), o.batch(), o.window(),
                    FillReport.mib(store.longProperty(Table.INODES, "rocksdb.block-cache-capacity")),
                    FillReport.mib(Runtime.getRuntime().maxMemory()));
            FillReport r = new FillReport(o.window(), o.every());
            long parent = 0;
            List<MetaMutation> batch = new ArrayList<>(o.batch());
            for (long i = 0; i < files; ) {
                if (i % o.perDir() == 0) {
                    parent = a.apply(List.of(BenchVolume.mkdir(vol.getVolumeId(), root, dirName(i, o))))
                            .getReplies(0).getAttr().getInode();
                }
                // A batch ends on every window boundary, so that each point's window starts exactly.
                long n = Math.min(o.batch(), Math.min(o.perDir() - i % o.perDir(), o.window() - i % o.window()));
                n = Math.min(n, files - i);
                for (long k = 0; k < n; k++) {
                    batch.add(BenchVolume.create(vol.getVolumeId(), parent, fileName(i + k)));
                }
                a.apply(batch);
                batch.clear();
                i += n;
                if (r.reached(i)) {
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf(Locale.ROOT, "files=%d rate=%.0f avg_rate=%.0f elapsed_s=%.0f rss_mib=%.0f heap_used_mib=%s"
                                    + " memtables_mib=%s table_readers_mib=%s block_cache_mib=%s sst_mib=%s disk_mib=%s%n",
                            i, r.rate(), r.averageRate(i), r.elapsedSeconds(), FillReport.rssMib(ProcessHandle.current().pid()),
                            FillReport.mib(rt.totalMemory() - rt.freeMemory()),
                            FillReport.mib(store.longPropertyOfAllTables("rocksdb.size-all-mem-tables")),
                            FillReport.mib(store.longPropertyOfAllTables("rocksdb.estimate-table-readers-mem")),
                            FillReport.mib(store.longProperty(Table.INODES, "rocksdb.block-cache-usage")),
                            FillReport.mib(store.longPropertyOfAllTables("rocksdb.live-sst-files-size")),
                            FillReport.mib(FillReport.diskBytes(dir)));
                    if (r.elapsedSeconds() > o.minutes() * 60) {
                        System.out.println("stopped: --minutes " + o.minutes() + " passed");
                        break;
                    }
                    r.next(i);
                }
            }
        }
    }

    static void client(String meta, String volume, long files, Options o) throws Exception {
        String run = "fill-" + Long.toString(System.currentTimeMillis(), 36);
        long dirs = (files + o.perDir() - 1) / o.perDir();
        AtomicLong nextDir = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        try (CairnFs fs = CairnFs.connect(meta, volume, FsOptions.DEFAULTS)) {
            long top = fs.mkdir(BenchVolume.ROOT, fs.root(), run, 0755).getInode();
            System.out.printf("client: %d files under /%s, %d per directory, %d threads, rate over %d creates;"
                    + " meta pids %s%n", files, run, o.perDir(), o.threads(), o.window(), Arrays.toString(o.pids()));
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < o.threads(); t++) {
                threads.add(Thread.ofPlatform().name("fill-" + t).start(() -> {
                    try {
                        for (long d = nextDir.getAndIncrement(); d < dirs && !stop.get(); d = nextDir.getAndIncrement()) {
                            long first = d * o.perDir();
                            long dir = fs.mkdir(BenchVolume.ROOT, top, dirName(first, o), 0755).getInode();
                            for (long f = first; f < Math.min(files, first + o.perDir()) && !stop.get(); f++) {
                                fs.release(fs.create(BenchVolume.ROOT, dir, fileName(f), 0100644, O_RDWR));
                                done.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                        stop.set(true);
                    }
                }));
            }
            FillReport r = new FillReport(o.window(), o.every());
            while (threads.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(50);
                long n = done.get();
                if (r.reached(n)) {
                    StringBuilder rss = new StringBuilder();
                    for (long pid : o.pids()) {
                        rss.append(String.format(Locale.ROOT, " meta_rss_mib[%d]=%.0f", pid, FillReport.rssMib(pid)));
                    }
                    System.out.printf(Locale.ROOT, "files=%d rate=%.0f avg_rate=%.0f elapsed_s=%.0f%s%n", n, r.rate(),
                            r.averageRate(n), r.elapsedSeconds(), rss);
                    if (r.elapsedSeconds() > o.minutes() * 60) {
                        System.out.println("stopped: --minutes " + o.minutes() + " passed");
                        stop.set(true);
                    }
                    r.next(n);
                }
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("a creator failed after " + done.get() + " files", failures.get(0));
            }
        }
    }

    private static String dirName(long firstFile, Options o) {
        return String.format("d%05d", firstFile / o.perDir());
    }

    private static String fileName(long file) {
        return String.format("f%08d", file);
    }
}
