package org.siphon.core.rpc;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.registry.Registry;

/** The RPC commands of every active module, and the one place where RPC calls are dispatched. */
@ProviderType
public interface RpcRegistry extends Registry<RpcCommand> {

    /**
     * Calls {@code method} with positional {@code params}.
     *
     * @throws RpcException {@link RpcException#METHOD_NOT_FOUND} for an unknown method, the
     *         command's own fault otherwise; a command that throws anything else is reported as
     *         {@link RpcException#INTERNAL_ERROR} with the cause's message
     */
    Object call(String method, List<?> params) throws RpcException;
}
