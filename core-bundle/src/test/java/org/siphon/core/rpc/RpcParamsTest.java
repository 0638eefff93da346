package org.siphon.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RpcParamsTest {

    private static RpcParams of(Object... values) {
        return new RpcParams("m", Arrays.asList(values));
    }

    @Test
    void typedAccessors() throws RpcException {
        RpcParams p = of("alice", 7L, "12", true, null);
        assertEquals("alice", p.string(0));
        assertEquals("7", p.string(1));
        assertEquals(7L, p.integer(1));
        assertEquals(12L, p.integer(2));
        assertTrue(p.flag(3, false));
        assertNull(p.string(4, null));
        assertEquals("dflt", p.string(9, "dflt"));
        assertEquals(3L, p.integer(9, 3L));
    }

    @Test
    void flagsAcceptKamailioHabits() throws RpcException {
        assertTrue(of("1").flag(0, false));
        assertTrue(of("force").flag(0, false));
        assertFalse(of("0").flag(0, true));
        assertFalse(of().flag(0, false));
        assertThrows(RpcException.class, () -> of("maybe").flag(0, false));
    }

    @Test
    void badValuesAreInvalidParamsWithTheirPosition() {
        RpcException e = assertThrows(RpcException.class, () -> of("x", "y").integer(1));
        assertEquals(RpcException.INVALID_PARAMS, e.code());
        assertTrue(e.getMessage().contains("parameter 2"), e.getMessage());
        assertThrows(RpcException.class, () -> of(Map.of()).string(0));
        assertThrows(RpcException.class, () -> of(List.of()).integer(0));
        assertThrows(RpcException.class, () -> of().string(0));
    }

    @Test
    void expectCountsParameters() throws RpcException {
        of("a").expect(1, 2, "a [b]");
        RpcException e = assertThrows(RpcException.class, () -> of("a", "b", "c").expect(1, 2, "a [b]"));
        assertTrue(e.getMessage().contains("a [b]"));
    }
}
