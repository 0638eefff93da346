package org.siphon.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.internal.jsonrpc.Json;

/** Talks JSON-RPC 2.0 over HTTP to a running server, as any client would. */
final class RpcClient {

    /** An error answer: its JSON-RPC code and message. */
    static final class RpcError extends Exception {
        private static final long serialVersionUID = 1L;
        final long code;

        RpcError(long code, String message) {
            super(code + " " + message);
            this.code = code;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;

    RpcClient(int port) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/RPC");
    }

    /** Calls {@code method} and returns its result, or throws its error. */
    Object call(String method, Object... params) throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("jsonrpc", "2.0");
        request.put("id", 1);
        request.put("method", method);
        request.put("params", List.of(params));
        HttpResponse<String> response = post(Json.write(request), "POST");
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
        }
        Map<?, ?> answer = (Map<?, ?>) Json.parse(response.body());
        if (answer.get("error") instanceof Map<?, ?> error) {
            throw new RpcError(((Number) error.get("code")).longValue(), String.valueOf(error.get("message")));
        }
        return answer.get("result");
    }

    /** Sends any body with any HTTP method, for testing bad input. */
    HttpResponse<String> post(String body, String httpMethod) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(httpMethod, HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Whether the server answers at all. */
    boolean answers() {
        try {
            call("core.version");
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
