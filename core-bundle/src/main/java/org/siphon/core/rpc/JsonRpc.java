package org.siphon.core.rpc;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The RPC commands as a JSON-RPC 2.0 endpoint, for modules that carry JSON-RPC over another
 * transport (jsonrpcs on the SIP ports, Kamailio's {@code jsonrpc_dispatch()}): the same answers
 * as the core's HTTP server (127.0.0.1:8090 by default) gives. An OSGi service of the core.
 * Thread-safe; a command runs on the caller's thread.
 */
@ProviderType
public interface JsonRpc {

    /**
     * Answers a JSON-RPC request document (one request or a batch): a parse error, an unknown
     * method or a failing command is a JSON-RPC error object in the answer, never an exception.
     *
     * @param pretty indented output (jsonrpcs' {@code pretty_format})
     * @return the answer document, or null when the request held only notifications
     */
    String handle(String request, boolean pretty);
}
