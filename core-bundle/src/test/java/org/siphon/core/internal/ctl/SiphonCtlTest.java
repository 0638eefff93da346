package org.siphon.core.internal.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SiphonCtlTest {

    @Test
    void integersGoAsNumbersAndSPrefixForcesText() {
        assertEquals(42L, SiphonCtl.param("42"));
        assertEquals(-3L, SiphonCtl.param("-3"));
        assertEquals("42", SiphonCtl.param("s:42"));
        assertEquals("alice", SiphonCtl.param("alice"));
        assertEquals("12345678901234567890", SiphonCtl.param("12345678901234567890"));
    }

    @Test
    void usageErrorsExitWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, SiphonCtl.run(new String[0], null, System.out, e));
        assertEquals(2, SiphonCtl.run(new String[] { "-x" }, null, System.out, e));
        assertEquals(2, SiphonCtl.run(new String[] { "-s" }, null, System.out, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage"));
    }

    @Test
    void anUnreachableServerExitsWithTwoAndSaysSo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = SiphonCtl.run(new String[] { "core.version" }, "127.0.0.1:" + port, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, rc);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot reach siphon"), err.toString());
    }
}
