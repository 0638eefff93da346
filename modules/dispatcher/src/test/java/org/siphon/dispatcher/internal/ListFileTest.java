package org.siphon.dispatcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ListFileTest {

    @Test
    void readsKamailiosFormat() throws Exception {
        List<Destination> l = ListFile.parse("""
                # proxies
                2 sip:127.0.0.1:5080;transport=tcp 0 10 class=4;prefix=448;strip=2
                2 sip:127.0.0.1:5082;px=vx 0 5 duid=abc;socket=udp:192.168.0.125:5060;pipe=p10

                1 sip:127.0.0.1:7070 0 0 duid=xyz;maxload=20;weight=30;rweight=5;ping_from=sip:me@x
                1 sips:127.0.0.1:7072 8 5
                1 sip:127.0.0.1:7074
                """, "d.list");
        assertEquals(5, l.size());
        Destination d = l.get(2);
        assertEquals(1, d.setid());
        assertEquals("xyz", d.duid());
        assertEquals(20, d.maxload());
        assertEquals(30, d.weight());
        assertEquals(5, d.rweight());
        assertEquals("sip:me@x", d.attr("ping_from"));
        assertEquals("tcp", l.get(0).sipUri().transport());
        assertEquals(8, l.get(3).flags());
        assertEquals("d.list:5", d.origin());
        DsList list = new DsList(l, "d.list");
        assertEquals(List.of("sips:127.0.0.1:7072", "sip:127.0.0.1:7070", "sip:127.0.0.1:7074"),
                list.set(1).destinations().stream().map(Destination::uri).toList(), "priority first, then as written");
    }

    @Test
    void refusesMalformedLinesNamingFileAndLine() {
        for (String[] bad : new String[][] { { "1 sip:a.example\nx sip:b.example", "d.list:2: setid" },
                { "1", "d.list:1: expected" }, { "1 http://x.example", "d.list:1: bad destination" },
                { "1 sip:a.example zero", "d.list:1: flags" }, { "1 sip:a.example 0 high", "d.list:1: priority" },
                { "\n\n1 sip:a:99999", "d.list:3: bad destination" } }) {
            var e = assertThrows(ListFile.ListException.class, () -> ListFile.parse(bad[0], "d.list"), bad[0]);
            assertTrue(e.getMessage().startsWith(bad[1]), e.getMessage());
        }
    }

    @Test
    void weightsOutOfRangeAreIgnoredAndTheLastFillsUp() throws Exception {
        List<Destination> l = ListFile.parse("1 sip:a 0 0 weight=50\n1 sip:b 0 0 weight=101\n1 sip:c 0 0 weight=20", "w");
        int[] slots = DsList.weightSlots(l, 1);
        int[] count = new int[3];
        for (int s : slots) {
            count[s]++;
        }
        assertEquals(50, count[0]);
        assertEquals(0, count[1]);
        assertEquals(50, count[2]);
    }
}
