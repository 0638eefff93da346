package org.siphon.core.internal.registry;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;
import org.siphon.core.rpc.RpcRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link RpcRegistry} service: the table of RPC commands and the dispatcher every front-end uses. */
@Component(service = { RpcRegistry.class, RpcRegistryImpl.class })
public class RpcRegistryImpl extends ExportTable<RpcCommand> implements RpcRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RpcRegistryImpl.class);

    public RpcRegistryImpl() {
        super("RPC command");
    }

    @Override
    public Object call(String method, List<?> params) throws RpcException {
        if (method == null || method.isBlank()) {
            throw new RpcException(RpcException.INVALID_PARAMS, "no method given");
        }
        RpcCommand command = find(method).orElseThrow(() -> new RpcException(RpcException.METHOD_NOT_FOUND,
                "method not found: " + method + " (system.listMethods lists them)"));
        try {
            return command.handler().call(new RpcParams(method, params));
        } catch (RpcException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("RPC command {} of module {} failed", method, command.module(), e);
            throw new RpcException(RpcException.INTERNAL_ERROR, method + " failed: " + e, e);
        }
    }
}
