package org.siphon.core.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SdpTest {

    static final String OFFER = "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.168.1.10\r\ns=-\r\n"
            + "c=IN IP4 192.168.1.10\r\nt=0 0\r\na=tool:x\r\nm=audio 49170 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtcp:49171 IN IP4 192.168.1.10\r\nm=video 51372/2 RTP/AVP 31\r\nc=IN IP4 10.0.0.7/127\r\na=sendonly\r\n";

    @Test
    void readsSessionAndMedia() {
        Sdp sdp = Sdp.parse(OFFER);
        assertEquals("192.168.1.10", sdp.connectionAddress());
        assertEquals("192.168.1.10", sdp.originAddress());
        assertEquals(List.of("192.168.1.10", "10.0.0.7"), sdp.connectionAddresses());
        assertEquals(2, sdp.media().size());
        Sdp.Media audio = sdp.media().get(0);
        assertEquals("audio", audio.type());
        assertEquals(49170, audio.port());
        assertEquals("RTP/AVP", audio.protocol());
        assertEquals(null, audio.connectionAddress());
        assertEquals("192.168.1.10", audio.effectiveAddress());
        assertEquals(List.of("0 PCMU/8000"), audio.attributes("rtpmap"));
        Sdp.Media video = sdp.media().get(1);
        assertEquals(51372, video.port());
        assertEquals("10.0.0.7", video.connectionAddress());
        assertEquals(List.of(""), video.attributes("sendonly"));
        assertEquals(OFFER, sdp.toString(), "unchanged: byte for byte");
    }

    @Test
    void editsOnlyTheLinesItChanges() {
        Sdp sdp = Sdp.parse(OFFER);
        assertEquals(3, sdp.connectionAddress("203.0.113.5"), "two c= lines and the a=rtcp address");
        assertTrue(sdp.originAddress("203.0.113.5"));
        sdp.media().get(0).port(40000);
        sdp.media().get(1).port(40002);
        sdp.addAttribute("nortpproxy:yes");
        sdp.media().get(1).addAttribute("direction:active");
        assertEquals(1, sdp.media().get(1).removeAttributes("sendonly"));
        assertEquals("v=0\r\no=alice 2890844526 2890844526 IN IP4 203.0.113.5\r\ns=-\r\n"
                + "c=IN IP4 203.0.113.5\r\nt=0 0\r\na=tool:x\r\na=nortpproxy:yes\r\nm=audio 40000 RTP/AVP 0 8\r\n"
                + "a=rtpmap:0 PCMU/8000\r\na=rtcp:49171 IN IP4 203.0.113.5\r\nm=video 40002/2 RTP/AVP 31\r\n"
                + "c=IN IP4 203.0.113.5/127\r\na=direction:active\r\n", sdp.toString());
        assertEquals(0, sdp.connectionAddress("203.0.113.5"), "nothing left to change");
        assertTrue(Sdp.parse("v=0\nc=IN IP4 1.2.3.4\n").toString().equals("v=0\nc=IN IP4 1.2.3.4\n"), "bare LF kept");
        Sdp six = Sdp.parse("v=0\r\nc=IN IP4 1.2.3.4\r\n");
        six.connectionAddress("2001:db8::1");
        assertEquals("v=0\r\nc=IN IP6 2001:db8::1\r\n", six.toString());
    }

    @Test
    void badBodiesAreRefusedWithTheLine() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sdp.parse("v=0\r\nthis is not sdp\r\n")).getMessage()
                .contains("line 2"));
        assertThrows(IllegalArgumentException.class, () -> Sdp.parse("o=x\r\n"));
        assertThrows(IllegalArgumentException.class, () -> Sdp.parse(""));
        assertEquals(null, Sdp.parse("v=0\r\nc=IN\r\n").connectionAddress(), "a short c= line has no address");
        assertEquals(-1, Sdp.parse("v=0\r\nm=audio x RTP/AVP 0\r\n").media().get(0).port());
    }
}
