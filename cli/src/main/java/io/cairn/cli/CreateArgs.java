package io.cairn.cli;

import io.cairn.client.admin.BrickRef;
import io.cairn.client.admin.VolumeSpec;
import io.cairn.common.CairnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.TypeConversionException;

/**
 * The GlusterFS grammar of {@code volume create}: NAME, then the keywords {@code replica N},
 * {@code min-size M}, {@code chunk-size S}, the bricks (HOST:/PATH or HOST:PORT:/PATH) and
 * {@code force}. Syntax only: the meta service checks the values.
 */
final class CreateArgs {
    /** Ceph's default pool size: three replicas, two of them needed for I/O. */
    static final int DEFAULT_REPLICA = 3;
    private static final Set<String> GLUSTER_TYPES = Set.of("stripe", "disperse", "disperse-data", "redundancy",
            "arbiter", "transport");

    private CreateArgs() {
    }

    /** The volume the words ask for; IllegalArgumentException says what is wrong with them. */
    static VolumeSpec parse(String name, List<String> words) {
        Integer replica = null;
        Integer minSize = null;
        Long chunkSize = null;
        boolean force = false;
        List<BrickRef> bricks = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case "replica" -> replica = count(once(w, replica), words, ++i);
                case "min-size" -> minSize = count(once(w, minSize), words, ++i);
                case "chunk-size" -> chunkSize = size(once(w, chunkSize), words, ++i);
                case "force" -> force = true;
                default -> {
                    if (GLUSTER_TYPES.contains(w)) {
                        throw new IllegalArgumentException("'" + w + "' is a GlusterFS volume type or setting Cairn does not"
                                + " have: Cairn replicates each chunk over the volume's bricks; use 'replica N'");
                    }
                    try {
                        bricks.add(BrickRef.parse(w));
                    } catch (CairnException e) {
                        throw new IllegalArgumentException(e.getMessage());
                    }
                }
            }
        }
        if (bricks.isEmpty()) {
            throw new IllegalArgumentException("no bricks given: name at least one brick as HOST:/PATH"
                    + " (HOST:PORT:/PATH when a host has several storage nodes)");
        }
        return new VolumeSpec(name, replica == null ? DEFAULT_REPLICA : replica, minSize == null ? 0 : minSize,
                chunkSize == null ? 0 : chunkSize, bricks, force);
    }

    /** The keyword, if it was not given before. */
    private static String once(String keyword, Object before) {
        if (before != null) {
            throw new IllegalArgumentException("'" + keyword + "' is given twice; give it once");
        }
        return keyword;
    }

    private static int count(String keyword, List<String> words, int i) {
        String v = value(keyword, words, i);
        if (!v.matches("\\d{1,6}")) {
            throw new IllegalArgumentException("'" + keyword + "' needs a whole number after it, got '" + v
                    + "', e.g. '" + keyword + " 3'");
        }
        return Integer.parseInt(v);
    }

    private static long size(String keyword, List<String> words, int i) {
        String v = value(keyword, words, i);
        try {
            return DataSizes.parse(v);
        } catch (TypeConversionException e) {
            throw new IllegalArgumentException("chunk-size: " + e.getMessage());
        }
    }

    private static String value(String keyword, List<String> words, int i) {
        if (i >= words.size()) {
            throw new IllegalArgumentException("'" + keyword + "' needs a value after it, e.g. '" + keyword
                    + (keyword.equals("chunk-size") ? " 64MiB'" : " 3'"));
        }
        return words.get(i);
    }
}
