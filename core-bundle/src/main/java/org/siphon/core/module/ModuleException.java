package org.siphon.core.module;

/** A module could not be installed, removed or updated; the message says why, for an operator. */
public class ModuleException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What kind of failure, so that front-ends can map it to their own codes. */
    public enum Reason { NOT_FOUND, CONFLICT, IN_USE, BAD_BUNDLE, FAILED }

    private final Reason reason;

    public ModuleException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ModuleException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
