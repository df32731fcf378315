package io.cairn.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallGuardTest {
    static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes());
        }

        @Override
        public String parse(InputStream stream) {
            return "";
        }
    };
    static final MethodDescriptor<String, String> METHOD = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("cairn.v1.Test/Call")
            .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();

    final List<String> warnings = new ArrayList<>();
    long now;
    final CallGuard guard = new CallGuard("m1", new WarnLimiter(Duration.ofSeconds(1), () -> now, warnings::add));

    static class FakeCall extends ServerCall<String, String> {
        Status closed;
        final List<String> sent = new ArrayList<>();

        @Override
        public void request(int n) {
        }

        @Override
        public void sendHeaders(Metadata headers) {
        }

        @Override
        public void sendMessage(String message) {
            sent.add(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (closed != null) {
                throw new IllegalStateException("call already closed");
            }
            closed = status;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public MethodDescriptor<String, String> getMethodDescriptor() {
            return METHOD;
        }
    }

    /** A unary handler: keeps the message, answers on half-close with what {@code answer} does. */
    static ServerCallHandler<String, String> handler(List<String> seen, java.util.function.Function<String, String> answer) {
        return (call, headers) -> new ServerCall.Listener<>() {
            String request;

            @Override
            public void onMessage(String message) {
                if (message.equals("unparseable")) {
                    throw Status.INTERNAL.withDescription("Invalid protobuf byte sequence")
                            .withCause(new com.google.protobuf.InvalidProtocolBufferException("truncated")).asRuntimeException();
                }
                request = message;
            }

            @Override
            public void onHalfClose() {
                seen.add(request);
                call.sendMessage(answer.apply(request));
                call.close(Status.OK, new Metadata());
            }
        };
    }

    private FakeCall run(ServerCallHandler<String, String> h, String request) {
        FakeCall call = new FakeCall();
        ServerCall.Listener<String> l = guard.interceptCall(call, new Metadata(), h);
        l.onMessage(request);
        l.onHalfClose();
        l.onComplete();
        return call;
    }

    @Test
    void aWellBehavedCallPassesUntouched() {
        List<String> seen = new ArrayList<>();
        FakeCall call = run(handler(seen, r -> "re: " + r), "hello");
        assertThat(call.closed.isOk()).isTrue();
        assertThat(call.sent).containsExactly("re: hello");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aHandlerThatThrowsGetsInvalidArgumentAndOneWarningASecond() {
        List<String> seen = new ArrayList<>();
        ServerCallHandler<String, String> h = handler(seen, r -> {
            throw new IllegalArgumentException("index -1 out of\nrange");
        });
        FakeCall first = run(h, "x");
        assertThat(first.closed.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(first.closed.getDescription())
                .isEqualTo("malformed call to cairn.v1.Test/Call: IllegalArgumentException: index -1 out of range");
        for (int i = 0; i < 100; i++) {
            assertThat(run(h, "x").closed.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        assertThat(warnings).containsExactly(
                "m1 refused a malformed call to cairn.v1.Test/Call: IllegalArgumentException: index -1 out of range");
    }

    @Test
    void anUnparseableRequestIsRefusedAndNeverReachesTheHandler() {
        List<String> seen = new ArrayList<>();
        FakeCall call = run(handler(seen, r -> r), "unparseable");
        assertThat(call.closed.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(call.closed.getDescription()).contains("Invalid protobuf byte sequence");
        assertThat(seen).isEmpty();
        // garbage sent to another method is the same kind of failure: no second line within the second
        FakeCall other = new FakeCall() {
            @Override
            public MethodDescriptor<String, String> getMethodDescriptor() {
                return METHOD.toBuilder().setFullMethodName("cairn.v1.Test/Other").build();
            }
        };
        ServerCall.Listener<String> l = guard.interceptCall(other, new Metadata(), handler(seen, r -> r));
        l.onMessage("unparseable");
        assertThat(other.closed.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(warnings).containsExactly("m1 refused a malformed call to cairn.v1.Test/Call: "
                + "Invalid protobuf byte sequence: truncated");
    }

    @Test
    void aCallTheCallerCancelledIsNeitherAnsweredNorLogged() {
        FakeCall call = run(handler(new ArrayList<>(), r -> {
            throw Status.CANCELLED.withDescription("call already cancelled").asRuntimeException();
        }), "x");
        assertThat(call.closed).isNull();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aThrowAfterTheReplyWasSentClosesNothingTwice() {
        ServerCallHandler<String, String> h = (call, headers) -> new ServerCall.Listener<>() {
            @Override
            public void onHalfClose() {
                call.close(Status.OK, new Metadata());
                throw new IllegalStateException("late");
            }
        };
        FakeCall call = run(h, "x");
        assertThat(call.closed.isOk()).isTrue();
    }

    @Test
    void longReasonsAreCutShort() {
        assertThat(CallGuard.reason(new RuntimeException("y".repeat(1000)))).hasSize(CallGuard.MAX_REASON + 3);
    }
}
