package org.siphon.websocket.internal;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.sip.SipRequest;
import org.siphon.xhttp.XhttpApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code websocket}, as Kamailio's: {@code ws_handle_handshake()} in
 * {@code event_route[xhttp:request]} checks a WebSocket opening handshake (RFC 6455) offering the
 * {@code sip} sub-protocol (RFC 7118), answers {@code 101 Switching Protocols} and has the core
 * switch the connection to WebSocket framing: from then on its messages are SIP of transport
 * {@code ws} ({@code wss} on a TLS listener), routed by the request route like any other. A bad
 * handshake is answered with the HTTP error it deserves (400, 405, 426, 505) and the function
 * returns 0, ending the route, as Kamailio's does.
 */
@Component(immediate = true, configurationPid = "org.siphon.websocket", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = WebsocketComponent.Config.class)
public class WebsocketComponent implements SiphonModule {

    static final Logger LOG = LoggerFactory.getLogger(WebsocketComponent.class);
    static final String MODULE = "websocket";

    @ObjectClassDefinition(name = "Siphon module websocket")
    public @interface Config {
        @AttributeDefinition(description = "Keepalives on idle WebSocket connections: 0 none, 1 ping (a peer that does not "
                + "answer is closed), 2 unsolicited pong (default 1); applies at the next round")
        int keepalive__mechanism() default 1;

        @AttributeDefinition(description = "Seconds without a frame either way after which a connection gets a keepalive; "
                + "a ping still unanswered after as long again closes it (default 180)")
        int keepalive__timeout() default 180;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " one timer thread of the module sends the keepalives")
        int keepalive__processes() default 1;

        @AttributeDefinition(description = "Seconds between two keepalive rounds over the connections (default 1)")
        int keepalive__interval() default 1;

        @AttributeDefinition(description = "Application data of the keepalive pings and pongs, at most 125 bytes "
                + "(default: Siphon)")
        String ping__application__data() default "";

        @AttributeDefinition(description = "Sub-protocols accepted: 1 sip, 2 msrp, 3 both (default 1: Siphon has no msrp module)")
        int sub__protocols() default 1;

        @AttributeDefinition(description = "Access-Control-Allow-Origin on the 101: 0 none, 1 *, 2 the request's Origin (default 0)")
        int cors__mode() default 0;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " keepalive rounds log at DEBUG") int verbose__list() default 0;
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " Siphon has no KEMI scripts") String event__callback() default "";
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " a closed connection is forgotten at once") int timer__interval() default 1;
        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " connections end with their TCP connection") int rm__delay__interval() default 5;
    }

    @Reference
    SipCore core;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile XhttpApi xhttp;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile org.siphon.core.function.EventRoutes eventRoutes;
    private AutoCloseable closedWatch;

    private volatile Config config;
    private final LongAdder successful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    /** ws.disable / ws.enable: whether handshakes are accepted. */
    private volatile boolean enabled = true;
    private final Keepalive keepalive = new Keepalive(() -> core, System::currentTimeMillis);
    private static final String SERVER_NAME = "Siphon";
    private java.util.concurrent.ScheduledExecutorService timer;
    private long nextRound;

    @Activate
    void activate(Config c) {
        config = c;
        nextRound = System.currentTimeMillis() + Math.max(1, c.keepalive__interval()) * 1000L;
        timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "websocket-keepalive");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, 250, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
        java.util.concurrent.ScheduledExecutorService t = timer;
        closedWatch = core.onWebSocketClosed(conn -> {
            try {
                t.execute(() -> closed(conn));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("websocket: stopping, event_route[websocket:closed] not run for {}", conn.id());
            }
        });
    }

    @Deactivate
    void deactivate() {
        if (closedWatch != null) {
            try {
                closedWatch.close();
            } catch (Exception e) {
                LOG.debug("websocket: {}", e.toString());
            }
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * {@code cfg.reload} and live modparams: sub_protocols and cors_mode apply to the next
     * handshake, the keepalive parameters to the next round.
     */
    @Modified
    void modified(Config c) {
        config = c;
    }

    /** Every 250 ms: a keepalive round when keepalive_interval has passed since the last (so a new interval applies at once). */
    private void tick() {
        try {
            Config c = config;
            long now = System.currentTimeMillis();
            if (c.keepalive__mechanism() == Keepalive.NONE || now < nextRound) {
                return;
            }
            nextRound = now + Math.max(1, c.keepalive__interval()) * 1000L;
            keepalive.round(keepaliveSettings(c));
        } catch (RuntimeException e) {
            LOG.error("websocket: keepalive round failed", e);
        }
    }

    Keepalive.Settings keepaliveSettings(Config c) {
        String data = c.ping__application__data().isEmpty() ? SERVER_NAME : c.ping__application__data();
        byte[] bytes = data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Keepalive.Settings(c.keepalive__mechanism(), Math.max(1, c.keepalive__timeout()),
                bytes.length <= 125 ? bytes : java.util.Arrays.copyOf(bytes, 125));
    }

    static final String CLOSED_ROUTE = "websocket:closed";
    static final String CONID = "websocket.conid";

    /**
     * {@code event_route[websocket:closed]}, on the module's timer thread: run over a made-up
     * OPTIONS whose source is the connection ({@code $si}, {@code $sp}, {@code $pr}), with
     * {@code $ws_conid} its id, as Kamailio runs it.
     */
    void closed(org.siphon.core.proxy.WebSocketConnection c) {
        org.siphon.core.function.EventRoutes routes = eventRoutes;
        if (routes == null || !routes.has(CLOSED_ROUTE)) {
            return;
        }
        String peer = hostPort(c.remote());
        String text = "OPTIONS sip:" + peer + ";transport=" + c.transport() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + c.transport().toUpperCase(java.util.Locale.ROOT) + " " + peer + ";branch=z9hG4bKwsclosed" + c.id()
                + "\r\nFrom: <sip:websocket@" + peer + ">;tag=ws" + c.id() + "\r\nTo: <sip:" + peer + ">\r\n"
                + "Call-ID: websocket-closed-" + c.id() + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        try {
            org.siphon.core.sip.SipMessage msg = org.siphon.core.sip.SipMessages.parse(
                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    new org.siphon.core.sip.SipSource(c.transport(), c.remote(), c.local()));
            routes.run(CLOSED_ROUTE, msg, java.util.Map.of(CONID, c.id()));
        } catch (RuntimeException e) {
            LOG.warn("websocket: event_route[{}] failed for connection {}", CLOSED_ROUTE, c.id(), e);
        }
    }

    private static String hostPort(java.net.InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    /** One keepalive round now (tests). */
    void keepaliveRound() {
        keepalive.round(keepaliveSettings(config));
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(FunctionExport.builder("ws_handle_handshake", MODULE).args(0).routes(java.util.EnumSet.allOf(RouteType.class))
                .description("Answers a WebSocket handshake (event_route[xhttp:request]) and switches the connection to SIP over "
                        + "WebSocket: 1; 0 (the route ends) after answering a bad handshake with an HTTP error.")
                .handler((ctx, args) -> handshake(ctx)).build(),
                FunctionExport.builder("ws_close", MODULE).args(0, 3).routes(java.util.EnumSet.allOf(RouteType.class))
                        .fixup(WebsocketComponent::closeArgs)
                        .description("Closes the message's WebSocket connection (or connection_id) with status (1000) and reason: "
                                + "1, or -1 when there is no such connection.")
                        .handler(this::close).build());
    }

    @Override
    public List<org.siphon.core.pv.PseudoVariableExport> pseudoVariables() {
        return List.of(org.siphon.core.pv.PseudoVariableExport.builder("ws_conid", MODULE)
                .description("The WebSocket connection the message came on (ws.dump, ws.close, ws_close), $null otherwise")
                .getter((ctx, name) -> {
                    if (ctx.attribute(CONID) instanceof Long closed) {
                        return closed; // event_route[websocket:closed]
                    }
                    long id = ctx.message() == null ? -1 : core.webSocketId(ctx.message());
                    return id < 0 ? null : id;
                }).build());
    }

    @Override
    public List<org.siphon.core.rpc.RpcCommand> rpcCommands() {
        return List.of(
                new org.siphon.core.rpc.RpcCommand("ws.dump", MODULE, "[id_hash|used_desc|used_asc]", "The open WebSocket "
                        + "connections: id, transport, peer, local socket, mode (server/client), state, seconds open and since "
                        + "the last frame, awaiting_pong; in id order, or by last use.", p -> dump(p.size() > 0 ? p.string(0) : "id_hash")),
                new org.siphon.core.rpc.RpcCommand("ws.close", MODULE, "id", "Closes WebSocket connection id (status 1000).", p -> {
                    p.expect(1, 1, "id");
                    if (!core.closeWebSocket(p.integer(0), 1000, "Normal closure")) {
                        throw new org.siphon.core.rpc.RpcException(404, "no WebSocket connection " + p.integer(0) + " (ws.dump lists them)");
                    }
                    return "ok";
                }),
                new org.siphon.core.rpc.RpcCommand("ws.ping", MODULE, "id", "Sends a ping on WebSocket connection id.",
                        p -> pingPong(p, true)),
                new org.siphon.core.rpc.RpcCommand("ws.pong", MODULE, "id", "Sends an unsolicited pong on WebSocket connection id.",
                        p -> pingPong(p, false)),
                new org.siphon.core.rpc.RpcCommand("ws.disable", MODULE, "", "Refuses new WebSocket handshakes (503) until "
                        + "ws.enable; open connections stay.", p -> {
                            enabled = false;
                            return "ok";
                        }),
                new org.siphon.core.rpc.RpcCommand("ws.enable", MODULE, "", "Accepts WebSocket handshakes again.", p -> {
                    enabled = true;
                    return "ok";
                }));
    }

    private Object pingPong(org.siphon.core.rpc.RpcParams p, boolean ping) throws org.siphon.core.rpc.RpcException {
        p.expect(1, 1, "id");
        if (!core.pingWebSocket(p.integer(0), ping, keepaliveSettings(config).applicationData())) {
            throw new org.siphon.core.rpc.RpcException(404, "no WebSocket connection " + p.integer(0) + " (ws.dump lists them)");
        }
        return "ok";
    }

    /** ws.dump: Kamailio's fields as a structure per connection, in {@code order}. */
    Object dump(String order) throws org.siphon.core.rpc.RpcException {
        java.util.Comparator<org.siphon.core.proxy.WebSocketConnection> by = switch (order) {
            case "id_hash" -> java.util.Comparator.comparingLong(org.siphon.core.proxy.WebSocketConnection::id);
            case "used_desc" -> java.util.Comparator.comparingLong(org.siphon.core.proxy.WebSocketConnection::lastUsedMillis).reversed();
            case "used_asc" -> java.util.Comparator.comparingLong(org.siphon.core.proxy.WebSocketConnection::lastUsedMillis);
            default -> throw new org.siphon.core.rpc.RpcException(400, "bad display order \"" + order
                    + "\": id_hash, used_desc or used_asc");
        };
        long now = System.currentTimeMillis();
        List<Object> list = new java.util.ArrayList<>();
        for (org.siphon.core.proxy.WebSocketConnection c : core.webSocketConnections().stream().sorted(by).toList()) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("id", c.id());
            m.put("transport", c.transport());
            m.put("src", c.remote().getAddress().getHostAddress() + ":" + c.remote().getPort());
            m.put("dst", c.local().getAddress().getHostAddress() + ":" + c.local().getPort());
            m.put("mode", c.client() ? "client" : "server");
            m.put("state", c.state());
            m.put("sub_protocol", "sip");
            m.put("open_seconds", (now - c.openedMillis()) / 1000);
            m.put("last_used_seconds", Math.max(0, (now - c.lastUsedMillis()) / 1000));
            m.put("awaiting_pong", c.awaitingPong());
            list.add(m);
        }
        return java.util.Map.of("connections", list, "info", java.util.Map.of("wscounter", list.size(), "truncated", "no"));
    }

    /** {@code ws_close([status, reason[, connection_id]])}: 1 when closed, -1 when there is no such connection. */
    int close(ActionContext ctx, Object[] args) {
        int status = args.length > 0 ? (Integer) args[0] : 1000;
        String reason = args.length > 1 ? (String) args[1] : "Normal closure";
        long id = args.length > 2 ? (Long) args[2] : ctx.message() == null ? -1 : core.webSocketId(ctx.message());
        return id >= 0 && core.closeWebSocket(id, status, reason) ? 1 : -1;
    }

    static Object[] closeArgs(List<String> args) {
        Object[] out = new Object[args.size()];
        if (args.size() == 1) {
            throw new IllegalArgumentException("ws_close takes no argument, status and reason, or status, reason and connection id");
        }
        if (args.size() > 0) {
            int status;
            try {
                status = Integer.parseInt(args.get(0).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ws_close: the status must be a number, not \"" + args.get(0) + "\"");
            }
            if (status < 1000 || status > 4999) {
                throw new IllegalArgumentException("ws_close: the status must be 1000..4999, not " + status);
            }
            out[0] = status;
            out[1] = args.get(1);
        }
        if (args.size() > 2) {
            try {
                out[2] = Long.parseLong(args.get(2).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ws_close: the connection id must be a number, not \"" + args.get(2) + "\"");
            }
        }
        return out;
    }

    @Override
    public java.util.Map<String, Object> statistics() {
        return java.util.Map.of("websocket:successful_handshakes", successful.sum(), "websocket:failed_handshakes", failed.sum(),
                "websocket:ws_current_connections", (long) core.webSocketConnections().size(),
                "websocket:keepalive_pings", keepalive.pings.sum(), "websocket:keepalive_pongs", keepalive.pongs.sum(),
                "websocket:keepalive_closed_connections", keepalive.closed.sum());
    }

    int handshake(ActionContext ctx) {
        XhttpApi api = xhttp;
        if (api == null || !(ctx.message() instanceof SipRequest r) || !r.isHttp()) {
            LOG.warn("websocket: ws_handle_handshake() needs module xhttp and an HTTP request (event_route[xhttp:request])");
            failed.increment();
            return 0;
        }
        if (!enabled) {
            failed.increment();
            LOG.info("websocket: handshake from {} refused: WebSockets disabled (ws.disable)", r.source());
            api.reply(ctx, 503, "Service Unavailable", "text/plain", "503 Service Unavailable\n");
            return 0;
        }
        Config c = config;
        Handshake.Result result = Handshake.check(r, c.sub__protocols(), c.cors__mode(), "Siphon");
        if (!result.ok()) {
            failed.increment();
            LOG.info("websocket: handshake from {} refused: {} {}", r.source(), result.status(), result.reason());
            api.reply(ctx, result.status(), result.reason(), "text/plain", result.status() + " " + result.reason() + "\n");
            return 0;
        }
        if (!api.claim(ctx) || !core.upgradeToWebSocket(r, result.answer())) {
            failed.increment();
            LOG.info("websocket: handshake from {}: the connection is gone or was answered already", r.source());
            return 0;
        }
        successful.increment();
        LOG.debug("websocket: {} switched to SIP over WebSocket", r.source());
        return 1;
    }
}
