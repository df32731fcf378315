package io.cairn.common.rpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The catch-all for malformed calls, on every server: a request that cannot be parsed, or that
 * makes a handler throw, is answered INVALID_ARGUMENT with one line saying why and costs at most
 * one rate-limited WARN line (no stack trace), where gRPC would log a SEVERE stack trace per call.
 * Handlers still check their domain rules themselves and answer in their own replies; this is
 * for what slips past them.
 *
 * <p>Requests are parsed here rather than in gRPC's transport ({@link #guard} hands the service
 * raw streams), so that unparseable bytes reach this guard too.
 */
public final class CallGuard implements ServerInterceptor {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CallGuard.class);
    /** How much of an exception's text goes into a reply and a log line. */
    static final int MAX_REASON = 200;
    /** The warning kind of every request that does not parse, whatever its method: garbage is one kind. */
    static final String UNPARSEABLE = "unparseable request";

    private final String node;
    private final WarnLimiter warn;

    public CallGuard(String node, WarnLimiter warn) {
        this.node = node;
        this.warn = warn;
    }

    /** {@code service} with every call guarded: requests parsed inside the guard, handler throws caught. */
    public static ServerServiceDefinition guard(String node, ServerServiceDefinition service) {
        return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(service),
                new CallGuard(node, WarnLimiter.perSecond(log)));
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Guarded<Q, R> guarded = new Guarded<>(call);
        try {
            guarded.delegate = next.startCall(call, headers);
        } catch (RuntimeException e) {
            guarded.refuse(e, null);
            guarded.delegate = new ServerCall.Listener<>() { };
        }
        return guarded;
    }

    /** Whether the request's bytes did not parse (wherever the parse ran: gRPC may defer it to the half-close). */
    static boolean unparseable(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.google.protobuf.InvalidProtocolBufferException) {
                return true;
            }
        }
        return false;
    }

    /** The reason given for a throw: a status's description, else the exception's class and message, cut short. */
    static String reason(RuntimeException e) {
        String text;
        if (e instanceof StatusRuntimeException s) {
            Throwable cause = s.getCause();
            text = s.getStatus().getDescription() != null ? s.getStatus().getDescription() : s.getStatus().getCode().toString();
            if (cause != null && cause.getMessage() != null) {
                text += ": " + cause.getMessage();
            }
        } else {
            text = e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
        }
        text = text.replace('\n', ' ');
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "...";
    }

    private final class Guarded<Q, R> extends ForwardingServerCallListener<Q> {
        private final ServerCall<Q, R> call;
        ServerCall.Listener<Q> delegate;
        private volatile boolean refused;

        Guarded(ServerCall<Q, R> call) {
            this.call = call;
        }

        @Override
        protected ServerCall.Listener<Q> delegate() {
            return delegate;
        }

        @Override
        public void onMessage(Q message) {
            if (!refused) {
                try {
                    super.onMessage(message);
                } catch (RuntimeException e) {
                    refuse(e, null);
                }
            }
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                try {
                    super.onHalfClose();
                } catch (RuntimeException e) {
                    refuse(e, null);
                }
            }
        }

        @Override
        public void onReady() {
            if (!refused) {
                try {
                    super.onReady();
                } catch (RuntimeException e) {
                    refuse(e, null);
                }
            }
        }

        @Override
        public void onCancel() {
            try {
                super.onCancel();
            } catch (RuntimeException e) {
                log.debug("{} call to {} threw after its caller cancelled it: {}", node, method(), reason(e));
            }
        }

        @Override
        public void onComplete() {
            try {
                super.onComplete();
            } catch (RuntimeException e) {
                log.debug("{} call to {} threw after it completed: {}", node, method(), reason(e));
            }
        }

        private String method() {
            return call.getMethodDescriptor().getFullMethodName();
        }

        /**
         * Answers INVALID_ARGUMENT; warns once a second per kind of failure: {@code kind} if given,
         * else every unparseable request is one kind, and each method's throws another.
         */
        void refuse(RuntimeException e, String kind) {
            refused = true;
            if (e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.CANCELLED) {
                log.debug("{} call to {} was cancelled by its caller", node, method());
                return;  // the caller went away: nothing was malformed, and nobody listens
            }
            String reason = reason(e);
            warn.warn(kind != null ? kind : unparseable(e) ? UNPARSEABLE : method(), node + " refused a malformed call to " + method() + ": " + reason);
            try {
                call.close(Status.INVALID_ARGUMENT.withDescription("malformed call to " + method() + ": " + reason),
                        new Metadata());
            } catch (RuntimeException alreadyClosed) {
                log.debug("{} call to {} was closed before its refusal: {}", node, method(), reason(alreadyClosed));
            }
        }
    }
}
