package org.siphon.itests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the messages of a test UA's side of a dialog from the messages it received, whatever the
 * transport: a reply to a request (Vias and Record-Route copied), the ACK or BYE of the caller
 * (Route from the 2xx's Record-Route reversed, to its Contact) and the BYE of the callee (Route from
 * the INVITE's Record-Route, to the caller's Contact). Stateless helpers, thread-safe.
 */
final class SipDialog {

    private SipDialog() {
    }

    /** Every value of header {@code name} (its lines and comma-separated values), in order. */
    static List<String> values(String msg, String name) {
        List<String> all = new ArrayList<>();
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\s*$").matcher(head(msg));
        while (m.find()) {
            for (String v : m.group(1).split(",\\s*(?=<)")) {
                all.add(v.trim());
            }
        }
        return all;
    }

    /** The first value of header {@code name}, or null. */
    static String header(String msg, String name) {
        List<String> v = values(msg, name);
        return v.isEmpty() ? null : v.get(0);
    }

    /** The URI inside {@code <>} of a name-addr (or the value itself). */
    static String uri(String nameAddr) {
        int lt = nameAddr.indexOf('<');
        return lt < 0 ? nameAddr : nameAddr.substring(lt + 1, nameAddr.indexOf('>', lt));
    }

    /** The reply of a UA to {@code request}: Vias, Record-Route, From, Call-ID, CSeq copied, To tagged. */
    static String reply(String request, int code, String reason, String toTag, String contact) {
        StringBuilder sb = new StringBuilder("SIP/2.0 " + code + " " + reason + "\r\n");
        for (String line : head(request).split("\r\n")) {
            String lower = line.toLowerCase();
            if (lower.startsWith("via:") || lower.startsWith("v:") || lower.startsWith("from:")
                    || lower.startsWith("call-id:") || lower.startsWith("cseq:") || lower.startsWith("record-route:")) {
                sb.append(line).append("\r\n");
            } else if (lower.startsWith("to:")) {
                sb.append(line).append(code > 100 && !lower.contains(";tag=") ? ";tag=" + toTag : "").append("\r\n");
            }
        }
        if (contact != null) {
            sb.append("Contact: <").append(contact).append(">\r\n");
        }
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** The caller's request inside the dialog its INVITE's 2xx made (ACK with the INVITE's CSeq number). */
    static String fromCaller(String method, String invite, String ok, String via, int cseq) {
        List<String> route = new ArrayList<>(values(ok, "Record-Route"));
        Collections.reverse(route);
        return inDialog(method, uri(header(ok, "Contact")), route, via, header(invite, "From"), header(ok, "To"),
                header(invite, "Call-ID"), cseq);
    }

    /** The callee's request inside the dialog: to the caller's Contact, Route as the INVITE's Record-Route. */
    static String fromCallee(String method, String invite, String ok, String via, int cseq) {
        return inDialog(method, uri(header(invite, "Contact")), values(invite, "Record-Route"), via, header(ok, "To"),
                header(invite, "From"), header(invite, "Call-ID"), cseq);
    }

    private static String inDialog(String method, String ruri, List<String> route, String via, String from, String to,
            String callId, int cseq) {
        StringBuilder sb = new StringBuilder(method + " " + ruri + " SIP/2.0\r\nVia: " + via + "\r\nMax-Forwards: 70\r\n");
        if (!route.isEmpty()) {
            sb.append("Route: ").append(String.join(", ", route)).append("\r\n");
        }
        return sb.append("From: ").append(from).append("\r\nTo: ").append(to).append("\r\nCall-ID: ").append(callId)
                .append("\r\nCSeq: ").append(cseq).append(' ').append(method).append("\r\nContent-Length: 0\r\n\r\n")
                .toString();
    }

    private static String head(String msg) {
        int end = msg.indexOf("\r\n\r\n");
        return end < 0 ? msg : msg.substring(0, end);
    }
}
