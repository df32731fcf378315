package io.cairn.storage.node;

import io.cairn.common.CairnException;
import io.cairn.common.DurableFiles;
import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A storage node's uuid, made on first start and kept in {@code DATA/node.id}: who it is across
 * restarts. Written durably ({@link DurableFiles}); a data dir that holds bricks but no readable
 * uuid is refused with the way to recover, never given a new uuid (the pool would not know it).
 */
public final class NodeIdentity {
    static final String FILE = "node.id";

    private NodeIdentity() {
    }

    public static String loadOrCreate(Path dataDir) throws CairnException {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "--data " + dataDir + " is not a directory");
            }
            DurableFiles.createDirectories(dataDir);
            if (Files.exists(file)) {
                String uuid = read(file);
                if (uuid == null) {
                    throw new CairnException(ErrorCode.IO_ERROR, file + " is empty or torn (it holds no node uuid), as a power"
                            + " cut can leave it; " + recoveryHint(dataDir));
                }
                return uuid;
            }
            if (Files.exists(dataDir.resolve(BrickRegistry.FILE))) {
                throw new CairnException(ErrorCode.IO_ERROR, file + " is missing but " + dataDir.resolve(BrickRegistry.FILE)
                        + " lists bricks: this node had an identity; " + recoveryHint(dataDir));
            }
            String uuid = UUID.randomUUID().toString();
            DurableFiles.write(file, uuid + "\n");
            return uuid;
        } catch (IOException e) {
            if (e instanceof CairnException ce) {
                throw ce;
            }
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new CairnException(ErrorCode.IO_ERROR, "cannot use data dir " + dataDir + ": " + reason
                    + " (give a writable directory)", e);
        }
    }

    /** The uuid in {@code file}, or null if it holds none. */
    static String read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        try {
            return UUID.fromString(text).toString().equals(text.toLowerCase(java.util.Locale.ROOT)) ? text : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** What to run when the identity files of the data dir are lost: the pool knows them. */
    static String recoveryHint(Path dataDir) {
        return "restore it from the pool with 'cairn node recover-identity --data " + dataDir
                + " --listen HOST:PORT --meta HOST:PORT,...' (HOST:PORT as this node was probed)";
    }
}
