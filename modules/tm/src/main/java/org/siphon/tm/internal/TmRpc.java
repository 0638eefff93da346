package org.siphon.tm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipResponse;
import org.siphon.tm.UacRequest;

/** RPC {@code tm.stats}, {@code tm.list}, {@code tm.cancel}, {@code tm.hash_stats}, {@code tm.t_uac_start}. */
final class TmRpc {

    private final Tm tm;
    private final Uac uac;

    TmRpc(Tm tm, Uac uac) {
        this.tm = tm;
        this.uac = uac;
    }

    List<RpcCommand> all() {
        String m = TmFunctions.MODULE;
        return List.of(
                new RpcCommand("tm.stats", m, "", "Transactions: current, waiting (final reply sent), totals, replies by class; tmx counters.",
                        p -> {
                            int current = tm.table.serverCount() + uac.active();
                            Map<String, Object> out = tm.stats.rpc(current, waiting(tm));
                            out.putAll(tmx());
                            return out;
                        }),
                new RpcCommand("tm.list", m, "", "The transactions in progress with their branches.", p -> list()),
                new RpcCommand("tm.cancel", m, "callid cseq", "Cancels the INVITE transaction with that Call-ID and CSeq number.",
                        p -> {
                            p.expect(2, 2, "callid cseq");
                            return cancel(p.string(0), p.integer(1));
                        }),
                new RpcCommand("tm.hash_stats", m, "", "Entries of the server and client transaction tables.", p -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("server_transactions", tm.table.serverCount());
                    out.put("client_transactions", tm.table.clientCount());
                    out.put("local_transactions", uac.active());
                    return out;
                }),
                new RpcCommand("tm.t_uac_start", m, "method ruri nexthop socket headers [body]",
                        "Sends a request statefully and waits (up to fr_timer) for its final reply; nexthop and socket may be \".\".",
                        p -> {
                            p.expect(5, 6, "method ruri nexthop socket headers [body]");
                            return uacStart(p.string(0), p.string(1), p.string(2), p.string(4), p.string(5, ""));
                        }));
    }

    /** The tmx statistics, also reported by {@code stats.get_statistics}. */
    Map<String, Object> tmx() {
        return tm.stats.tmx(tm.table.serverCount() + uac.active(), waiting(tm));
    }

    static int waiting(Tm tm) {
        int n = 0;
        for (Transaction t : tm.table.transactions()) {
            if (t.server.finalSent()) {
                n++;
            }
        }
        return n;
    }

    private List<Object> list() {
        List<Object> out = new ArrayList<>();
        for (Transaction t : tm.table.transactions()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("method", t.method);
            e.put("callid", t.callId);
            e.put("cseq", t.cseq);
            e.put("from", t.from());
            e.put("state", t.server.stateName());
            e.put("status", t.server.finalStatus);
            e.put("canceled", t.canceled);
            e.put("age_ms", t.scheduler.now() - t.created);
            List<Object> branches = new ArrayList<>();
            for (ProxyBranch b : List.copyOf(t.branches)) {
                Map<String, Object> be = new LinkedHashMap<>();
                be.put("index", b.index);
                be.put("uri", b.uri.toString());
                be.put("destination", b.request().destination().toString());
                be.put("state", b.client == null ? "-" : b.client.stateName());
                be.put("status", b.status);
                branches.add(be);
            }
            e.put("branches", branches);
            out.add(e);
        }
        return out;
    }

    private Object cancel(String callId, long cseq) throws RpcException {
        for (Transaction t : tm.table.transactions()) {
            if (t.method.equals(SipMethods.INVITE) && callId.equals(t.callId) && t.cseq == cseq) {
                t.scheduler.execute(t::cancel);
                return "canceling";
            }
        }
        throw new RpcException(404, "no INVITE transaction with Call-ID " + callId + " and CSeq " + cseq);
    }

    private Object uacStart(String method, String ruri, String nextHop, String headers, String body)
            throws RpcException {
        List<SipHeader> hs = headers(headers);
        String type = hs.stream().filter(h -> h.is("Content-Type")).map(SipHeader::value).findFirst().orElse("text/plain");
        UacRequest r = new UacRequest(method, ruri, ".".equals(nextHop) ? null : nextHop, null, null, hs,
                body.isEmpty() ? null : type, body.isEmpty() ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CompletableFuture<SipResponse> f = uac.send(r);
        try {
            SipResponse resp = f.get(tm.timers.frTimer() + 2000, TimeUnit.MILLISECONDS);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("code", resp.status());
            out.put("reason", resp.reason());
            return out;
        } catch (TimeoutException e) {
            throw new RpcException(500, "no final reply in time");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new RpcException(400, "cannot send: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(500, "interrupted");
        }
    }

    /** CRLF-separated {@code Name: value} lines. */
    private static List<SipHeader> headers(String block) {
        List<SipHeader> l = new ArrayList<>();
        for (String line : block.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                l.add(SipHeader.of(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            }
        }
        return l;
    }
}
