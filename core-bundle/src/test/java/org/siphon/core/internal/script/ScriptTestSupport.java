package org.siphon.core.internal.script;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.internal.registry.FunctionRegistryImpl;
import org.siphon.core.internal.registry.PseudoVariableRegistryImpl;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.uri.Uri;

/** An engine over real registries and a recording SipCore, and a request to run scripts on. */
class ScriptTestSupport {

    final FunctionRegistryImpl functions = new FunctionRegistryImpl();
    final PseudoVariableRegistryImpl pvs = new PseudoVariableRegistryImpl();
    final List<String> replies = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    final ScriptEngine engine = new ScriptEngine(functions, pvs, (req, reason) -> replies.add("503 " + reason),
            m -> m.equals("tm"));

    final SipCore core = new SipCore() {
        @Override public int forward(ActionContext ctx, Uri target) { calls.add("forward " + target); return 1; }
        @Override public void reply(SipRequest request, int status, String reason, List<SipHeader> extra) {
            replies.add(status + " " + reason);
        }
        @Override public Destination resolve(Uri uri) { return null; }
        @Override public CompletableFuture<Void> send(byte[] bytes, Destination destination) { return null; }
        @Override public String via(Destination destination, String branch) { return null; }
        @Override public boolean isMyself(String host, int port) {
            return host.equals("127.0.0.1") && (port == 5060 || port == -1);
        }
    };

    ScriptTestSupport() {
        functions.add(List.of(
            FunctionExport.builder("t_relay", "tm").args(0, 2).routes(RouteType.REQUEST, RouteType.FAILURE)
                .handler((ctx, a) -> { calls.add("t_relay"); return 1; }).build(),
            FunctionExport.builder("ret", "tm").args(1).fixup(a -> new Object[] { Integer.parseInt(a.get(0)) })
                .handler((ctx, a) -> { calls.add("ret " + a[0]); return (Integer) a[0]; }).build(),
            FunctionExport.builder("echo", "tm").args(1).handler((ctx, a) -> { calls.add("echo " + a[0]); return 1; })
                .build()));
    }

    static SipRequest request(String ruri) {
        String text = "INVITE " + ruri + " SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
                + "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=f1\r\nTo: <sip:bob@biloxi.example.com>\r\n"
                + "Call-ID: call-1\r\nCSeq: 7 INVITE\r\nMax-Forwards: 70\r\nUser-Agent: UA/1\r\nX-Num: 42\r\n"
                + "Content-Length: 0\r\n\r\n";
        SipMessageImpl m = SipMessageParser.DEFAULT.parse(text.getBytes(StandardCharsets.UTF_8), true);
        m.source(new SipSource("udp", new InetSocketAddress("10.0.0.1", 5070), new InetSocketAddress("127.0.0.1", 5060)));
        return (SipRequest) m;
    }

    Script load(String text) throws ScriptException {
        return engine.load("test.cfg", text, Map.of());
    }

    ScriptRun run(String routeBody, SipRequest req) throws Exception {
        return ScriptEngine.run(load("request_route {\n" + routeBody + "\n}\n"), core, req, "0", RouteType.REQUEST);
    }

    ScriptRun run(String routeBody) throws Exception {
        return run(routeBody, request("sip:bob@biloxi.example.com"));
    }
}
