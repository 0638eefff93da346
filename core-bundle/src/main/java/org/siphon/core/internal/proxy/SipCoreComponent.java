package org.siphon.core.internal.proxy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.siphon.core.function.ActionContext;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipParserConfig;
import org.siphon.core.internal.transport.ListenSpec;
import org.siphon.core.internal.transport.NettyLoops;
import org.siphon.core.internal.transport.Transport;
import org.siphon.core.internal.transport.TlsLayer;
import org.siphon.core.internal.transport.Transports;
import org.siphon.core.proxy.Cancellable;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.proxy.NonSipHandler;
import org.siphon.core.proxy.TransactionLayer;
import org.siphon.core.tls.TlsProfiles;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.proxy.SipRouting;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.proxy.StatefulCore.ReplySender;
import org.siphon.core.proxy.UnresolvableException;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.Uri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP core's component: binds the transports, hands every received message to a SIP worker
 * ({@link SipTasks}, {@code children}) where {@link MessageProcessor} answers malformed requests,
 * runs the routing script ({@link SipRouting}) and forwards responses statelessly. When the
 * workers' queue is full it sheds load: requests get 503 with Retry-After from the event loop,
 * responses are dropped. The {@link SipCore} operations are delegated to their parts: sockets
 * ({@link Sockets}), replies ({@link ReplyPath}), names ({@link Resolver}), stateless forwarding
 * ({@link StatelessForwarder}), connections ({@link Connections}), workers and timer ({@link SipTasks}).
 */
@Component(service = { SipCore.class, StatefulCore.class, SipCoreComponent.class }, immediate = true, configurationPid = "org.siphon.core",
        configurationPolicy = ConfigurationPolicy.REQUIRE) // written at boot from the script's globals (ScriptParameters)
@Designate(ocd = CoreConfig.class)
public class SipCoreComponent implements SipCore, StatefulCore {

    private static final Logger LOG = LoggerFactory.getLogger(SipCoreComponent.class);

    final CoreStats stats = new CoreStats();
    private volatile SipRouting routing;
    private NettyLoops loops;
    private volatile Sockets sockets;
    private Resolver resolver;
    private ReplyPath replies;
    private StatelessForwarder forwarder;
    private SipTasks tasks;
    private MessageProcessor processor;
    private int ioThreads;
    /**
     * The transaction layers, newest first: while tm is updated the new version takes new
     * transactions and the old one, draining, still owns its own (responses, ACKs and
     * retransmissions are offered to each in turn).
     */
    private final NewestFirst<TransactionLayer> transactions = new NewestFirst<>();
    /** Who takes HTTP arriving on a SIP stream listener (xhttp), newest first. */
    private final NewestFirst<NonSipHandler> nonSipHandlers = new NewestFirst<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransactionLayer(TransactionLayer t, java.util.Map<String, Object> props) {
        transactions.add(t, props);
    }

    void removeTransactionLayer(TransactionLayer t) {
        transactions.remove(t);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addNonSipHandler(NonSipHandler h, java.util.Map<String, Object> props) {
        nonSipHandlers.add(h, props);
    }

    void removeNonSipHandler(NonSipHandler h) {
        nonSipHandlers.remove(h);
    }

    private final AtomicInteger overloadLogs = new AtomicInteger();
    /** TLS sessions, WebSocket connections and answers on a message's own connection. */
    private final Connections connections = new Connections(() -> sockets);

    /** The TLS profiles of the tls module, for tls: listeners and outgoing TLS connections. */
    private final TlsLayer tls = new TlsLayer();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTlsProfiles(TlsProfiles p) {
        tls.profiles(p);
    }

    void unsetTlsProfiles(TlsProfiles p) {
        if (tls.profiles() == p) {
            tls.profiles(null);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setRouting(SipRouting r) {
        routing = r;
    }

    void unsetRouting(SipRouting r) {
        if (routing == r) {
            routing = null;
        }
    }

    @Activate
    void activate(CoreConfig config, BundleContext context) throws Exception {
        List<ListenSpec> specs = new ArrayList<>();
        for (String l : listens(config, context)) {
            for (ListenSpec spec : ListenSpec.parse(l)) {
                // advertised_address / advertised_port: for listeners without an advertise of their own
                specs.add(spec.advertiseHost() != null || config.advertised__address().isEmpty() && config.advertised__port() <= 0
                        ? spec : new ListenSpec(spec.proto(), spec.host(), spec.port(),
                                config.advertised__address().isEmpty() ? null : config.advertised__address(),
                                Math.max(0, config.advertised__port())));
            }
        }
        resolver = new Resolver(config.dns__cache__max__ttl() * 1000L, config.dns__cache__negative__ttl() * 1000L);
        String secret = HexFormat.of().formatHex(SecureRandom.getSeed(8));
        org.osgi.framework.Version version = context.getBundle().getVersion();
        replies = new ReplyPath(() -> sockets, new Replies(secret, config.server__header().isEmpty()
                ? "Siphon (" + version.getMajor() + "." + version.getMinor() + "." + version.getMicro() + ")"
                : config.server__header()), stats);
        forwarder = new StatelessForwarder(() -> sockets, resolver, replies, stats, config.udp__mtu(),
                new ViaHandling.ReceivedPolicy(resolver, config.dns(), config.rev__dns()));
        tasks = new SipTasks(new WorkerPool(config.children(), config.queue()), stats.droppedTasks);
        processor = new MessageProcessor(new MessageProcessor.Handlers() {
            @Override
            public SipRouting routing() {
                return routing;
            }

            @Override
            public List<TransactionLayer> transactions() {
                return transactions.list();
            }

            @Override
            public List<NonSipHandler> nonSipHandlers() {
                return nonSipHandlers.list();
            }
        }, replies, connections, forwarder, stats);
        ioThreads = config.io__threads();
        loops = new NettyLoops(ioThreads);
        if ("true".equals(context.getProperty("siphon.check"))) {
            sockets = new Sockets(List.of(), List.of());
            return;
        }
        SipParserConfig parser = new SipParserConfig(config.max__message__size(), config.max__headers(), 16_384);
        try {
            List<Transport> transports = Transports.bind(specs, loops, parser, this::received,
                    new Transports.Settings(config.udp__rcvbuf(), config.tcp__connection__lifetime(),
                            config.tcp__max__connections(), config.tcp__connect__timeout(), config.tcp__msg__read__timeout(),
                            config.tcp__msg__data__timeout()), tls);
            List<String> aliases = new ArrayList<>(List.of(config.alias()));
            if (config.auto__aliases()) {
                aliases.addAll(Sockets.reverseNames(transports, resolver));
            }
            sockets = new Sockets(transports, aliases);
            connections.watch(transports);
        } catch (InterruptedException | RuntimeException e) {
            LOG.error("cannot listen on {}: {}", specs, e.toString());
            deactivate();
            throw e;
        }
        LOG.info("SIP listening on {} ({}, {} workers)", sockets.describe(), loops.isEpoll() ? "epoll" : "nio",
                config.children());
    }

    @Deactivate
    void deactivate() {
        if (sockets != null) {
            sockets.transports().forEach(Transport::close);
        }
        if (loops != null) {
            loops.shutdown();
        }
        if (tasks != null) {
            try {
                tasks.shutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code -l} addresses ({@code siphon.listen.N}) win over the configuration, which wins over the default. */
    private static List<String> listens(CoreConfig config, BundleContext context) {
        List<String> fromCommandLine = new ArrayList<>();
        for (int i = 0; context.getProperty("siphon.listen." + i) != null; i++) {
            fromCommandLine.add(context.getProperty("siphon.listen." + i));
        }
        if (!fromCommandLine.isEmpty()) {
            return fromCommandLine;
        }
        return config.listen().length > 0 ? List.of(config.listen()) : List.of("127.0.0.1:5060");
    }

    /** From an event loop: hand off to a worker, or shed load. */
    private void received(SipMessageImpl msg, Transport transport) {
        Object key = msg.callId() != null ? msg.callId() : msg.source() == null ? null : msg.source().remote();
        if (!tasks.offer(key, () -> process(msg, transport))) {
            stats.overloadRejects.increment();
            if (overloadLogs.getAndIncrement() % 1000 == 0) {
                LOG.warn("overload: the SIP workers' queue is full; answering 503 / dropping ({} so far)",
                        stats.overloadRejects.sum());
            }
            if (msg instanceof SipRequest r && msg.error() == null && !r.isMethod(SipMethods.ACK)) {
                replies.reply(r, 503, "Service Unavailable", List.of(SipHeader.of("Retry-After", "5")));
            }
        }
    }

    private void process(SipMessageImpl msg, Transport transport) {
        try {
            processor.process(msg, transport);
        } catch (RuntimeException e) {
            LOG.error("processing {} failed", msg, e);
        }
    }

    Sockets sockets() {
        return sockets;
    }

    @Override
    public int forward(ActionContext ctx, Uri target) {
        return forwarder.forward(ctx, target);
    }

    @Override
    public void reply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders) {
        replies.reply(request, status, reason, extraHeaders);
    }

    @Override
    public Destination resolve(Uri uri) throws UnresolvableException {
        return resolver.destination(uri);
    }

    @Override
    public CompletableFuture<Void> send(byte[] bytes, Destination destination) {
        return sockets.send(bytes, destination);
    }

    @Override
    public javax.net.ssl.SSLSession tlsSession(SipMessage received) {
        return connections.tlsSession(received);
    }

    @Override
    public List<org.siphon.core.proxy.WebSocketConnection> webSocketConnections() {
        return connections.webSockets();
    }

    @Override
    public long webSocketId(SipMessage received) {
        return connections.webSocketId(received);
    }

    @Override
    public boolean closeWebSocket(long id, int status, String reason) {
        return connections.closeWebSocket(id, status, reason);
    }

    @Override
    public AutoCloseable onWebSocketClosed(java.util.function.Consumer<org.siphon.core.proxy.WebSocketConnection> listener) {
        return connections.onWebSocketClosed(listener);
    }

    @Override
    public boolean pingWebSocket(long id, boolean ping, byte[] data) {
        return connections.pingWebSocket(id, ping, data);
    }

    @Override
    public boolean upgradeToWebSocket(SipRequest handshake, byte[] answer) {
        return connections.upgradeToWebSocket(handshake, answer);
    }

    @Override
    public CompletableFuture<Void> sendBack(SipMessage received, byte[] bytes, boolean close) {
        return connections.sendBack(received, bytes, close);
    }

    @Override
    public String via(Destination destination, String branch) {
        Transport t = sockets.pick(destination.transport(), destination.address());
        String hostPort = t == null ? "0.0.0.0:0" : t.viaHostPort();
        return "SIP/2.0/" + destination.transport().toUpperCase(Locale.ROOT) + " " + hostPort + ";branch=" + branch;
    }

    @Override
    public boolean isMyself(String host, int port) {
        return sockets.isMyself(host, port);
    }

    @Override
    public Outgoing prepare(ActionContext ctx, SipRequest request, Uri target, String branch)
            throws UnresolvableException {
        return forwarder.prepare(ctx, request, target, branch);
    }

    @Override
    public CompletableFuture<Void> send(Outgoing out) {
        return sockets.send(out);
    }

    @Override
    public byte[] buildReply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders, String toTag,
            String contentType, byte[] body) {
        return replies.replies().build(request, status, reason, extraHeaders, toTag, contentType, body);
    }

    @Override
    public String toTag(SipRequest request) {
        return replies.replies().toTag(request);
    }

    @Override
    public CompletableFuture<Void> sendReply(SipRequest request, byte[] bytes) {
        return replies.sender(request).send(bytes);
    }

    @Override
    public ReplySender replySender(SipRequest request) {
        return replies.sender(request);
    }

    @Override
    public String advertised(org.siphon.core.sip.SipSource source) {
        return sockets.advertised(source);
    }

    @Override
    public byte[] relayBytes(SipResponse response) {
        return StatelessForwarder.relayBytes(response);
    }

    @Override
    public void execute(Object key, Runnable task) {
        tasks.execute(key, task);
    }

    @Override
    public Cancellable schedule(Object key, long delayMillis, Runnable task) {
        return tasks.schedule(key, delayMillis, task);
    }

    /** What {@code core.ps} lists: one entry per SIP worker and per I/O thread. */
    List<java.util.Map<String, Object>> processes() {
        return tasks.processes(ioThreads, loops.isEpoll() ? "epoll" : "nio");
    }

    CoreStats stats() {
        return stats;
    }

    /** The SIP workers' queues now, for {@code /metrics}; empty while the core is not started. */
    public List<WorkerLoad> workerLoad() {
        SipTasks t = tasks;
        return t == null ? List.of() : t.load();
    }
}
