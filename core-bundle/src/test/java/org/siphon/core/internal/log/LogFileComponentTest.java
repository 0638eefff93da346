package org.siphon.core.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.siphon.core.internal.log.RotatingFileOutputStream.Interval;
import org.siphon.core.internal.log.RotatingFileOutputStream.Policy;
import org.slf4j.LoggerFactory;

class LogFileComponentTest {

    static LogFileComponent.Config config(String maxSize, String interval, int keep) {
        return (LogFileComponent.Config) Proxy.newProxyInstance(LogFileComponent.Config.class.getClassLoader(),
                new Class<?>[] { LogFileComponent.Config.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "max__size" -> maxSize;
                    case "interval" -> interval;
                    case "keep" -> keep;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void theConfigurationBecomesAPolicy() {
        assertEquals(new Policy(10L << 20, Interval.DAILY, 7), LogFileComponent.policy(config("10M", "daily", 7)));
        assertEquals(new Policy(0, Interval.NONE, 0), LogFileComponent.policy(config("0", "none", 0)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogFileComponent.policy(config("big", "daily", 7)))
                .getMessage().contains("log size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogFileComponent.policy(config("1M", "weekly", 7)))
                .getMessage().contains("daily, hourly or none"));
        assertThrows(IllegalArgumentException.class, () -> LogFileComponent.policy(config("1M", "daily", -1)));
    }

    @Test
    void slf4jSimpleWritesWhereItIsTold() {
        org.slf4j.Logger log = LoggerFactory.getLogger(LogFileComponentTest.class);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Object previous = LogFileComponent.swapSlf4jOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertNotNull(previous, "slf4j-simple's output choice was found");
        try {
            log.warn("to the file");
        } finally {
            LogFileComponent.swapSlf4jOutput(previous);
        }
        log.warn("back to stderr");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("to the file"), text);
        assertFalse(text.contains("back to stderr"), text);
    }
}
