package org.siphon.core.internal.proxy;

import java.net.InetSocketAddress;
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
import org.siphon.core.sip.SipSource;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.util.concurrent.TimeUnit;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.proxy.SipRouting;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.proxy.StatefulCore.ReplySender;
import org.siphon.core.proxy.UnresolvableException;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP core: binds the transports, runs every received message on the bounded pool of SIP
 * workers ({@code children}), answers malformed requests, hands well-formed ones to the routing
 * script ({@link SipRouting}) and forwards responses statelessly. When the workers' queue is full
 * it sheds load: requests get 503 with Retry-After from the event loop, responses are dropped.
 */
@Component(service = { SipCore.class, StatefulCore.class, SipCoreComponent.class }, immediate = true, configurationPid = "org.siphon.core",
        configurationPolicy = ConfigurationPolicy.REQUIRE) // written at boot from the script's globals (ScriptParameters)
@Designate(ocd = CoreConfig.class)
public class SipCoreComponent implements SipCore, StatefulCore {

    private static final Logger LOG = LoggerFactory.getLogger(SipCoreComponent.class);

    final CoreStats stats = new CoreStats();
    private volatile SipRouting routing;
    private NettyLoops loops;
    private Sockets sockets;
    private Resolver resolver;
    private Replies replies;
    private StatelessForwarder forwarder;
    private WorkerPool workers;
    private int ioThreads;
    private final HashedWheelTimer timer = new HashedWheelTimer(r -> {
        Thread t = new Thread(r, "siphon-timer");
        t.setDaemon(true);
        return t;
    }, 10, TimeUnit.MILLISECONDS, 1024);
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

    /** The transaction layers, newest first (usually one; two while tm is updated). */
    List<TransactionLayer> transactions() {
        return transactions.list();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addNonSipHandler(NonSipHandler h, java.util.Map<String, Object> props) {
        nonSipHandlers.add(h, props);
    }

    void removeNonSipHandler(NonSipHandler h) {
        nonSipHandlers.remove(h);
    }

    /** The handlers of non-SIP (HTTP) requests, newest first. */
    List<NonSipHandler> nonSipHandlers() {
        return nonSipHandlers.list();
    }
    private final AtomicInteger overloadLogs = new AtomicInteger();
    /** TLS sessions, WebSocket connections and answers on a message's own connection. */
    private final Connections connections = new Connections(() -> sockets);
    private final MessageProcessor processor = new MessageProcessor(this);

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
        replies = new Replies(secret, config.server__header().isEmpty()
                ? "Siphon (" + version.getMajor() + "." + version.getMinor() + "." + version.getMicro() + ")"
                : config.server__header());
        forwarder = new StatelessForwarder(this, config.udp__mtu(),
                new ViaHandling.ReceivedPolicy(resolver, config.dns(), config.rev__dns()));
        workers = new WorkerPool(config.children(), config.queue());
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
        timer.stop();
        if (sockets != null) {
            sockets.transports().forEach(Transport::close);
        }
        if (loops != null) {
            loops.shutdown();
        }
        if (workers != null) {
            try {
                workers.shutdown();
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
        if (!workers.execute(key, () -> process(msg, transport))) {
            stats.overloadRejects.increment();
            if (overloadLogs.getAndIncrement() % 1000 == 0) {
                LOG.warn("overload: the SIP workers' queue is full; answering 503 / dropping ({} so far)",
                        stats.overloadRejects.sum());
            }
            if (msg instanceof SipRequest r && msg.error() == null && !r.isMethod(SipMethods.ACK)) {
                reply(r, 503, "Service Unavailable", List.of(SipHeader.of("Retry-After", "5")));
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

    SipRouting routing() {
        return routing;
    }

    Sockets sockets() {
        return sockets;
    }

    Resolver resolver() {
        return resolver;
    }

    Replies replies() {
        return replies;
    }

    StatelessForwarder forwarder() {
        return forwarder;
    }

    @Override
    public int forward(ActionContext ctx, Uri target) {
        return forwarder.forward(ctx, target);
    }

    @Override
    public void reply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders) {
        byte[] bytes = replies.build(request, status, reason, extraHeaders);
        Destination dest = replyDestination(request);
        Transport t = dest == null ? null : sockets.forLocal(request.source().local(), dest);
        if (t == null) {
            LOG.info("cannot answer {} {}: no way back to {}", request.method(), request.callId(), request.source());
            return;
        }
        stats.sentReplies.increment();
        boolean connect = !(request instanceof SipMessageImpl m && m.replyNoConnect());
        sendAndLog(t, bytes, dest, Integer.toString(status), connect);
    }

    /** Replies unless the request is an ACK (which is never answered). */
    void replyUnlessAck(SipRequest request, int status, String reason) {
        if (request.method() != null && !request.isMethod(SipMethods.ACK)) {
            reply(request, status, reason, List.of());
        }
    }

    /** RFC 3261 §18.2.2 with RFC 3581: the source address, the source port when rport was asked for. */
    private static Destination replyDestination(SipRequest request) {
        if (request.source() == null || request.source().remote() == null) {
            return null;
        }
        InetSocketAddress src = request.source().remote();
        String proto = request.source().transport();
        if (!proto.equals("udp") || request.topVia() == null || request.topVia().hasRport() || Replies.forceRport(request)) {
            return new Destination(proto, src);
        }
        int port = request.topVia().port() > 0 ? request.topVia().port() : 5060;
        return new Destination(proto, new InetSocketAddress(src.getAddress(), port));
    }

    void sendAndLog(Transport t, byte[] bytes, Destination dest, String what) {
        sendAndLog(t, bytes, dest, what, true);
    }

    void sendAndLog(Transport t, byte[] bytes, Destination dest, String what, boolean connect) {
        t.send(bytes, dest.address(), connect).whenComplete((v, e) -> {
            if (e != null) {
                LOG.info("sending {} to {} failed: {}", what, dest, e.toString());
            }
        });
    }

    @Override
    public Destination resolve(Uri uri) throws UnresolvableException {
        if (!(uri instanceof SipUri u)) {
            throw new UnresolvableException("not a SIP URI: " + uri);
        }
        String transport = u.isSecure() ? "tls" : u.transport() != null ? u.transport() : "udp";
        if (!ListenSpec.PROTOCOLS.contains(transport) && !Connections.isWebSocket(transport)) {
            throw new UnresolvableException("transport " + transport + " is not supported");
        }
        return new Destination(transport, new InetSocketAddress(resolver.resolve(u.host()), u.portOrDefault()));
    }

    @Override
    public CompletableFuture<Void> send(byte[] bytes, Destination destination) {
        Transport t = sockets.pick(destination.transport(), destination.address());
        if (t == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no " + destination.transport()
                    + " socket for " + destination));
        }
        return t.send(bytes, destination.address(), !Connections.isWebSocket(destination.transport()));
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
        Transport t = sockets.forLocal(out.socket(), out.destination());
        if (t == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no socket for " + out.destination()));
        }
        return t.send(out.bytes(), out.destination().address(), out.connect() && !Connections.isWebSocket(out.destination().transport()));
    }

    @Override
    public byte[] buildReply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders, String toTag,
            String contentType, byte[] body) {
        return replies.build(request, status, reason, extraHeaders, toTag, contentType, body);
    }

    @Override
    public String toTag(SipRequest request) {
        return replies.toTag(request);
    }

    @Override
    public CompletableFuture<Void> sendReply(SipRequest request, byte[] bytes) {
        return replySender(request).send(bytes);
    }

    @Override
    public ReplySender replySender(SipRequest request) {
        Destination dest = replyDestination(request);
        SipSource source = request.source();
        boolean connect = !(request instanceof SipMessageImpl m && m.replyNoConnect());
        return bytes -> {
            Transport t = dest == null ? null : sockets.forLocal(source.local(), dest);
            if (t == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("no way back to " + source));
            }
            stats.sentReplies.increment();
            CompletableFuture<Void> sent = t.send(bytes, dest.address(), connect && !Connections.isWebSocket(dest.transport()));
            // set_reply_close(): the connection ends after the final reply ("SIP/2.0 1xx" is provisional)
            if (request instanceof SipMessageImpl m && m.replyClose() && bytes.length > 8 && bytes[8] != '1') {
                Transports.closeConnection(t, dest.address());
            }
            return sent;
        };
    }

    @Override
    public String advertised(org.siphon.core.sip.SipSource source) {
        if (source == null || source.local() == null) {
            return null;
        }
        for (Transport t : sockets.transports()) {
            if (t.proto().equals(Transports.carrier(source.transport())) && t.local().equals(source.local())) {
                return t.viaHostPort();
            }
        }
        return null;
    }

    @Override
    public byte[] relayBytes(SipResponse response) {
        return StatelessForwarder.relayBytes(response);
    }

    @Override
    public void execute(Object key, Runnable task) {
        if (!workers.execute(key, () -> runSafely(task))) {
            // a full queue never loses timer or transaction work: try again shortly
            timer.newTimeout(t -> execute(key, task), 5, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public Cancellable schedule(Object key, long delayMillis, Runnable task) {
        Timeout timeout = timer.newTimeout(t -> execute(key, task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return timeout::cancel;
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a task of a module version that was updated away (its classes are gone)
            LOG.error("a SIP task failed", e);
        }
    }

    /** What {@code core.ps} lists: one entry per SIP worker and per I/O thread. */
    List<java.util.Map<String, Object>> processes() {
        List<java.util.Map<String, Object>> out = new ArrayList<>();
        long pid = ProcessHandle.current().pid();
        for (int i = 0; i < workers.size(); i++) {
            out.add(java.util.Map.of("IDX", out.size(), "PID", pid, "DSC", "SIP worker " + (i + 1)));
        }
        for (int i = 0; i < ioThreads; i++) {
            out.add(java.util.Map.of("IDX", out.size(), "PID", pid, "DSC", "I/O event loop " + (i + 1) + " ("
                    + (loops.isEpoll() ? "epoll" : "nio") + ")"));
        }
        return out;
    }

    CoreStats stats() {
        return stats;
    }

    /** The SIP workers' queues now, for {@code /metrics}; empty while the core is not started. */
    public List<WorkerLoad> workerLoad() {
        WorkerPool w = workers;
        return w == null ? List.of() : w.load();
    }
}
