package org.siphon.core.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogLevelsTest {

    @AfterEach
    void back() {
        LogLevels.setDefault("info");
    }

    @Test
    void kamailioLevelsMapOntoSlf4j() {
        assertEquals("error", LogLevels.levelOf(-3));
        assertEquals("error", LogLevels.levelOf(-1));
        assertEquals("warn", LogLevels.levelOf(0));
        assertEquals("info", LogLevels.levelOf(1));
        assertEquals("info", LogLevels.levelOf(2));
        assertEquals("debug", LogLevels.levelOf(3));
        assertEquals("debug", LogLevels.levelOf(4));
        assertThrows(IllegalArgumentException.class, () -> LogLevels.simpleLevel("loud"));
    }

    @Test
    void theLevelOfExistingAndLaterLoggersChanges() {
        Logger before = LoggerFactory.getLogger("org.siphon.test.Before");
        assertFalse(before.isDebugEnabled());
        assertNull(LogLevels.setDefault("debug"));
        assertTrue(before.isDebugEnabled(), "a logger made before the change follows it");
        assertTrue(LoggerFactory.getLogger("org.siphon.test.After").isDebugEnabled(), "and one made after");
        assertNull(LogLevels.setDefault("warn"));
        assertFalse(before.isInfoEnabled());
        assertTrue(before.isWarnEnabled());
    }

    @Test
    void oneModulesLevelChangesAlone() {
        Logger mine = LoggerFactory.getLogger("org.siphon.modx.internal.Thing");
        Logger other = LoggerFactory.getLogger("org.siphon.mody.internal.Thing");
        assertEquals("org.siphon.modx", LogLevels.loggerOf("modx"));
        assertNull(LogLevels.setLevel("org.siphon.modx", "debug"));
        assertTrue(mine.isDebugEnabled(), "the module's loggers follow");
        assertFalse(other.isDebugEnabled(), "another module's do not");
        assertTrue(LoggerFactory.getLogger("org.siphon.modx.Later").isDebugEnabled(), "a logger made later too");
        assertNull(LogLevels.setDefault("warn"));
        assertTrue(mine.isDebugEnabled(), "the default does not override a level set for a logger");
        assertEquals("debug", LogLevels.levels().get("org.siphon.modx"));
        assertEquals("warn", LogLevels.levels().get("*"));
        assertNull(LogLevels.setLevel("org.siphon.modx", "error"));
        assertFalse(mine.isWarnEnabled());
        assertThrows(IllegalArgumentException.class, () -> LogLevels.setLevel("org.siphon.modx", "loud"));
    }
}
