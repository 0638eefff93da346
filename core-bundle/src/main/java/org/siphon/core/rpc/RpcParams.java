package org.siphon.core.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The positional parameters of one RPC call, with typed accessors that fail with
 * {@link RpcException#INVALID_PARAMS} and a clear message. Values are what the front-end
 * produced: {@link String}, {@link Long}, {@link Double}, {@link Boolean}, lists, maps or null.
 * Immutable.
 */
public final class RpcParams {

    private final String method;
    private final List<Object> values;

    public RpcParams(String method, List<?> values) {
        this.method = method;
        this.values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    public int size() {
        return values.size();
    }

    public List<Object> values() {
        return values;
    }

    /** The parameter at {@code index} as text; numbers and booleans are turned into text. */
    public String string(int index) throws RpcException {
        Object v = required(index);
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        throw RpcException.invalidParams(method + ": parameter " + (index + 1) + " must be a string");
    }

    public String string(int index, String otherwise) throws RpcException {
        return index < values.size() && values.get(index) != null ? string(index) : otherwise;
    }

    /** The parameter at {@code index} as an integer; text holding digits is accepted. */
    public long integer(int index) throws RpcException {
        Object v = required(index);
        if (v instanceof Long || v instanceof Integer) {
            return ((Number) v).longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw RpcException.invalidParams(method + ": parameter " + (index + 1) + " must be an integer, not " + v);
    }

    public long integer(int index, long otherwise) throws RpcException {
        return index < values.size() && values.get(index) != null ? integer(index) : otherwise;
    }

    /** The parameter at {@code index} as a flag: true/false, yes/no, 1/0, or the word {@code force}. */
    public boolean flag(int index, boolean otherwise) throws RpcException {
        if (index >= values.size() || values.get(index) == null) {
            return otherwise;
        }
        Object v = values.get(index);
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim().toLowerCase();
        switch (s) {
            case "1", "true", "yes", "on", "force", "--force", "-f":
                return true;
            case "0", "false", "no", "off":
                return false;
            default:
                throw RpcException.invalidParams(method + ": parameter " + (index + 1) + " must be a flag (1/0, true/false), not " + v);
        }
    }

    /** Fails unless there are between {@code min} and {@code max} parameters. */
    public RpcParams expect(int min, int max, String usage) throws RpcException {
        if (values.size() < min || values.size() > max) {
            throw RpcException.invalidParams(method + ": expected " + usage + ", got " + values.size()
                    + " parameter" + (values.size() == 1 ? "" : "s"));
        }
        return this;
    }

    private Object required(int index) throws RpcException {
        if (index >= values.size() || values.get(index) == null) {
            throw RpcException.invalidParams(method + ": missing parameter " + (index + 1));
        }
        return values.get(index);
    }
}
