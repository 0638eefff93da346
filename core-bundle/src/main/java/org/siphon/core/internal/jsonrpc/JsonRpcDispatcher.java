package org.siphon.core.internal.jsonrpc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcRegistry;

/**
 * JSON-RPC 2.0 over the {@link RpcRegistry}: one request, a notification or a batch in, the
 * response text out ({@code null} when nothing is to be answered). Parameters are positional, as
 * in Kamailio's RPC; named parameters are refused with a clear error. Thread-safe.
 */
public final class JsonRpcDispatcher {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;

    private final RpcRegistry registry;

    public JsonRpcDispatcher(RpcRegistry registry) {
        this.registry = registry;
    }

    /** @return the JSON text to send back, or {@code null} if the input held only notifications */
    public String handle(String body) {
        Object parsed;
        try {
            parsed = Json.parse(body);
        } catch (Json.ParseException e) {
            return Json.write(error(null, PARSE_ERROR, "parse error: " + e.getMessage()));
        }
        if (parsed instanceof List<?> batch) {
            if (batch.isEmpty()) {
                return Json.write(error(null, INVALID_REQUEST, "invalid request: empty batch"));
            }
            List<Object> answers = new ArrayList<>();
            for (Object request : batch) {
                Map<String, Object> answer = one(request);
                if (answer != null) {
                    answers.add(answer);
                }
            }
            return answers.isEmpty() ? null : Json.write(answers);
        }
        Map<String, Object> answer = one(parsed);
        return answer == null ? null : Json.write(answer);
    }

    private Map<String, Object> one(Object request) {
        if (!(request instanceof Map<?, ?> req)) {
            return error(null, INVALID_REQUEST, "invalid request: expected an object");
        }
        Object id = req.get("id");
        boolean notification = !req.containsKey("id");
        if (req.containsKey("jsonrpc") && !"2.0".equals(req.get("jsonrpc"))) {
            return error(id, INVALID_REQUEST, "invalid request: jsonrpc must be \"2.0\"");
        }
        if (!(req.get("method") instanceof String method)) {
            return error(id, INVALID_REQUEST, "invalid request: method must be a string");
        }
        Object params = req.get("params");
        List<?> positional;
        if (params == null) {
            positional = List.of();
        } else if (params instanceof List<?> list) {
            positional = list;
        } else {
            return error(id, RpcException.INVALID_PARAMS, "params must be an array (positional parameters)");
        }
        Map<String, Object> answer;
        try {
            Object result = registry.call(method, positional);
            answer = envelope(id);
            answer.put("result", result);
        } catch (RpcException e) {
            answer = error(id, e.code(), e.getMessage());
        }
        return notification ? null : answer;
    }

    private static Map<String, Object> envelope(Object id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        return m;
    }

    private static Map<String, Object> error(Object id, int code, String message) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", code);
        err.put("message", message);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("error", err);
        m.put("id", id);
        return m;
    }
}
