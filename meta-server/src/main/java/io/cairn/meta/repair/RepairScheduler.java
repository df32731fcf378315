package io.cairn.meta.repair;

import io.cairn.common.Replies;
import io.cairn.common.CairnException;
import io.cairn.common.DaemonThreads;
import io.cairn.common.ErrorCode;
import io.cairn.meta.MetaConfig.RepairSettings;
import io.cairn.meta.namespace.ChunkOps;
import io.cairn.meta.namespace.InodePaths;
import io.cairn.meta.pool.Liveness;
import io.cairn.meta.pool.Placement;
import io.cairn.meta.pool.VolumeOptions;
import io.cairn.meta.repair.ChunkHealth.Assessment;
import io.cairn.meta.repair.ChunkHealth.BrickState;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.BrickHeal;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.HealEntry;
import io.cairn.proto.HealInfo;
import io.cairn.proto.LostChunk;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.RepairRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.UpdatePlacementRequest;
import io.cairn.proto.state.ChunkRecord;
import io.cairn.proto.state.VolumeRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-heal on the leader. A scan of every chunk record finds chunks below size, with replicas on
 * out nodes or reported corrupt, or above size; they queue most urgent first (fewest usable
 * replicas). Up to {@code parallel} workers take chunks from the queue: if the primary cannot lead
 * (its node is not live, its replica is corrupt), the placement is first reordered at the next
 * epoch so a usable replica leads and stale writers are fenced; then the primary is asked to copy
 * the chunk to new bricks on other nodes and to change the placement (add them, drop the bad
 * ones), which it does while holding the chunk's writes.
 *
 * <p>State is soft: a new leader scans afresh, and corrupt replicas are reported again by their
 * nodes' replica reports.
 */
public final class RepairScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RepairScheduler.class);
    private static final int MAX_ENTRIES = 100;
    private static final Duration META_TIMEOUT = Duration.ofSeconds(15);

    private record Task(int volumeId, long inode, long index, long chunkId, int usable) {
    }

    private static final class Totals {
        final AtomicLong repaired = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Set<Long> inProgress = ConcurrentHashMap.newKeySet();
    }

    private final String id;
    private final BooleanSupplier isLeader;
    private final Supplier<ReadView> committed;
    private final Liveness liveness;
    private final Function<MetaMutation, CompletableFuture<MetaReply>> propose;
    private final RepairCalls calls;
    private final ReplicaLengths lengths;
    private final RepairSettings settings;
    private final Clock clock;
    private final Random random = new Random();
    private final ScheduledExecutorService scanner;
    private final ScheduledExecutorService workers;
    private final AtomicBoolean scanning = new AtomicBoolean();
    private final AtomicInteger activeWorkers = new AtomicInteger();
    /** chunk id -> bricks whose replica was reported corrupt. */
    private final Map<Long, Set<Long>> corrupt = new ConcurrentHashMap<>();
    private final Map<Integer, Totals> totals = new ConcurrentHashMap<>();
    private final TornReplicas torn = new TornReplicas();
    private final ShortReplicas shorts = new ShortReplicas();
    private final Set<Long> checking = ConcurrentHashMap.newKeySet();
    /** Paths of the files of lost chunks, kept while they stay lost (finding one takes a pass over every name). */
    private volatile Map<Long, String> lostPaths = Map.of();
    private volatile ConcurrentLinkedDeque<Task> queue = new ConcurrentLinkedDeque<>();
    private volatile Map<Integer, HealInfo> lastScan = Map.of();

    public RepairScheduler(String id, BooleanSupplier isLeader, Supplier<ReadView> committed, Liveness liveness,
                           Function<MetaMutation, CompletableFuture<MetaReply>> propose, RepairCalls calls,
                           ReplicaLengths lengths, RepairSettings settings, Clock clock) {
        this.id = id;
        this.isLeader = isLeader;
        this.committed = committed;
        this.liveness = liveness;
        this.propose = propose;
        this.calls = calls;
        this.lengths = lengths;
        this.settings = settings;
        this.clock = clock;
        this.scanner = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(id + "-repair-scan"));
        this.workers = Executors.newScheduledThreadPool(settings.parallel(), DaemonThreads.named(id + "-repair"));
    }

    public void start() {
        long ms = settings.interval().toMillis();
        // The first scan comes soon, so `volume heal info` has an answer early; a scan before the
        // nodes' first heartbeats is harmless (silent nodes count as down, not out).
        scanner.scheduleWithFixedDelay(this::scan, Math.min(ms, 3000), ms, TimeUnit.MILLISECONDS);
    }

    /** Scans soon rather than at the next interval: something changed (a node, a corrupt replica). */
    public void poke() {
        scanner.execute(this::scan);
    }

    /** A node reported the replica of {@code chunkId} on {@code brickId} as corrupt. */
    public void reportCorrupt(long chunkId, long brickId) {
        if (markCorrupt(chunkId, brickId)) {
            log.info("{} replica of chunk {} on brick {} is corrupt; queued for repair", id, Long.toHexString(chunkId), brickId);
            poke();
        }
    }

    /** Records the replica as corrupt, for the scans to repair; true if it was not known before. */
    private boolean markCorrupt(long chunkId, long brickId) {
        return corrupt.computeIfAbsent(chunkId, k -> ConcurrentHashMap.newKeySet()).add(brickId);
    }

    /**
     * A node reported the replica of {@code chunkId} on {@code brickId} with an unreadable header;
     * the next scan finds its chunk by id ({@link TornReplicas}).
     */
    public void reportTorn(long chunkId, long brickId) {
        if (torn.report(chunkId, brickId)) {
            log.info("{} replica of chunk {} on brick {} is torn (unreadable header); the next scan finds its chunk",
                    id, Long.toHexString(chunkId), brickId);
            poke();
        }
    }

    /** A node cut the replica of {@code chunkId} on {@code brickId} to {@code length} intact bytes after a crash. */
    public void reportShort(long chunkId, long brickId, long length) {
        shorts.report(chunkId, brickId, length);
        log.info("{} replica of chunk {} on brick {} holds {} bytes after a crash; judged at the next scan", id,
                Long.toHexString(chunkId), brickId, length);
        poke();
    }

    /**
     * A reader found no replica holding bytes the chunk's length says exist: asks every member what
     * it holds, in the background, then repairs the short ones from one that has the bytes or, when
     * none has, cuts the chunk to the longest ({@link ShortReplicas#fromLengths}).
     */
    public void checkChunk(int volumeId, long inode, long index, long chunkId) {
        if (!isLeader.getAsBoolean() || !checking.add(chunkId)) {
            return;
        }
        workers.execute(() -> {
            try {
                check(volumeId, inode, index, chunkId);
            } catch (RuntimeException e) {
                log.warn("{} check of chunk {} failed: {}", id, Long.toHexString(chunkId), e.toString());
            } finally {
                checking.remove(chunkId);
            }
        });
    }

    private void check(int volumeId, long inode, long index, long chunkId) {
        ReadView v = committed.get();
        ChunkRecord rec = Records.chunk(v, inode, index);
        VolumeRecord vol = Records.volume(v, volumeId);
        if (rec == null || rec.getChunkId() != chunkId || vol == null) {
            return;
        }
        ChunkInfo info = ChunkOps.info(v, index, rec);
        Map<Long, CompletableFuture<Long>> asked = new HashMap<>();
        for (Replica r : info.getPlacementList()) {
            asked.put(r.getBrickId(), lengths.length(info, vol.getChunkSize(), volumeId, inode, r));
        }
        Map<Long, Long> held = new HashMap<>();
        asked.forEach((brick, answer) -> held.put(brick, heldOrNull(answer)));
        ShortReplicas.Decision d = ShortReplicas.fromLengths(rec.getLength(), held);
        log.info("{} chunk {} (inode {} index {}) of length {}: replicas hold {}", id, Long.toHexString(chunkId),
                inode, index, rec.getLength(), held);
        d.corrupt().forEach(b -> reportCorrupt(chunkId, b));
        if (d.trimTo() >= 0) {
            trim(new Trim(volumeId, inode, index, rec, d.trimTo()));
        }
    }

    /** What a replica said it holds: 0 if it holds none, null if it did not say (unreachable, another epoch, corrupt). */
    private static Long heldOrNull(CompletableFuture<Long> answer) {
        try {
            return answer.get(META_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof CairnException c && c.code() == ErrorCode.NOT_FOUND ? 0L : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    /** Deletes for torn replicas on these bricks that belong to no chunk's placement. */
    public List<io.cairn.proto.ReplicaDelete> strayTorn(Set<Long> bricks) {
        return torn.straysOn(bricks);
    }

    public void leaderChanged() {
        torn.clear();
        shorts.clear();
        queue = new ConcurrentLinkedDeque<>();
        lastScan = Map.of();
        totals.clear();
    }

    /** What the last scan found for the volume, with the repairs since this server leads. */
    public HealInfo healInfo(int volumeId, String name) {
        HealInfo h = lastScan.get(volumeId);
        Totals t = totals(volumeId);
        HealInfo.Builder b = h != null ? h.toBuilder() : HealInfo.newBuilder().setVolume(name);
        return b.setInProgress(t.inProgress.size()).setRepaired(t.repaired.get()).setFailed(t.failed.get()).build();
    }

    private Totals totals(int volumeId) {
        return totals.computeIfAbsent(volumeId, k -> new Totals());
    }

    void scan() {
        if (!isLeader.getAsBoolean() || !scanning.compareAndSet(false, true)) {
            return;
        }
        try {
            scanOnce();
        } catch (RuntimeException e) {
            log.warn("{} repair scan failed", id, e);
        } finally {
            scanning.set(false);
        }
    }

    private void scanOnce() {
        ReadView v = committed.get();
        PoolSnapshot pool = PoolSnapshot.read(v, liveness);
        Map<Integer, HealInfo.Builder> infos = new HashMap<>();
        Map<Integer, Map<Long, Long>> brickPending = new HashMap<>();
        List<Task> tasks = new ArrayList<>();
        Map<Long, Set<Long>> stillCorrupt = new HashMap<>();
        Map<Integer, List<LostChunk.Builder>> lost = new HashMap<>();
        TornReplicas.Scan tornScan = torn.startScan();
        List<Trim> trims = new ArrayList<>();
        pool.volumes().forEach((vid, vol) -> infos.put(vid, HealInfo.newBuilder().setVolume(vol.getName())));
        ChunkOps.forEachChunk(v, (vid, inode, index, rec) -> {
            tornScan.match(rec).forEach(b -> markCorrupt(rec.getChunkId(), b));
            VolumeRecord vol = pool.volumes().get(vid);
            if (vol == null) {
                return true;
            }
            ShortReplicas.Decision cut = shorts.judge(rec, pool.bricks(),
                    b -> corrupt.getOrDefault(rec.getChunkId(), Set.of()).contains(b));
            cut.corrupt().forEach(b -> markCorrupt(rec.getChunkId(), b));
            if (cut.trimTo() >= 0) {
                trims.add(new Trim(vid, inode, index, rec, cut.trimTo()));
                return true;  // judged again once cut
            }
            Set<Long> bad = corrupt.getOrDefault(rec.getChunkId(), Set.of());
            for (long b : bad) {
                if (rec.getPlacementList().contains(b)) {
                    stillCorrupt.computeIfAbsent(rec.getChunkId(), c -> ConcurrentHashMap.newKeySet()).add(b);
                }
            }
            Assessment a = ChunkHealth.assess(rec.getPlacementList(), vol.getSize(), pool.bricks(), bad::contains);
            HealInfo.Builder info = infos.get(vid);
            info.setChunks(info.getChunks() + 1);
            if (a.lost()) {
                // No replica to copy from: nothing to queue. Named, by path, until the file goes.
                info.setLost(info.getLost() + 1);
                List<LostChunk.Builder> l = lost.computeIfAbsent(vid, x -> new ArrayList<>());
                if (l.size() < MAX_ENTRIES) {
                    l.add(LostChunk.newBuilder().setInode(inode).setIndex(index).setChunkId(rec.getChunkId()));
                }
            } else if (!a.healthy()) {
                info.setPending(info.getPending() + 1);
                if (a.usable().size() < vol.getMinSize()) {
                    info.setBelowMinSize(info.getBelowMinSize() + 1);
                }
                if (a.usable().isEmpty()) {
                    info.setUnavailable(info.getUnavailable() + 1);
                }
                if (info.getEntriesCount() < MAX_ENTRIES) {
                    info.addEntries(HealEntry.newBuilder().setInode(inode).setIndex(index)
                            .setChunkId(rec.getChunkId()).setUsable(a.usable().size()).setReason(a.reason()));
                }
                Map<Long, Long> perBrick = brickPending.computeIfAbsent(vid, x -> new HashMap<>());
                for (long b : a.bad()) {
                    perBrick.merge(b, 1L, Long::sum);
                }
                tasks.add(new Task(vid, inode, index, rec.getChunkId(), a.usable().size()));
            }
            return true;
        });
        tornScan.finish();
        trims.forEach(this::trim);
        nameLost(v, lost);
        corrupt.keySet().retainAll(stillCorrupt.keySet());
        stillCorrupt.forEach((c, b) -> corrupt.computeIfPresent(c, (k, old) -> {
            old.retainAll(b);
            return old;
        }));
        long now = clock.millis();
        Map<Integer, HealInfo> published = new HashMap<>();
        infos.forEach((vid, b) -> {
            List<HealEntry> sorted = new ArrayList<>(b.getEntriesList());
            sorted.sort(Comparator.comparingInt(HealEntry::getUsable));
            b.clearEntries().addAllEntries(sorted).setScannedAtMs(now);
            brickPending.getOrDefault(vid, Map.of()).forEach((brick, n) -> b.addBricks(BrickHeal.newBuilder()
                    .setBrickId(brick).setBrick(pool.label(brick)).setPending(n)));
            lost.getOrDefault(vid, List.of()).forEach(l -> b.addLostChunks(l.setPath(lostPaths.getOrDefault(l.getInode(), ""))));
            if (b.getLost() > 0) {
                log.warn("{} volume {}: {} chunks have no readable replica left (lost), first: {}", id, b.getVolume(),
                        b.getLost(), b.getLostChunks(0).getPath());
            }
            published.put(vid, b.build());
        });
        lastScan = published;
        tasks.sort(Comparator.comparingInt(Task::usable));
        queue = new ConcurrentLinkedDeque<>(tasks);
        if (!tasks.isEmpty()) {
            log.info("{} repair scan: {} chunks need repair", id, tasks.size());
        }
        while (activeWorkers.get() < settings.parallel()) {
            activeWorkers.incrementAndGet();
            workers.execute(this::work);
        }
    }

    /** A chunk whose every replica lost its end in a crash, to cut to what the longest still holds. */
    private record Trim(int volumeId, long inode, long index, ChunkRecord rec, long length) {
    }

    private void trim(Trim t) {
        MetaMutation m = MetaMutation.newBuilder().setTrimChunk(io.cairn.proto.TrimChunkRequest.newBuilder()
                .setVolumeId(t.volumeId()).setInode(t.inode()).setIndex(t.index()).setChunkId(t.rec().getChunkId())
                .setExpectedEpoch(t.rec().getEpoch()).setExpectedLength(t.rec().getLength()).setLength(t.length())).build();
        try {
            MetaReply reply = propose.apply(m).get(META_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.getCode() != io.cairn.proto.ErrorCode.OK) {
                log.warn("{} chunk {} (inode {} index {}) not cut to its replicas: {}", id,
                        Long.toHexString(t.rec().getChunkId()), t.inode(), t.index(), reply.getMessage());
                return;
            }
            log.warn("{} a crash took the end of chunk {} (inode {} index {}) from every replica: cut from {} to {} bytes,"
                    + " the file is now {} bytes", id, Long.toHexString(t.rec().getChunkId()), t.inode(), t.index(),
                    t.rec().getLength(), t.length(), reply.getAttr().getSize());
            poke();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("{} chunk {} not cut to its replicas: {}", id, Long.toHexString(t.rec().getChunkId()), e.toString());
        }
    }

    /** Finds the paths of lost chunks' files not named before; forgets those no longer lost. */
    private void nameLost(ReadView v, Map<Integer, List<LostChunk.Builder>> lost) {
        Set<Long> inodes = new java.util.HashSet<>();
        lost.values().forEach(l -> l.forEach(c -> inodes.add(c.getInode())));
        Map<Long, String> known = new HashMap<>(lostPaths);
        known.keySet().retainAll(inodes);
        List<Long> unnamed = inodes.stream().filter(i -> !known.containsKey(i)).toList();
        known.putAll(InodePaths.of(v, unnamed));
        lostPaths = known;
    }

    private void work() {
        try {
            Task t;
            while (isLeader.getAsBoolean() && (t = queue.poll()) != null) {
                Totals tot = totals(t.volumeId());
                if (!tot.inProgress.add(t.chunkId())) {
                    continue;
                }
                try {
                    if (repair(t)) {
                        tot.repaired.incrementAndGet();
                    }
                } catch (CairnException | RuntimeException e) {
                    tot.failed.incrementAndGet();
                    log.warn("{} repair of chunk {} (inode {} index {}) failed: {}", id, Long.toHexString(t.chunkId()),
                            t.inode(), t.index(), e.getMessage());
                } finally {
                    tot.inProgress.remove(t.chunkId());
                }
            }
        } finally {
            activeWorkers.decrementAndGet();
        }
    }

    /** Repairs one chunk; false if it needed nothing (any more). */
    private boolean repair(Task t) throws CairnException {
        ReadView v = committed.get();
        PoolSnapshot pool = PoolSnapshot.read(v, liveness);
        ChunkRecord rec = Records.chunk(v, t.inode(), t.index());
        VolumeRecord vol = pool.volumes().get(t.volumeId());
        if (rec == null || rec.getChunkId() != t.chunkId() || vol == null) {
            return false;
        }
        Set<Long> bad = corrupt.getOrDefault(rec.getChunkId(), Set.of());
        Assessment a = ChunkHealth.assess(rec.getPlacementList(), vol.getSize(), pool.bricks(), bad::contains);
        if (a.healthy()) {
            return false;
        }
        if (a.usable().isEmpty()) {
            throw new CairnException(ErrorCode.UNAVAILABLE, "no usable replica to copy from: " + a.reason());
        }
        long primary = a.usable().get(0);
        if (rec.getPlacement(0) != primary) {
            rec = reorder(t, rec, primary);
        }
        List<Long> kept = a.kept(rec.getPlacementList());
        List<Long> targets = targets(vol, pool, kept, a.need());
        List<Long> drop = new ArrayList<>(a.surplus());
        // Bad replicas leave only if enough stay; a dead one in the placement harms no one.
        if (kept.size() + targets.size() >= vol.getMinSize()) {
            drop.addAll(a.bad());
        }
        if (targets.isEmpty() && drop.isEmpty()) {
            throw new CairnException(ErrorCode.NO_PLACEMENT, "no live brick below the fill threshold on another node to copy to (" + a.reason() + ")");
        }
        ChunkInfo info = ChunkOps.info(v, t.index(), rec);
        RepairRequest.Builder r = RepairRequest.newBuilder()
                .setTarget(ChunkTarget.newBuilder().setChunkId(rec.getChunkId()).setEpoch(rec.getEpoch())
                        .setChunkSize(vol.getChunkSize()).addAllPlacement(info.getPlacementList())
                        .setVolumeId(t.volumeId()).setInode(t.inode()).setIndex(t.index()))
                .setBrickId(primary).addAllDrop(drop).setBytesPerSecond(settings.bytesPerSecond())
                .setLength(rec.getLength());
        for (long b : targets) {
            r.addAdd(Replica.newBuilder().setBrickId(b).setNodeId(pool.brickRecords().get(b).getNodeId())
                    .setAddress(pool.nodes().get(pool.brickRecords().get(b).getNodeId()).getAddress()));
        }
        String address = info.getPlacement(0).getAddress();
        log.info("{} repairing chunk {} (inode {} index {}) epoch {}: copy from brick {} to {}, drop {} ({})", id,
                Long.toHexString(rec.getChunkId()), t.inode(), t.index(), rec.getEpoch(), primary, targets, drop, a.reason());
        StorageReply reply = calls.repair(address, r.build(), deadline(rec.getLength()));
        if (reply.getCode() != io.cairn.proto.ErrorCode.OK) {
            throw Replies.error(reply, "");
        }
        Set<Long> left = corrupt.get(rec.getChunkId());
        if (left != null) {
            left.removeAll(drop);
        }
        return true;
    }

    /** The same replicas at the next epoch with {@code primary} first, so it can lead the repair. */
    private ChunkRecord reorder(Task t, ChunkRecord rec, long primary) throws CairnException {
        UpdatePlacementRequest.Builder u = UpdatePlacementRequest.newBuilder().setVolumeId(t.volumeId())
                .setInode(t.inode()).setIndex(t.index()).setChunkId(rec.getChunkId()).setExpectedEpoch(rec.getEpoch())
                .addPlacement(primary);
        for (long b : rec.getPlacementList()) {
            if (b != primary) {
                u.addPlacement(b);
            }
        }
        MetaReply reply;
        try {
            reply = propose.apply(MetaMutation.newBuilder().setUpdatePlacement(u).build())
                    .get(META_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new CairnException(ErrorCode.UNAVAILABLE, "placement change not committed: " + e);
        }
        if (reply.getCode() != io.cairn.proto.ErrorCode.OK) {
            throw Replies.error(reply, "");
        }
        ChunkInfo c = reply.getChunk();
        ChunkRecord.Builder next = rec.toBuilder().setEpoch(c.getEpoch()).clearPlacement();
        c.getPlacementList().forEach(p -> next.addPlacement(p.getBrickId()));
        return next.build();
    }

    /**
     * Live bricks below the fill threshold on nodes the kept replicas do not use, weighted by free space. A
     * brick whose replica is corrupt may be chosen again: the copy replaces that replica.
     */
    private List<Long> targets(VolumeRecord vol, PoolSnapshot pool, List<Long> kept, int need) throws CairnException {
        if (need <= 0) {
            return List.of();
        }
        boolean sameNode = "on".equals(VolumeOptions.effective(vol.getOptionsMap()).get(VolumeOptions.ALLOW_SAME_NODE));
        Set<Long> usedNodes = new java.util.HashSet<>();
        for (long b : kept) {
            BrickState s = pool.bricks().get(b);
            if (s != null) {
                usedNodes.add(s.nodeId());
            }
        }
        List<Placement.Candidate> candidates = new ArrayList<>();
        for (long b : vol.getBricksList()) {
            BrickState s = pool.bricks().get(b);
            if (s != null && s.live() && !s.draining() && !pool.fullBricks().contains(b) && !kept.contains(b)
                    && (sameNode || !usedNodes.contains(s.nodeId()))) {
                candidates.add(new Placement.Candidate(b, s.nodeId(), true, pool.freeBytes().getOrDefault(b, 0L)));
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        return Placement.choose(vol.getName(), candidates, need, 1, sameNode, random);
    }

    private Duration deadline(long bytes) {
        long copySeconds = settings.bytesPerSecond() == 0 ? 0 : bytes / Math.max(1, settings.bytesPerSecond());
        return Duration.ofSeconds(60 + 2 * copySeconds);
    }

    @Override
    public void close() {
        scanner.shutdownNow();
        workers.shutdownNow();
        calls.close();
        lengths.close();
    }
}
