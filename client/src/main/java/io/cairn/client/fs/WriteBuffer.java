package io.cairn.client.fs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Written bytes of one file not yet sent to the storage nodes: non-overlapping extents by offset,
 * the newest bytes winning where writes overlap. {@link #drain} turns them into runs that are
 * contiguous and lie within one chunk each, the unit a chunk write takes. Not thread-safe: the
 * file's lock guards it.
 */
public final class WriteBuffer {
    /** Contiguous bytes at {@code offset} of the file, all within chunk {@code index}. */
    public record Run(long index, long offset, ByteBuffer data) {
    }

    private final TreeMap<Long, byte[]> extents = new TreeMap<>();
    private long bytes;

    /** Adds a write; returns by how many bytes the buffer grew (less than {@code len} where it overwrote). */
    public long add(long offset, byte[] src, int srcOffset, int len) {
        if (len == 0) {
            return 0;
        }
        long end = offset + len;
        long before = bytes;
        Map.Entry<Long, byte[]> e = extents.lowerEntry(end);
        while (e != null && e.getKey() + e.getValue().length > offset) {
            long s = e.getKey();
            byte[] d = e.getValue();
            long eEnd = s + d.length;
            extents.remove(s);
            bytes -= d.length;
            if (eEnd > end) {
                byte[] tail = Arrays.copyOfRange(d, (int) (end - s), d.length);
                extents.put(end, tail);
                bytes += tail.length;
            }
            if (s < offset) {
                byte[] head = Arrays.copyOf(d, (int) (offset - s));
                extents.put(s, head);
                bytes += head.length;
            }
            e = extents.lowerEntry(s);
        }
        extents.put(offset, Arrays.copyOfRange(src, srcOffset, srcOffset + len));
        bytes += len;
        return bytes - before;
    }

    /**
     * Adds {@code src} at {@code offset} only where nothing is buffered: older bytes (a file's
     * inline bytes on their way to chunk 0) under the writes made since. Returns the growth.
     */
    public long addUnder(long offset, byte[] src) {
        TreeMap<Long, byte[]> newer = new TreeMap<>(extents);
        long before = bytes;
        add(offset, src, 0, src.length);
        newer.forEach((at, data) -> add(at, data, 0, data.length));
        return bytes - before;
    }

    public long bytes() {
        return bytes;
    }

    public boolean isEmpty() {
        return extents.isEmpty();
    }

    /** The end of the last buffered byte, or 0. */
    public long end() {
        return extents.isEmpty() ? 0 : extents.lastKey() + extents.lastEntry().getValue().length;
    }

    /** Drops everything at or past {@code size} (a truncate); returns the bytes dropped. */
    public long truncate(long size) {
        long before = bytes;
        while (!extents.isEmpty() && end() > size) {
            Map.Entry<Long, byte[]> last = extents.lastEntry();
            extents.remove(last.getKey());
            bytes -= last.getValue().length;
            if (last.getKey() < size) {
                byte[] head = Arrays.copyOf(last.getValue(), (int) (size - last.getKey()));
                extents.put(last.getKey(), head);
                bytes += head.length;
            }
        }
        return before - bytes;
    }

    /** Empties the buffer into runs, in offset order, split where a gap or a chunk boundary falls. */
    public List<Run> drain(long chunkSize) {
        List<Run> runs = new ArrayList<>();
        List<byte[]> group = new ArrayList<>();
        long groupStart = -1;
        long groupEnd = -1;
        for (Map.Entry<Long, byte[]> e : extents.entrySet()) {
            if (groupStart >= 0 && e.getKey() != groupEnd) {
                split(runs, groupStart, join(group, groupEnd - groupStart), chunkSize);
                group.clear();
                groupStart = -1;
            }
            if (groupStart < 0) {
                groupStart = e.getKey();
            }
            group.add(e.getValue());
            groupEnd = e.getKey() + e.getValue().length;
        }
        if (groupStart >= 0) {
            split(runs, groupStart, join(group, groupEnd - groupStart), chunkSize);
        }
        extents.clear();
        bytes = 0;
        return runs;
    }

    private static byte[] join(List<byte[]> parts, long total) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        byte[] out = new byte[Math.toIntExact(total)];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void split(List<Run> runs, long offset, byte[] data, long chunkSize) {
        int at = 0;
        while (at < data.length) {
            long pos = offset + at;
            long index = pos / chunkSize;
            int n = (int) Math.min(data.length - at, (index + 1) * chunkSize - pos);
            runs.add(new Run(index, pos, ByteBuffer.wrap(data, at, n).slice()));
            at += n;
        }
    }
}
