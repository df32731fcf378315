package io.cairn.meta.namespace;

import com.google.protobuf.ByteString;
import io.cairn.proto.Credentials;

/**
 * What one mutation or query is applied with: the caller's credentials, its client id (empty for
 * the meta service's own changes and for queries) and "now", which for a mutation is the leader's
 * clock written into the log entry, so every peer applies the same time.
 */
public record ApplyContext(long nowNs, Credentials cred, ByteString clientId) {
    public static final Credentials ROOT = Credentials.newBuilder().setUid(0).setGid(0).build();

    public ApplyContext(long nowNs, Credentials cred) {
        this(nowNs, cred, ByteString.EMPTY);
    }

    public static ApplyContext root(long nowNs) {
        return new ApplyContext(nowNs, ROOT);
    }

    /** The same client and time with another caller: one op of a batch. */
    public ApplyContext as(Credentials other) {
        return new ApplyContext(nowNs, other, clientId);
    }
}
