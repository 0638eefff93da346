package org.siphon.itests;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The distribution's boot set ({@code bundle/}) in an embedded Felix, for tests that need to look
 * inside or to plug in a service. Services are reached by reflection: the test's class space is
 * not the bundles'.
 */
final class EmbeddedSiphon implements AutoCloseable {

    final Framework framework;
    final RpcClient rpc;

    private EmbeddedSiphon(Framework framework, RpcClient rpc) {
        this.framework = framework;
        this.rpc = rpc;
    }

    /**
     * Boots with a private cache and home (its {@code data/} database) under {@code dir}; {@code extra}
     * are more framework properties.
     */
    static EmbeddedSiphon boot(Path dir, Map<String, String> extra) throws Exception {
        int port = SiphonServer.freePort();
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("org.osgi.framework.bsnversion", "multiple");
        config.put("siphon.rpc", "127.0.0.1:" + port);
        config.put("gosh.args", "--nointeractive");
        config.putIfAbsent("siphon.listen.0", "udp:127.0.0.1:" + SiphonServer.freePort());
        config.put("siphon.cfg", SiphonServer.distribution().resolve("config/siphon.cfg").toAbsolutePath().toString());
        // relative paths (the H2 database data/siphon, dispatcher.list …) under the test's folder, not the working directory
        config.put("siphon.home", dir.toAbsolutePath().toString());
        config.putAll(extra);
        System.setProperty("gosh.home", SiphonServer.distribution().toAbsolutePath().toString());
        System.setProperty("org.jline.terminal.dumb", "true");
        Framework fw = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        fw.start();
        BundleContext ctx = fw.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        try (var jars = Files.list(SiphonServer.distribution().resolve("bundle"))) {
            for (Path jar : (Iterable<Path>) jars.sorted()::iterator) {
                installed.add(ctx.installBundle(jar.toUri().toString()));
            }
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        RpcClient rpc = new RpcClient(port);
        if (!SiphonServer.waitFor(10_000, rpc::answers)) {
            fw.stop();
            throw new IllegalStateException("JSON-RPC did not come up");
        }
        return new EmbeddedSiphon(fw, rpc);
    }

    /** The service object registered under {@code type}, or null (any class space). */
    Object service(String type) {
        try {
            ServiceReference<?>[] refs = framework.getBundleContext().getAllServiceReferences(type, null);
            return refs == null ? null : framework.getBundleContext().getService(refs[0]);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Class<?> coreClass(String name) throws ClassNotFoundException {
        Bundle core = List.of(framework.getBundleContext().getBundles()).stream()
                .filter(b -> "org.siphon.core".equals(b.getSymbolicName())).findFirst().orElseThrow();
        return core.loadClass(name);
    }

    /** Handles one call of a registered proxy: method name and arguments in, result out. */
    interface Calls {
        Object call(String method, Object[] args) throws Exception;
    }

    /** Registers a dynamic proxy for the core interface {@code type}, answering through {@code calls}. */
    ServiceRegistration<?> register(String type, Calls calls) throws Exception {
        return registerRanked(type, 0, calls);
    }

    /** As {@link #register}, with a service ranking (a test's routing outranks the script's). */
    ServiceRegistration<?> registerRanked(String type, int ranking, Calls calls) throws Exception {
        Class<?> cls = coreClass(type);
        Object proxy = Proxy.newProxyInstance(cls.getClassLoader(), new Class<?>[] { cls }, (p, m, args) -> {
            switch (m.getName()) {
                case "toString": return "test " + cls.getSimpleName();
                case "hashCode": return System.identityHashCode(p);
                case "equals": return p == args[0];
                default: return calls.call(m.getName(), args);
            }
        });
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put(Constants.SERVICE_RANKING, ranking);
        return framework.getBundleContext().registerService(cls.getName(), proxy, props);
    }

    /** Calls a public method by name on a service object from the bundles' class space. */
    static Object invoke(Object target, String method, Object... args) throws Exception {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                try {
                    m.setAccessible(true);
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
        }
        throw new NoSuchMethodException(method);
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(20_000);
    }
}
