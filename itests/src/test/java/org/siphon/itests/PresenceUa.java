package org.siphon.itests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A presence UA for the presence itests on a {@link UdpPeer}: PUBLISH and SUBSCRIBE as written,
 * and messages kept in arrival order so that a NOTIFY that overtakes the 200 of its SUBSCRIBE is
 * not lost. Answers NOTIFYs when asked. Not thread-safe.
 */
final class PresenceUa implements AutoCloseable {

    final UdpPeer peer;
    final String user;
    int server;
    private final List<String> pending = new ArrayList<>();
    private int branch;

    PresenceUa(String user, int serverPort) throws IOException {
        this.peer = new UdpPeer();
        this.user = user;
        this.server = serverPort;
    }

    int port() {
        return peer.port();
    }

    String aor() {
        return "sip:" + user + "@127.0.0.1";
    }

    /** The next message whose first line starts with {@code start} (kept ones first); null on timeout. */
    String next(String start, long millis) throws IOException {
        for (Iterator<String> it = pending.iterator(); it.hasNext();) {
            String m = it.next();
            if (m.startsWith(start)) {
                it.remove();
                return m;
            }
        }
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            String m = peer.receive(end - System.currentTimeMillis());
            if (m == null) {
                return null;
            }
            if (m.startsWith(start)) {
                return m;
            }
            pending.add(m);
        }
        return null;
    }

    /** The next NOTIFY, answered {@code code}. */
    String notifyAnswered(int code, long millis) throws IOException {
        String n = next("NOTIFY", millis);
        if (n != null) {
            peer.reply(n, code, code == 200 ? "OK" : "Call/Transaction Does Not Exist", "w", viaPort(n));
        }
        return n;
    }

    /**
     * The next NOTIFY that contains {@code text} (in a header or the body), answering 200 to it and to the ones before
     * it (a NOTIFY with the state as it was may come first: a PUBLISH's watchers are read just
     * after its 200, so a SUBSCRIBE arriving meanwhile is notified twice); null on timeout.
     */
    String notifyWith(String text, long millis) throws IOException {
        long end = System.currentTimeMillis() + millis;
        String n;
        while ((n = notifyAnswered(200, Math.max(1, end - System.currentTimeMillis()))) != null) {
            if (n.contains(text)) {
                return n;
            }
        }
        return null;
    }

    /** The port of a request's top Via (where the server that sent it wants its reply). */
    static int viaPort(String request) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^Via:\\s*SIP/2.0/UDP\\s+[^:;\\s]+:(\\d+)")
                .matcher(request);
        if (!m.find()) {
            throw new IllegalArgumentException("no UDP Via with a port: " + request);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Sends a PUBLISH for {@code presentity} and returns the reply. */
    String publish(String presentity, String callId, String ifMatch, int expires, String contentType, String body)
            throws IOException {
        String b = body == null ? "" : body;
        int len = b.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        peer.send("PUBLISH " + presentity + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port() + ";branch=z9hG4bKp"
                + callId + (++branch) + ";rport\r\nMax-Forwards: 70\r\nFrom: <" + presentity + ">;tag=p" + callId
                + "\r\nTo: <" + presentity + ">\r\nCall-ID: " + callId + "\r\nCSeq: " + branch + " PUBLISH\r\n"
                + "Event: presence\r\n" + (ifMatch == null ? "" : "SIP-If-Match: " + ifMatch + "\r\n")
                + (expires >= 0 ? "Expires: " + expires + "\r\n" : "")
                + (len > 0 ? "Content-Type: " + contentType + "\r\n" : "") + "Content-Length: " + len + "\r\n\r\n" + b,
                server);
        return next("SIP/2.0", 5000);
    }

    /** Sends a SUBSCRIBE (toTag null for an initial one) and returns the reply. */
    String subscribe(String presentity, String event, String callId, String toTag, int cseq, int expires, String extra)
            throws IOException {
        peer.send("SUBSCRIBE " + presentity + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port() + ";branch=z9hG4bKs"
                + callId + cseq + (++branch) + ";rport\r\nMax-Forwards: 70\r\nFrom: <" + aor() + ">;tag=f" + callId
                + "\r\nTo: <" + presentity + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\r\nCall-ID: " + callId
                + "\r\nCSeq: " + cseq + " SUBSCRIBE\r\nContact: <sip:" + user + "@127.0.0.1:" + port() + ">\r\n"
                + "Event: " + event + "\r\nExpires: " + expires + "\r\n" + extra + "Content-Length: 0\r\n\r\n", server);
        return next("SIP/2.0", 5000);
    }

    static String body(String message) {
        return message.substring(message.indexOf("\r\n\r\n") + 4);
    }

    static String toTag(String reply) {
        String to = UdpPeer.header(reply, "To");
        int i = to.indexOf(";tag=");
        return i < 0 ? null : to.substring(i + 5).split(";")[0].trim();
    }

    static long cseq(String message) {
        return Long.parseLong(UdpPeer.header(message, "CSeq").split(" ")[0]);
    }

    static String pidf(String entity, String tupleId, String basic, String note) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\""
                + entity + "\">\n  <tuple id=\"" + tupleId + "\">\n    <status><basic>" + basic + "</basic></status>\n"
                + "  </tuple>\n  <note>" + note + "</note>\n</presence>\n";
    }

    @Override
    public void close() {
        peer.close();
    }
}
