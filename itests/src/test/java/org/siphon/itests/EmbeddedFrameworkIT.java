package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.siphon.core.internal.jsonrpc.Json;

/**
 * The boot set of the distribution ({@code bundle/}) in an embedded Felix, inspected from inside:
 * every bundle active, the Gogo {@code sip:} commands answering exactly what JSON-RPC answers, and
 * a module in use refused removal without force. Services are reached by reflection: the test's
 * class space is not the bundles'.
 */
class EmbeddedFrameworkIT {

    @TempDir
    static Path dir;
    static EmbeddedSiphon siphon;
    static Framework framework;
    static RpcClient rpc;
    static Object session;

    @BeforeAll
    static void boot() throws Exception {
        siphon = EmbeddedSiphon.boot(dir, Map.of());
        framework = siphon.framework;
        rpc = siphon.rpc;
        assertTrue(SiphonServer.waitFor(10_000, () -> commandProcessor() != null), "no Gogo CommandProcessor");
        Object processor = commandProcessor();
        Method create = processor.getClass().getMethod("createSession", java.io.InputStream.class,
                java.io.OutputStream.class, java.io.OutputStream.class);
        session = create.invoke(processor, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        assertTrue(SiphonServer.waitFor(10_000, () -> {
            try {
                gogo("sip:modules");
                return true;
            } catch (Exception e) {
                return false;
            }
        }), "sip: commands not registered");
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (siphon != null) {
            siphon.close();
        }
    }

    private static Object commandProcessor() {
        return siphon.service("org.apache.felix.service.command.CommandProcessor");
    }

    /** Runs a Gogo command line and returns what the command returned (not what it printed). */
    static Object gogo(String line) throws Exception {
        Method execute = session.getClass().getMethod("execute", CharSequence.class);
        execute.setAccessible(true);
        try {
            return execute.invoke(session, line);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** Gogo answers and JSON answers compared as JSON (numbers as their JSON values). */
    private static Object asJson(Object value) throws Exception {
        return Json.parse(Json.write(value));
    }

    @Test
    void everyBundleOfTheBootSetIsActive() {
        for (Bundle b : framework.getBundleContext().getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            assertEquals(expected, b.getState(), b.getSymbolicName() + " is not " + (fragment ? "resolved" : "active"));
        }
    }

    @Test
    void gogoAndJsonRpcGiveTheSameAnswers() throws Exception {
        assertEquals(asJson(gogo("sip:modules")), asJson(rpc.call("module.list")));
        assertEquals(asJson(gogo("sip:exports core")), asJson(rpc.call("module.exports", "core")));
        assertEquals(asJson(gogo("sip:rpc system.listMethods")), asJson(rpc.call("system.listMethods")));
        assertEquals(gogo("sip:rpc core.version"), rpc.call("core.version"));
        assertEquals(asJson(gogo("sip:log tm debug")), asJson(java.util.Map.of("logger", "org.siphon.tm", "level", "debug")));
        assertEquals(asJson(gogo("sip:log")), asJson(rpc.call("log.level")));
        Exception e = assertThrows(Exception.class, () -> gogo("sip:rpc no.such.method"));
        assertTrue(e.getMessage().contains("method not found"), e.getMessage());
    }

    @Test
    void aModuleInstalledAtRuntimeShowsItsExportsAndLosesThemWhenRemoved() throws Exception {
        Map<?, ?> installed = (Map<?, ?>) gogo("sip:install " + SiphonServer.helloJar());
        assertEquals("active", installed.get("state"));
        assertEquals(asJson(gogo("sip:exports hello")), asJson(rpc.call("module.exports", "hello")));
        assertEquals("Hello from hello, eve", ((Map<?, ?>) rpc.call("hello.hello", "eve")).get("greeting"));
        assertEquals("Hello from hello, eve", ((Map<?, ?>) gogo("sip:rpc hello.hello eve")).get("greeting"));
        assertTrue(((List<?>) rpc.call("core.modules")).contains("hello"));

        ServiceRegistration<?> usage = registerUsage(Set.of("hello"));
        try {
            Exception refused = assertThrows(Exception.class, () -> gogo("sip:uninstall hello"));
            assertTrue(refused.getMessage().contains("used by"), refused.getMessage());
            assertNotNull(rpc.call("hello.hello"));
            Map<?, ?> forced = (Map<?, ?>) gogo("sip:uninstall --force hello");
            assertEquals("uninstalled", forced.get("state"));
        } finally {
            usage.unregister();
        }
        assertFalse(((List<?>) rpc.call("core.modules")).contains("hello"));
        RpcClient.RpcError gone = assertThrows(RpcClient.RpcError.class, () -> rpc.call("hello.hello"));
        assertEquals(-32601, gone.code);
        Exception none = assertThrows(Exception.class, () -> gogo("sip:exports hello"));
        assertTrue(none.getMessage().contains("no module named hello"), none.getMessage());
    }

    /**
     * Felix's own {@code update}, {@code stop} and {@code uninstall} (typed without scope, as an
     * operator used to Felix types them) go through the module service for a module: update puts
     * a new bundle beside the old one (a new bundle id, no gap), stop and uninstall of a module in
     * use are refused.
     */
    @Test
    void felixsBundleCommandsTakeTheModuleServicesPath() throws Exception {
        long id = ((Number) ((Map<?, ?>) gogo("sip:install " + SiphonServer.helloJar())).get("bundle_id")).longValue();
        try {
            Object updated = gogo("update " + id); // felix:update or sip:update, as Gogo meets them: the same path
            assertTrue(String.valueOf(updated).contains("active"), String.valueOf(updated));
            long now = moduleId("hello");
            assertTrue(now != id, "a new bundle beside the old one, not Felix's update in place: " + now + " vs " + id);
            assertEquals("Hello from hello, ann", ((Map<?, ?>) rpc.call("hello.hello", "ann")).get("greeting"));
            ServiceRegistration<?> usage = registerUsage(Set.of("hello"));
            try {
                Exception stop = assertThrows(Exception.class, () -> gogo("stop " + now));
                assertTrue(stop.getMessage().contains("used by"), stop.getMessage());
                Exception uninstall = assertThrows(Exception.class, () -> gogo("uninstall " + now));
                assertTrue(uninstall.getMessage().contains("used by"), uninstall.getMessage());
                assertEquals("Hello from hello, ann", ((Map<?, ?>) rpc.call("hello.hello", "ann")).get("greeting"), "still there");
            } finally {
                usage.unregister();
            }
            assertTrue(String.valueOf(gogo("stop " + now)).contains("resolved"));
            assertFalse(((List<?>) rpc.call("core.modules")).contains("hello"));
        } finally {
            gogo("sip:uninstall --force hello");
        }
    }

    private static long moduleId(String name) throws Exception {
        for (Object m : (List<?>) rpc.call("module.list")) {
            Map<?, ?> info = (Map<?, ?>) m;
            if (name.equals(info.get("name"))) {
                return ((Number) info.get("bundle_id")).longValue();
            }
        }
        return -1;
    }

    /** Registers a ModuleUsage naming {@code modules}, as the script engine will for its script. */
    private static ServiceRegistration<?> registerUsage(Set<String> modules) throws Exception {
        return siphon.register("org.siphon.core.module.ModuleUsage", (method, args) -> switch (method) {
            case "modulesInUse" -> modules;
            case "reason" -> "the test's routing script";
            case "usesOf" -> List.of();
            default -> throw new IllegalStateException("unexpected call of " + method);
        });
    }
}
