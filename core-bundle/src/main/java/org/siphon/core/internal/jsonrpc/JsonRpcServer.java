package org.siphon.core.internal.jsonrpc;

import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.internal.proxy.SipCoreComponent;
import org.siphon.core.module.ModuleService;
import org.siphon.core.rpc.RpcRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 over HTTP for {@code bin/siphon-ctl} and any HTTP client, the counterpart of
 * Kamailio's jsonrpcs module. One NIO event loop accepts and parses; calls run on a small
 * bounded pool ({@link Config#workers()} threads, {@link Config#queue()} waiting), beyond which
 * clients get HTTP 503. Binds to loopback by default: the interface has no authentication.
 */
@Component(immediate = true, configurationPid = "org.siphon.jsonrpc", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = JsonRpcServer.Config.class)
public class JsonRpcServer {

    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcServer.class);

    /** The framework property {@code bin/siphon --rpc HOST:PORT} sets. */
    static final String LISTEN_PROPERTY = "siphon.rpc";
    static final String DEFAULT_LISTEN = "127.0.0.1:8090";

    @ObjectClassDefinition(name = "Siphon JSON-RPC", description = "JSON-RPC 2.0 over HTTP")
    public @interface Config {
        @AttributeDefinition(description = "HOST:PORT to listen on; empty means the siphon.rpc framework property, "
                + "else 127.0.0.1:8090. Use off to disable.")
        String listen() default "";

        @AttributeDefinition(description = "Largest request body accepted, in bytes (default 1 MiB).")
        int max__request__size() default 1 << 20;

        @AttributeDefinition(description = "Threads that run RPC calls (default 2).")
        int workers() default 2;

        @AttributeDefinition(description = "Calls that may wait for a worker before clients get 503 (default 64).")
        int queue() default 64;
    }

    @Reference
    private RpcRegistry registry;
    /** For {@code /metrics}: the SIP workers' queues, when the core runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SipCoreComponent core;
    /** For {@code /metrics}: the modules' states and exports. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModuleService modules;

    private EventLoopGroup group;
    private ThreadPoolExecutor executor;
    private Channel channel;

    @SuppressWarnings("unchecked")
    @Activate
    void activate(Config config, BundleContext context) throws InterruptedException {
        String listen = config.listen().isBlank() ? context.getProperty(LISTEN_PROPERTY) : config.listen();
        if (listen == null || listen.isBlank()) {
            listen = DEFAULT_LISTEN;
        }
        if ("off".equalsIgnoreCase(listen.trim())) {
            LOG.info("JSON-RPC over HTTP is off");
            return;
        }
        InetSocketAddress address = parseAddress(listen.trim());
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(config.workers(), config.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queue()), r -> {
                    Thread t = new Thread(r, "siphon-rpc-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("siphon-rpc-io", true),
                NioIoHandler.newFactory());
        JsonRpcDispatcher dispatcher = new JsonRpcDispatcher(registry);
        Metrics metrics = new Metrics(() -> {
            try {
                return registry.call("stats.get_statistics", java.util.List.of("all")) instanceof java.util.Map<?, ?> m
                        ? (java.util.Map<String, Object>) m : java.util.Map.of();
            } catch (org.siphon.core.rpc.RpcException e) {
                return java.util.Map.of();
            }
        }, () -> {
            SipCoreComponent c = core;
            return c == null ? java.util.List.of() : c.workerLoad();
        }, () -> {
            ModuleService m = modules;
            try {
                return m == null ? java.util.List.of() : m.list();
            } catch (RuntimeException e) {
                // a bundle went away while it was listed: this scrape goes without the module gauges
                LOG.debug("/metrics: module.list failed: {}", e.toString());
                return java.util.List.of();
            }
        }, executor);
        int maxSize = config.max__request__size();
        try {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ReadTimeoutHandler(60), new HttpServerCodec(),
                                    new HttpObjectAggregator(maxSize), new JsonRpcHttpHandler(dispatcher, executor, metrics));
                        }
                    }).bind(address).sync().channel();
        } catch (Exception e) {
            LOG.error("JSON-RPC cannot listen on {}: {}", listen, e.toString());
            deactivate();
            throw e;
        }
        LOG.info("JSON-RPC listening on http://{}/RPC (Prometheus metrics on /metrics)", listen);
    }

    @Deactivate
    void deactivate() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            channel = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            group = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    /** {@code HOST:PORT} or {@code [IPv6]:PORT}. */
    static InetSocketAddress parseAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("RPC listen address must be HOST:PORT, not " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in RPC listen address " + text);
        }
        return new InetSocketAddress(host, port);
    }
}
