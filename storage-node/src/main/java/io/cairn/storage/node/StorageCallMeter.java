package io.cairn.storage.node;

import io.cairn.proto.ErrorCode;
import io.cairn.proto.ReadReply;
import io.cairn.proto.StorageReply;
import io.cairn.proto.StorageServiceGrpc;
import io.cairn.proto.WriteRequest;
import io.cairn.storage.replication.WriteRanges;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Counts the StorageService's data calls into {@link NodeMetrics} at the gRPC edge, so the
 * service itself carries no metrics: bytes of a write or replicate count once its reply says OK,
 * bytes read once the reply carries them.
 */
final class StorageCallMeter implements ServerInterceptor {
    private static final String WRITE = StorageServiceGrpc.getWriteMethod().getFullMethodName();
    private static final String REPLICATE = StorageServiceGrpc.getReplicateMethod().getFullMethodName();
    private static final String READ = StorageServiceGrpc.getReadMethod().getFullMethodName();
    private static final String COPY_IN = StorageServiceGrpc.getCopyInMethod().getFullMethodName();

    private final NodeMetrics metrics;

    StorageCallMeter(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        boolean writes = method.equals(WRITE) || method.equals(REPLICATE);
        boolean copies = method.equals(COPY_IN);
        if (!writes && !copies && !method.equals(READ)) {
            return next.startCall(call, headers);
        }
        if (method.equals(REPLICATE)) {
            metrics.replicateCall();
        }
        long[] requested = {0};
        ServerCall<Q, R> metered = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R reply) {
                if (reply instanceof StorageReply r && r.getCode() == ErrorCode.OK && copies) {
                    metrics.copied(requested[0]);
                } else if (reply instanceof StorageReply r && r.getCode() == ErrorCode.OK) {
                    metrics.written(requested[0]);
                } else if (reply instanceof ReadReply r && r.getCode() == ErrorCode.OK) {
                    metrics.read(r.getData().size());
                }
                super.sendMessage(reply);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(metered, headers)) {
            @Override
            public void onMessage(Q request) {
                if (request instanceof WriteRequest w) {
                    requested[0] = WriteRanges.bytes(w);
                } else if (request instanceof io.cairn.proto.CopyInRequest c) {
                    requested[0] = c.getLength();
                }
                super.onMessage(request);
            }
        };
    }
}
