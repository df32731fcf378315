package io.cairn.storage.node;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** A storage node's uuid, made on first start and kept in {@code DATA/node.id}: who it is across restarts. */
public final class NodeIdentity {
    private NodeIdentity() {
    }

    public static String loadOrCreate(Path dataDir) throws CairnException {
        try {
            if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "--data " + dataDir + " is not a directory");
            }
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve("node.id");
            if (Files.exists(file)) {
                String uuid = Files.readString(file, StandardCharsets.UTF_8).trim();
                UUID.fromString(uuid);
                return uuid;
            }
            String uuid = UUID.randomUUID().toString();
            Path tmp = dataDir.resolve("node.id.new");
            Files.writeString(tmp, uuid + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return uuid;
        } catch (IllegalArgumentException e) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, dataDir.resolve("node.id")
                    + " does not hold a node uuid; is " + dataDir + " the data dir of a storage node?");
        } catch (IOException e) {
            if (e instanceof CairnException ce) {
                throw ce;
            }
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new CairnException(ErrorCode.IO_ERROR, "cannot use data dir " + dataDir + ": " + reason
                    + " (give a writable directory)", e);
        }
    }
}
