package org.siphon.core.rpc;

/**
 * A failed RPC call: a code and a message for the operator. Codes from the JSON-RPC 2.0
 * specification are used for protocol faults (unknown method, bad parameters); commands use
 * HTTP-like codes for their own faults, as Kamailio's RPC commands do (404 not found, 409
 * conflict, 500 internal error).
 */
public class RpcException extends Exception {

    private static final long serialVersionUID = 1L;

    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    public static final int NOT_FOUND = 404;
    public static final int CONFLICT = 409;
    public static final int FAILED = 500;

    private final int code;

    public RpcException(int code, String message) {
        super(message);
        this.code = code;
    }

    public RpcException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static RpcException invalidParams(String message) {
        return new RpcException(INVALID_PARAMS, message);
    }

    public static RpcException notFound(String message) {
        return new RpcException(NOT_FOUND, message);
    }
}
