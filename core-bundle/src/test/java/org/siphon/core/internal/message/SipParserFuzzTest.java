package org.siphon.core.internal.message;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.siphon.core.sip.SipMessage;

/**
 * A seeded random mutator over real messages: flips, inserts, deletes and splices bytes, then
 * parses, reads every typed view and writes the message back. Nothing may throw past the parser
 * (typed views of lazy headers may throw IllegalArgumentException, as documented) and every run
 * is bounded in count, so it runs in CI in about a second.
 */
class SipParserFuzzTest {

    private static final String[] SEEDS = {
        SipMessageParserTest.INVITE,
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1;rport=5060, SIP/2.0/TCP [::1]:5061;branch=z9hG4bK2\r\n"
            + "From: \"A\" <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\nCall-ID: c@h\r\nCSeq: 1 INVITE\r\n"
            + "Contact: <sip:b@10.0.0.1:5062;transport=tcp>;expires=60\r\nRecord-Route: <sip:p;lr>\r\nl: 0\r\n\r\n",
        "REGISTER sip:example.com SIP/2.0\r\nv: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKr\r\nf: <sip:u@example.com>;tag=9\r\n"
            + "t: <sip:u@example.com>\r\ni: reg1\r\nCSeq: 2 REGISTER\r\nm: *\r\nExpires: 0\r\nAuthorization: Digest "
            + "username=\"u\", realm=\"example.com\", nonce=\"n\", uri=\"sip:example.com\", response=\"r\"\r\nl: 0\r\n\r\n",
    };
    private static final byte[] INTERESTING = "\r\n:;,<>\"\\ \t@[]%=/0SIPvia".getBytes(StandardCharsets.US_ASCII);

    @Test
    void mutatedMessagesNeverEscapeTheParser() {
        Random random = new Random(20261123);
        int parsed = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] seed = SEEDS[random.nextInt(SEEDS.length)].getBytes(StandardCharsets.UTF_8);
            byte[] input = mutate(seed, random);
            boolean datagram = random.nextBoolean();
            SipMessageImpl m = SipMessageParser.DEFAULT.parse(input, datagram);
            if (m == null) {
                continue;
            }
            parsed++;
            touch(m);
            SipMessageWriter.write(m);
        }
        assertTrue(parsed > 25_000, "parsed " + parsed);
    }

    private static void touch(SipMessage m) {
        m.error();
        m.vias();
        m.headers().forEach(h -> h.value());
        for (Runnable r : new Runnable[] { m::contacts, m::routes, m::recordRoutes, m::expires, m::contentType, m::from,
            m::to }) {
            try {
                r.run();
            } catch (IllegalArgumentException expected) {
                // a malformed lazy header: documented
            }
        }
        m.body();
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(8);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                case 2 -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                case 3 -> {
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    b = c;
                }
                default -> {
                    int len = Math.min(b.length - at, random.nextInt(40));
                    int to = random.nextInt(b.length);
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, to);
                    System.arraycopy(b, at, c, to, len);
                    System.arraycopy(b, to, c, to + len, b.length - to);
                    b = c;
                }
            }
        }
        return b;
    }
}
