package org.siphon.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.annotation.Annotation;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;

class HelloComponentTest {

    private static HelloComponent activated(String greeting) {
        HelloComponent c = new HelloComponent();
        c.activate(new HelloComponent.Config() {
            @Override public Class<? extends Annotation> annotationType() { return HelloComponent.Config.class; }
            @Override public String greeting() { return greeting; }
        });
        return c;
    }

    private static Object rpc(HelloComponent c, String method, Object... args) throws RpcException {
        RpcCommand cmd = c.rpcCommands().stream().filter(r -> r.name().equals(method)).findFirst().orElseThrow();
        return cmd.handler().call(new RpcParams(method, List.of(args)));
    }

    @Test
    void greetsWithTheConfiguredWordAndCounts() throws Exception {
        HelloComponent c = activated("hi");
        assertEquals("hi, alice", rpc(c, "hello.greet", "alice"));
        assertEquals("hi, world", rpc(c, "hello.greet"));
        assertEquals(1, c.functions().get(0).handler().call(null, new Object[] { "bob" }));
        assertEquals("hi, carol", c.pseudoVariables().get(0).getter().get(null, "carol"));
        assertEquals(4L, rpc(c, "hello.count"));
    }

    @Test
    void refusesTooManyParameters() {
        RpcException e = assertThrows(RpcException.class, () -> rpc(activated("hello"), "hello.greet", "a", "b"));
        assertEquals(RpcException.INVALID_PARAMS, e.code());
    }

    @Test
    void everyExportNamesTheModule() {
        HelloComponent c = activated("hello");
        c.functions().forEach(f -> assertEquals("hello", f.module()));
        c.pseudoVariables().forEach(p -> assertEquals("hello", p.module()));
        c.rpcCommands().forEach(r -> assertEquals("hello", r.module()));
    }
}
