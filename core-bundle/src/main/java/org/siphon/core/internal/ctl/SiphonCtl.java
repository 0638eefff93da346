package org.siphon.core.internal.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.siphon.core.internal.jsonrpc.Json;

/**
 * {@code bin/siphon-ctl [-s HOST:PORT] METHOD [ARGS...]}: calls one RPC method of a running Siphon
 * over JSON-RPC and prints the result, the way kamcmd does for Kamailio. Arguments that look like
 * integers are sent as numbers; prefix {@code s:} to send one as text. Exit codes: 0 success,
 * 1 the server answered with an error, 2 bad usage or the server cannot be reached.
 * <p>Runs outside OSGi, from the core bundle's jar on a plain class path, and uses only the JDK
 * and {@link Json}.
 */
public final class SiphonCtl {

    static final String DEFAULT_SERVER = "127.0.0.1:8090";

    private SiphonCtl() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv("SIPHON_RPC"), System.out, System.err));
    }

    static int run(String[] args, String envServer, PrintStream out, PrintStream err) {
        String server = envServer == null || envServer.isBlank() ? DEFAULT_SERVER : envServer;
        int i = 0;
        boolean raw = false;
        while (i < args.length && args[i].startsWith("-")) {
            switch (args[i]) {
                case "-s", "--server" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, "-s needs HOST:PORT");
                    }
                    server = args[++i];
                }
                case "-r", "--raw" -> raw = true;
                case "-h", "--help" -> {
                    usage(out, null);
                    return 0;
                }
                default -> {
                    return usage(err, "unknown option " + args[i]);
                }
            }
            i++;
        }
        if (i >= args.length) {
            return usage(err, "no method given");
        }
        String method = args[i++];
        List<Object> params = new ArrayList<>();
        while (i < args.length) {
            params.add(param(args[i++]));
        }
        String request = Json.write(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", params));
        String answer;
        try {
            answer = post(server, request);
        } catch (ConnectException e) {
            err.println("siphon-ctl: cannot reach siphon at " + server + ": connection refused (is it running? -s HOST:PORT)");
            return 2;
        } catch (IOException e) {
            err.println("siphon-ctl: cannot reach siphon at " + server + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
        Object parsed;
        try {
            parsed = Json.parse(answer);
        } catch (Json.ParseException e) {
            err.println("siphon-ctl: the server's answer is not JSON: " + answer);
            return 2;
        }
        if (!(parsed instanceof Map<?, ?> response)) {
            err.println("siphon-ctl: unexpected answer: " + answer);
            return 2;
        }
        if (response.get("error") instanceof Map<?, ?> error) {
            err.println("error: " + error.get("code") + " - " + error.get("message"));
            return 1;
        }
        Object result = response.get("result");
        if (result instanceof String s && !raw) {
            out.println(s);
        } else {
            out.println(raw ? Json.write(result) : Json.pretty(result));
        }
        return 0;
    }

    /** kamcmd's habit: integers go as numbers, {@code s:} forces text. */
    static Object param(String arg) {
        if (arg.startsWith("s:")) {
            return arg.substring(2);
        }
        if (arg.matches("-?\\d{1,18}")) {
            return Long.parseLong(arg);
        }
        return arg;
    }

    private static String post(String server, String body) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + server + "/RPC"))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " " + response.body().trim());
        }
        return response.body();
    }

    private static int usage(PrintStream s, String problem) {
        if (problem != null) {
            s.println("siphon-ctl: " + problem);
        }
        s.println("usage: siphon-ctl [-s HOST:PORT] [-r] METHOD [ARGS...]");
        s.println("  -s HOST:PORT  server's JSON-RPC address (default $SIPHON_RPC or " + DEFAULT_SERVER + ")");
        s.println("  -r            print the result as compact JSON");
        s.println("  ARGS          integers are sent as numbers; prefix s: to send text (s:123)");
        s.println("  siphon-ctl system.listMethods   lists the methods");
        return 2;
    }
}
