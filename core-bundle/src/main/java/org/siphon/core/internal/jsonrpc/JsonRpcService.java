package org.siphon.core.internal.jsonrpc;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.siphon.core.rpc.JsonRpc;
import org.siphon.core.rpc.RpcRegistry;

/** {@link JsonRpc} over the RPC registry, answering as the HTTP server's {@link JsonRpcDispatcher} does. */
@Component(service = JsonRpc.class)
public class JsonRpcService implements JsonRpc {

    private final JsonRpcDispatcher dispatcher;

    @Activate
    public JsonRpcService(@Reference RpcRegistry registry) {
        this.dispatcher = new JsonRpcDispatcher(registry);
    }

    @Override
    public String handle(String request, boolean pretty) {
        String answer = dispatcher.handle(request);
        if (answer == null || !pretty) {
            return answer;
        }
        try {
            return Json.pretty(Json.parse(answer));
        } catch (Json.ParseException e) {
            return answer; // the dispatcher writes what Json parses: not reached
        }
    }
}
