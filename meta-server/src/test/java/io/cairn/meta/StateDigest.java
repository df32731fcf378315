package io.cairn.meta;

import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.MetaStore;
import io.cairn.meta.store.Records;
import io.cairn.proto.state.Counters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A digest of the namespace and pool state without the log position. */
final class StateDigest {
    private StateDigest() {
    }

    /**
     * Like {@link MetaStore#digest()} but blind to the log position and to remembered replies:
     * equal before and after a mutation that failed, since a failed mutation's only writes are
     * its dedup record and the applied index.
     */
    static String of(MetaStore store) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Table t : MetaSchema.TABLES) {
            if (t == Table.DEDUP || t == Table.DEDUP_EXPIRY) {
                continue;
            }
            md.update(t.cfName().getBytes(StandardCharsets.UTF_8));
            store.scan(t, new byte[0], null, (k, v) -> {
                byte[] value = v;
                if (t == Table.SYSTEM && Arrays.equals(k, MetaSchema.APPLIED_KEY)) {
                    return true;
                }
                if (t == Table.SYSTEM && Arrays.equals(k, MetaSchema.COUNTERS_KEY)) {
                    value = Records.parse(v, Counters.parser()).toBuilder().clearDedupEntries().build().toByteArray();
                }
                md.update(MetaSchema.u32(k.length));
                md.update(k);
                md.update(MetaSchema.u32(value.length));
                md.update(value);
                return true;
            });
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
