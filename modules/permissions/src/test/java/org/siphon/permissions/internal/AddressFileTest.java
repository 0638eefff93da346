package org.siphon.permissions.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressFileTest {

    @Test
    void columnsInTableOrderWithComments() {
        AddressFile.Loaded l = AddressFile.parse(List.of(
                "# trusted gateways",
                "",
                "1 198.51.100.7",
                "1   198.51.100.8  32  5060   carrier-a   # a trailing comment",
                "2\t203.0.113.0\t24",
                "3 [2001:db8::10] 0 0 v6;x=1",
                "4 sbc.example.org"), "test");
        assertEquals(0, l.skipped());
        assertEquals(List.of(
                AddressRow.of(1, "198.51.100.7", null, null, null),
                AddressRow.of(1, "198.51.100.8", 32L, 5060L, "carrier-a"),
                AddressRow.of(2, "203.0.113.0", 24L, null, null),
                AddressRow.of(3, "2001:db8::10", 128L, 0L, "v6;x=1"),
                AddressRow.of(4, "sbc.example.org", null, null, null)), l.rows());
    }

    @Test
    void badLinesAreSkippedNotFatal() {
        AddressFile.Loaded l = AddressFile.parse(List.of(
                "one 10.0.0.1",
                "1 10.0.0.300",
                "1 10.0.0.1 40",
                "1 10.0.0.1 32 port",
                "1",
                "1 10.0.0.1 32 0 tag extra",
                "1 10.0.0.2 32 0"), "test");
        assertEquals(6, l.skipped());
        assertEquals(List.of(AddressRow.of(1, "10.0.0.2", 32L, 0L, null)), l.rows());
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("address.list");
        Files.writeString(f, "1 127.0.0.1 32 0 local\n");
        assertEquals("local", AddressFile.read(f).rows().get(0).tag());
        assertThrows(java.io.IOException.class, () -> AddressFile.read(dir.resolve("missing.list")));
    }
}
