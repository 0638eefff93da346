package org.siphon.xcap_server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.xhttp.XhttpApi;
import org.siphon.test.StubSipCore;
import org.siphon.test.TestActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.test.TestDatabase;

class XcapServerComponentTest {

    static XcapServerComponent.Config config(Object... overrides) {
        return org.siphon.test.TestConfigs.of(XcapServerComponent.Config.class, overrides);
    }

    /** An HTTP request as xhttp hands it over: method, target, headers, body. */
    static SipRequest http(String method, String target, String body, String... headers) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i].toLowerCase(), headers[i + 1]);
        }
        return (SipRequest) Proxy.newProxyInstance(SipRequest.class.getClassLoader(), new Class<?>[] { SipRequest.class },
                (p, m, a) -> switch (m.getName()) {
                    case "method" -> method;
                    case "version" -> "HTTP/1.1";
                    case "isHttp" -> true;
                    case "target" -> target;
                    case "headerValue" -> h.get(((String) a[0]).toLowerCase());
                    case "header" -> h.containsKey(((String) a[0]).toLowerCase())
                            ? SipHeader.of((String) a[0], h.get(((String) a[0]).toLowerCase())) : null;
                    case "body" -> body.getBytes(StandardCharsets.UTF_8);
                    case "source" -> null;
                    case "toString" -> method + " " + target;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** The attribute of the test's xhttp stub: whether the request is answered. */
    static final String ANSWERED = "test.answered";

    /** xhttp as seen by xcap_server: claim takes a request in its route once. */
    static final XhttpApi XHTTP = new XhttpApi() {
        @Override
        public int reply(ActionContext ctx, int code, String reason, String contentType, String body) {
            throw new UnsupportedOperationException("xcap_server replies with its ETag through the core");
        }

        @Override
        public boolean claim(ActionContext ctx) {
            return ctx.attribute(ANSWERED) instanceof AtomicBoolean a && a.compareAndSet(false, true);
        }
    };

    /** The route's context (xhttp's event route): the message and its attributes (the stub's answered flag among them). */
    static ActionContext context(SipRequest request, Map<String, Object> attributes) {
        TestActionContext c = new TestActionContext(request, RouteType.EVENT);
        attributes.forEach(c::attribute);
        return c;
    }

    final StubSipCore core = new StubSipCore();
    TestDatabase h2;
    XcapServerComponent component;

    @AfterEach
    void closeDatabase() {
        h2.close();
    }

    @BeforeEach
    void setUp() {
        h2 = new TestDatabase();
        component = new XcapServerComponent(h2, core, XHTTP);
        component.activate(config("xml__ns", new String[] { "rl=urn:ietf:params:xml:ns:resource-lists; x=urn:x" }));
    }

    FunctionExport function(String name) {
        return component.functions().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    int call(String name, ActionContext ctx, String... args) throws Exception {
        FunctionExport f = function(name);
        return f.handler().call(ctx, f.fixup().apply(List.of(args)));
    }

    @Test
    void activationCreatesKamailiosTable() throws Exception {
        long until = System.currentTimeMillis() + 5000;
        List<String> version = List.of();
        while (System.currentTimeMillis() < until) { // made off the activating thread: wait for the row
            try {
                version = h2.rows("SELECT table_version FROM version WHERE table_name = 'xcap'");
            } catch (java.sql.SQLException e) {
                version = List.of(); // the version table is not there yet
            }
            if (!version.isEmpty()) {
                break;
            }
            Thread.onSpinWait();
        }
        assertEquals(List.of("4"), version);
        assertEquals(Map.of("rl", "urn:ietf:params:xml:ns:resource-lists", "x", "urn:x"),
                XcapServerComponent.namespaces(new String[] { "rl=urn:ietf:params:xml:ns:resource-lists; x=urn:x" }));
        assertThrows(IllegalArgumentException.class, () -> XcapServerComponent.namespaces(new String[] { "nohref" }));
    }

    @Test
    void functionsAnswerTheHttpRequestWithAnEtagOnce() throws Exception {
        String path = "/xcap-root/resource-lists/users/sip:alice@example.com/index";
        String doc = "<resource-lists xmlns='urn:ietf:params:xml:ns:resource-lists'><list name='l'>"
                + "<display-name>$rU costs $5</display-name></list></resource-lists>";
        Map<String, Object> attrs = new HashMap<>(Map.of(ANSWERED, new AtomicBoolean()));
        ActionContext put = context(http("PUT", path, doc), attrs);
        assertEquals(1, call("xcaps_put", put, "sip:alice@example.com", path, doc));
        assertTrue(((AtomicBoolean) attrs.get(ANSWERED)).get(), "xhttp will not answer again");
        assertEquals(-1, call("xcaps_put", put, "sip:alice@example.com", path, doc), "one answer per request");
        assertEquals(1, core.sentBack.size());
        assertTrue(core.sentBackText(0).startsWith("HTTP/1.1 201 Created\r\n"), core.sentBackText(0));
        assertTrue(core.sentBackText(0).matches("(?s).*\r\nETag: \"sr-[0-9a-f-]+\"\r\n.*"), core.sentBackText(0));
        assertEquals(List.of(doc), h2.rows("SELECT doc FROM xcap"), "the document as given: its $ are no variables");

        ActionContext get = context(http("GET", path + "/~~/rl:resource-lists/rl:list/@name", ""),
                new HashMap<>(Map.of(ANSWERED, new AtomicBoolean())));
        assertEquals(1, call("xcaps_get", get, "sip:alice@example.com", path + "/~~/rl:resource-lists/rl:list/@name"));
        assertTrue(core.sentBackText(1).contains("Content-Type: application/xcap-att+xml\r\n") && core.sentBackText(1).endsWith("\r\n\r\nl"),
                core.sentBackText(1));

        String tag = core.sentBackText(0).replaceAll("(?s).*ETag: (\"[^\"]+\").*", "$1");
        ActionContext del = context(http("DELETE", path, "", "If-Match", "\"stale\""),
                new HashMap<>(Map.of(ANSWERED, new AtomicBoolean())));
        assertEquals(1, call("xcaps_del", del, "sip:alice@example.com", path));
        assertTrue(core.sentBackText(2).startsWith("HTTP/1.1 412 Precondition Failed\r\n") && core.sentBackText(2).contains("ETag: " + tag),
                core.sentBackText(2));
    }

    @Test
    void aReloadWithABadXmlNsKeepsTheOldParameters() {
        XcapServerComponent.Settings before = component.settings();
        component.modified(config("xml__ns", new String[] { "broken" }));
        assertEquals(before, component.settings());
        component.modified(config("xcap__root", "/other/"));
        assertEquals("/other/", component.settings().root());
    }

    @Test
    void outsideXhttpsRouteTheFunctionsReturnMinusOne() throws Exception {
        ActionContext ctx = context(http("GET", "/xcap-root/pres-rules/users/a/index", ""), new HashMap<>());
        assertEquals(-1, call("xcaps_get", ctx, "sip:a@b", "/xcap-root/pres-rules/users/a/index"));
        assertEquals(List.of(), core.sentBack);
    }

    @Test
    void badPathsGet400AndCountAsFailures() {
        XcapOps.Answer a = component.answer(http("GET", "x", ""), "GET", "sip:a@b", "/xcap-root/pres-rules/users/../x/index", null);
        assertEquals(400, a.code());
        assertTrue(a.body().contains("traversal"), a.body());
        assertEquals(1L, component.statistics().get("failures"));
    }

    @Test
    void xcapuriIsSetFromDataAndReadByKey() throws Exception {
        PseudoVariableExport pv = component.pseudoVariables().get(0);
        assertEquals("xcapuri", pv.name());
        Object data = pv.parseName("u=>data");
        Object auid = pv.parseName(" u => auid ");
        Object other = pv.parseName("v=>auid");
        ActionContext ctx = context(http("GET", "/", ""), new HashMap<>());
        assertNull(pv.getter().get(ctx, auid), "nothing assigned yet");
        pv.setter().set(ctx, data, "/xcap-root/rls-services/users/sip:a@example.org/index/~~/rls-services/service");
        assertEquals("rls-services", pv.getter().get(ctx, auid));
        assertEquals(4L, pv.getter().get(ctx, pv.parseName("u=>type")));
        assertEquals("example.org", pv.getter().get(ctx, pv.parseName("u=>domain")));
        assertEquals("service", pv.getter().get(ctx, pv.parseName("u=>target")));
        assertNull(pv.getter().get(ctx, other), "each name holds its own URI");
        pv.setter().set(ctx, data, "/elsewhere/x");
        assertNull(pv.getter().get(ctx, auid), "an invalid URI has no parts");
        assertThrows(IllegalArgumentException.class, () -> pv.setter().set(ctx, auid, "x"), "only data is assigned");
        assertThrows(IllegalArgumentException.class, () -> pv.parseName("u=>nope"));
        assertThrows(IllegalArgumentException.class, () -> pv.parseName("auid"));
    }
}
