package io.cairn.client.fs;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/** Splitting the absolute paths a mount receives into names. Pure. */
public final class FsPaths {
    private FsPaths() {
    }

    /** The names of {@code path} from the volume's root: "/" is empty, "/a//b/" is [a, b]. */
    public static List<String> names(String path) throws CairnException {
        if (path == null || !path.startsWith("/")) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "path '" + path + "' is not absolute; paths start at the volume root with /");
        }
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(part);
        }
        return out;
    }

    /** The parent's names and the last name; INVALID_ARGUMENT for the root, which has no parent. */
    public static Split split(String path) throws CairnException {
        List<String> names = names(path);
        if (names.isEmpty()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "the volume root has no parent directory");
        }
        return new Split(names.subList(0, names.size() - 1), names.get(names.size() - 1));
    }

    public record Split(List<String> parent, String name) {
    }
}
