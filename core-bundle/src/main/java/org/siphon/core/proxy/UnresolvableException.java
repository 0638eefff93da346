package org.siphon.core.proxy;

/** A destination host could not be resolved (or resolution is off for it: {@code dns=no}). */
public class UnresolvableException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnresolvableException(String message) {
        super(message);
    }
}
