package io.cairn.common;

import java.io.IOException;

/**
 * The one error type of Cairn. The message is for people: it says what was wrong and, where
 * there is one, how to fix it. Subclasses exist only where the payload is actionable.
 */
public class CairnException extends IOException {
    private final ErrorCode code;

    public CairnException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public CairnException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return code.retryable();
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
