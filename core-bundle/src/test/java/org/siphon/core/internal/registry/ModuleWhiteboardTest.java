package org.siphon.core.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.rpc.RpcCommand;

/** A module counts as loaded exactly while its exports can be found (module.list relies on it). */
class ModuleWhiteboardTest {

    private final RpcRegistryImpl rpc = new RpcRegistryImpl();
    private final List<String> seen = new ArrayList<>();
    private final LoadedModules loaded = new LoadedModules() {
        @Override synchronized void add(String module) {
            seen.add("+" + module + " exports visible: " + rpc.find("hello.greet").isPresent());
            super.add(module);
        }

        @Override synchronized void remove(String module) {
            seen.add("-" + module + " exports visible: " + rpc.find("hello.greet").isPresent());
            super.remove(module);
        }
    };
    private final ModuleWhiteboard whiteboard = new ModuleWhiteboard(new FunctionRegistryImpl(),
            new PseudoVariableRegistryImpl(), rpc, loaded);

    private static SiphonModule hello() {
        return new SiphonModule() {
            @Override public String name() { return "hello"; }
            @Override public List<RpcCommand> rpcCommands() {
                return List.of(new RpcCommand("hello.greet", "hello", "", "", p -> "hi"));
            }
        };
    }

    @Test
    void aModuleIsLoadedOnlyWhileItsExportsAreInTheRegistries() {
        SiphonModule v1 = hello();
        SiphonModule v2 = hello();
        whiteboard.addModule(v1);
        whiteboard.addModule(v2);
        assertTrue(loaded.contains("hello"));
        whiteboard.removeModule(v1);
        assertTrue(loaded.contains("hello"), "the second version is still loaded");
        whiteboard.removeModule(v2);
        whiteboard.removeModule(v2);
        assertFalse(loaded.contains("hello"));
        assertEquals(List.of("+hello exports visible: true", "+hello exports visible: true",
                "-hello exports visible: true", "-hello exports visible: true"), seen);
    }
}
