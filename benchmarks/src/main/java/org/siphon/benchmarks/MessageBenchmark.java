package org.siphon.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.internal.message.SipMessageWriter;
import org.siphon.core.sip.SipEdits;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.uri.UriParser;

/**
 * The message layer on a 1 KB INVITE: parsing with the routing headers (what every received
 * message costs), reading the lazily parsed ones too, and writing after the edits a proxy
 * typically makes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MessageBenchmark {

    /** A realistic INVITE of 1,0xx bytes (SDP included). */
    static final byte[] INVITE = ("""
            INVITE sip:bob@biloxi.example.com SIP/2.0\r
            Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r
            Max-Forwards: 70\r
            To: "Bob" <sip:bob@biloxi.example.com>\r
            From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774\r
            Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r
            CSeq: 314159 INVITE\r
            Contact: <sip:alice@pc33.atlanta.example.com:5060;transport=udp>\r
            Route: <sip:proxy1.example.com;lr>, <sip:proxy2.example.com;lr>\r
            Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO\r
            Supported: replaces, timer, 100rel\r
            User-Agent: Siphon benchmark UA 1.0\r
            Session-Expires: 1800;refresher=uac\r
            P-Asserted-Identity: "Alice" <sip:alice@atlanta.example.com>\r
            Content-Type: application/sdp\r
            Content-Length: 336\r
            \r
            v=0\r
            o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\r
            s=Session SDP\r
            c=IN IP4 192.0.2.101\r
            t=0 0\r
            m=audio 49172 RTP/AVP 0 8 18 101\r
            a=rtpmap:0 PCMU/8000\r
            a=rtpmap:8 PCMA/8000\r
            a=rtpmap:18 G729/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=fmtp:101 0-15\r
            a=ptime:20\r
            a=sendrecv\r
            a=x-siphon-padding:0123456789abcdef0123456789\r
            """).getBytes(StandardCharsets.UTF_8);

    private final SipMessageParser parser = SipMessageParser.DEFAULT;

    /** Refuses to measure a message the parser finds faulty (a benchmark of the error path would flatter). */
    @Setup
    public void check() {
        SipMessageImpl m = parser.parse(INVITE, true);
        if (m.error() != null || INVITE.length < 1000) {
            throw new IllegalStateException("benchmark message: " + m.error() + ", " + INVITE.length + " bytes");
        }
    }

    @Benchmark
    public SipMessageImpl parseRoutingHeaders() {
        return parser.parse(INVITE, true);
    }

    @Benchmark
    public void parseAndReadEveryTypedHeader(Blackhole bh) {
        SipMessageImpl m = parser.parse(INVITE, true);
        bh.consume(m.topVia());
        bh.consume(m.routes());
        bh.consume(m.contacts());
        bh.consume(m.contentType());
        bh.consume(m.headerValue(SipHeaderNames.USER_AGENT));
    }

    @Benchmark
    public byte[] parseEditAndWrite() {
        SipMessageImpl m = parser.parse(INVITE, true);
        SipEdits e = m.edits();
        e.remove(m.header(SipHeaderNames.ROUTE));
        e.insertFirst(SipHeaderNames.RECORD_ROUTE, "<sip:192.0.2.10;lr>");
        e.insertFirst(SipHeaderNames.VIA, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKsl0123456789abcdef.0123456789ab");
        e.replace(m.header(SipHeaderNames.MAX_FORWARDS), "69");
        e.setRequestUri(UriParser.parse("sip:bob@192.0.2.20:5060"));
        return SipMessageWriter.write(m);
    }
}
