package io.cairn.minicluster;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import java.util.List;
import java.util.Random;

/**
 * Well-formed messages of any type with wrong values, through protobuf's descriptors: ids,
 * offsets and lengths at the edges (0, -1, the largest, huge random) or random, unknown enum
 * numbers, long and odd strings, a random one of each oneof, nested messages a few levels deep.
 * Small positive numbers are avoided so that a random id never names a real volume or inode.
 */
final class RandomMessages {
    private static final long[] LONGS = {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 50, (1L << 40) + 7, 1L << 63 >>> 1};
    private static final int[] INTS = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 20, 65536 * 3 + 1};
    private static final String[] STRINGS = {"", "..", "/", "a/b", "\u0000", "x".repeat(300), "\ud800", "é-名前"};

    private RandomMessages() {
    }

    static DynamicMessage of(Descriptor type, Random r, int depth) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        for (OneofDescriptor o : type.getRealOneofs()) {
            List<FieldDescriptor> fields = o.getFields();
            if (r.nextInt(8) > 0) {
                FieldDescriptor f = fields.get(r.nextInt(fields.size()));
                b.setField(f, value(f, r, depth));
            }
        }
        for (FieldDescriptor f : type.getFields()) {
            if (f.getRealContainingOneof() != null || r.nextInt(4) == 0) {
                continue;
            }
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= 3) {
                continue;
            }
            if (f.isMapField()) {
                continue;  // a map's entries are messages with a key and a value: covered by the cases below
            }
            if (f.isRepeated()) {
                for (int i = r.nextInt(4); i > 0; i--) {
                    b.addRepeatedField(f, value(f, r, depth));
                }
            } else {
                b.setField(f, value(f, r, depth));
            }
        }
        return b.build();
    }

    private static Object value(FieldDescriptor f, Random r, int depth) {
        return switch (f.getJavaType()) {
            case INT -> r.nextBoolean() ? INTS[r.nextInt(INTS.length)] : r.nextInt();
            case LONG -> r.nextBoolean() ? LONGS[r.nextInt(LONGS.length)] : r.nextLong();
            case BOOLEAN -> r.nextBoolean();
            case FLOAT -> r.nextFloat();
            case DOUBLE -> r.nextDouble();
            case STRING -> r.nextBoolean() ? STRINGS[r.nextInt(STRINGS.length)] : Long.toHexString(r.nextLong());
            case BYTE_STRING -> {
                byte[] b = new byte[r.nextBoolean() ? 16 : r.nextInt(40)];
                r.nextBytes(b);
                yield ByteString.copyFrom(b);
            }
            case ENUM -> f.getEnumType().findValueByNumberCreatingIfUnknown(
                    r.nextBoolean() ? r.nextInt(4) : (r.nextBoolean() ? -1 : 99 + r.nextInt(1000)));
            case MESSAGE -> of(f.getMessageType(), r, depth + 1);
        };
    }
}
