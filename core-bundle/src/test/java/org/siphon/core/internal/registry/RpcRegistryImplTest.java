package org.siphon.core.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;

class RpcRegistryImplTest {

    private final RpcRegistryImpl registry = new RpcRegistryImpl();

    RpcRegistryImplTest() {
        registry.add(List.of(
                new RpcCommand("t.sum", "t", "a b", "adds", p -> p.expect(2, 2, "a b").integer(0) + p.integer(1)),
                new RpcCommand("t.boom", "t", "", "fails", p -> {
                    throw new IllegalStateException("broken");
                })));
    }

    @Test
    void dispatchesWithPositionalParameters() throws RpcException {
        assertEquals(5L, registry.call("t.sum", List.of(2L, "3")));
    }

    @Test
    void unknownMethodIsMethodNotFound() {
        RpcException e = assertThrows(RpcException.class, () -> registry.call("t.nope", List.of()));
        assertEquals(RpcException.METHOD_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("t.nope"));
    }

    @Test
    void wrongParametersAreInvalidParams() {
        RpcException few = assertThrows(RpcException.class, () -> registry.call("t.sum", List.of(1L)));
        assertEquals(RpcException.INVALID_PARAMS, few.code());
        RpcException word = assertThrows(RpcException.class, () -> registry.call("t.sum", List.of(1L, "two")));
        assertEquals(RpcException.INVALID_PARAMS, word.code());
        assertTrue(word.getMessage().contains("two"), word.getMessage());
    }

    @Test
    void aCommandThatThrowsIsAnInternalErrorNotAnEscape() {
        RpcException e = assertThrows(RpcException.class, () -> registry.call("t.boom", List.of()));
        assertEquals(RpcException.INTERNAL_ERROR, e.code());
        assertTrue(e.getMessage().contains("broken"));
    }

    @Test
    void blankMethodIsRefused() {
        assertThrows(RpcException.class, () -> registry.call(" ", List.of()));
    }
}
