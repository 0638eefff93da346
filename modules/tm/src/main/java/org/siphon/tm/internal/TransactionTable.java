package org.siphon.tm.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.header.Via;

/**
 * The transactions in progress. Server transactions are matched per RFC 3261 §17.2.3 (top Via
 * branch with the magic cookie, sent-by and method; ACK and CANCEL look for their INVITE) with
 * the RFC 2543 fallback (Request-URI, From tag, Call-ID, CSeq number and top Via); client
 * transactions per §17.1.3 (top Via branch and CSeq method). Thread-safe.
 */
final class TransactionTable {

    private final ConcurrentHashMap<String, Transaction> server = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ClientTransaction> client = new ConcurrentHashMap<>();

    /** The key of the server transaction {@code request} belongs to, as if it had method {@code method}. */
    static String serverKey(SipRequest request, String method) {
        Via top = request.topVia();
        String m = method.equals(SipMethods.ACK) ? SipMethods.INVITE : method;
        String branch = top == null ? null : top.branch();
        if (branch != null && branch.startsWith("z9hG4bK") && branch.length() > 7) {
            return branch + '|' + top.host().toLowerCase(Locale.ROOT) + ':' + top.port() + '|' + m;
        }
        return "2543|" + request.requestUri() + '|' + request.fromTag() + '|' + request.callId() + '|'
                + (request.cseq() == null ? "" : request.cseq().number()) + '|' + top + '|' + m;
    }

    static String clientKey(String branch, String method) {
        return branch + '|' + method;
    }

    /** Adds {@code t} unless its key is taken; returns the transaction already there, or null. */
    Transaction putIfAbsent(Transaction t) {
        return server.putIfAbsent(t.key, t);
    }

    Transaction find(SipRequest request, String method) {
        return request.topVia() == null ? null : server.get(serverKey(request, method));
    }

    void remove(Transaction t) {
        server.remove(t.key, t);
    }

    void add(ClientTransaction ct, String method) {
        client.put(clientKey(ct.branch, method), ct);
    }

    void remove(ClientTransaction ct, String method) {
        client.remove(clientKey(ct.branch, method), ct);
    }

    ClientTransaction match(SipResponse response) {
        Via top = response.topVia();
        if (top == null || top.branch() == null || response.cseq() == null) {
            return null;
        }
        return client.get(clientKey(top.branch(), response.cseq().method()));
    }

    Collection<Transaction> transactions() {
        return server.values();
    }

    Collection<ClientTransaction> clients() {
        return client.values();
    }

    int serverCount() {
        return server.size();
    }

    int clientCount() {
        return client.size();
    }
}
