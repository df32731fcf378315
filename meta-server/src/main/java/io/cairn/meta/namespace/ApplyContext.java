package io.cairn.meta.namespace;

import io.cairn.proto.Credentials;

/**
 * What one mutation or query is applied with: the caller's credentials and "now", which for a
 * mutation is the leader's clock written into the log entry, so every peer applies the same time.
 */
public record ApplyContext(long nowNs, Credentials cred) {
    public static final Credentials ROOT = Credentials.newBuilder().setUid(0).setGid(0).build();

    public static ApplyContext root(long nowNs) {
        return new ApplyContext(nowNs, ROOT);
    }
}
