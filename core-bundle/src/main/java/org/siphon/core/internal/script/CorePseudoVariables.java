package org.siphon.core.internal.script;

import java.util.ArrayList;
import java.util.List;

import org.siphon.core.function.ActionContext;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableExport.InnerName;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

/**
 * The core's pseudo-variables, named as Kamailio's pv module: Request-URI ({@code $ru $rU $rd $rp
 * $rz}), destination ({@code $du}), From/To ({@code $fu $fU $fd $fn $ft $tu $tU $td $tn $tt}),
 * {@code $ci $cs $rm $rs $rr $ua $mb $rb $ml}, source and local address ({@code $si $sp $Ri $Rp $pr
 * $proto}), headers ({@code $hdr(name)}, {@code $hdrc(name)}), script state ({@code $var(name)},
 * {@code $rc}, {@code $retcode}) and {@code $null}. Assigning {@code $ru}/{@code $rU}/{@code $rd}/
 * {@code $rp} rewrites the Request-URI, {@code $du} sets the destination, {@code $fU}/{@code $fd}/
 * {@code $fn}/{@code $tU}/{@code $td}/{@code $tn} rewrite From/To (the last assignment wins).
 */
final class CorePseudoVariables {

    /** {@code $shv} values: shared by all workers, kept until the server stops. */
    private static final java.util.Map<String, Object> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    private CorePseudoVariables() {
    }

    private static Object timeField(String name) {
        return switch (name) {
            case "sec" -> java.time.temporal.ChronoField.SECOND_OF_MINUTE;
            case "min" -> java.time.temporal.ChronoField.MINUTE_OF_HOUR;
            case "hour" -> java.time.temporal.ChronoField.HOUR_OF_DAY;
            case "mday" -> java.time.temporal.ChronoField.DAY_OF_MONTH;
            case "mon" -> java.time.temporal.ChronoField.MONTH_OF_YEAR;
            case "year" -> java.time.temporal.ChronoField.YEAR;
            case "wday" -> java.time.temporal.ChronoField.DAY_OF_WEEK;
            case "yday" -> java.time.temporal.ChronoField.DAY_OF_YEAR;
            default -> throw new IllegalArgumentException("unknown $time field " + name);
        };
    }

    private static Object msgPart(String name) {
        if (!java.util.Set.of("len", "buf", "body", "hdrs", "fline").contains(name)) {
            throw new IllegalArgumentException("$msg() knows len, buf, body, hdrs, fline, not " + name);
        }
        return name;
    }

    private static Object msg(SipMessage m, String part) {
        String text = new String(m.bytes(), java.nio.charset.StandardCharsets.UTF_8);
        int eol = text.indexOf("\r\n");
        int eoh = text.indexOf("\r\n\r\n");
        return switch (part) {
            case "len" -> (long) m.bytes().length;
            case "buf" -> text;
            case "body" -> new String(m.body(), java.nio.charset.StandardCharsets.UTF_8);
            case "fline" -> eol < 0 ? text : text.substring(0, eol);
            default -> eol < 0 ? "" : text.substring(eol + 2, eoh < 0 ? text.length() : eoh + 2);
        };
    }

    private static Object tv(String what) {
        java.time.Instant now = java.time.Instant.now();
        long s = now.getEpochSecond();
        long u = now.getNano() / 1000;
        return switch (what) {
            case "s" -> s;
            case "u" -> u;
            case "sn", "Sn" -> s + "." + String.format("%06d", u);
            case "un" -> s * 1_000_000 + u;
            default -> null;
        };
    }

    static List<PseudoVariableExport> all() {
        List<PseudoVariableExport> l = new ArrayList<>();
        l.add(rw("ru", "Request-URI", c -> str(ruri(c)), (c, v) -> c.message().edits().setRequestUri(UriParser.parse(text(v)))));
        l.add(rw("rU", "Request-URI user", c -> ruri(c) instanceof SipUri u ? u.user() : null,
                (c, v) -> setRuri(c, u -> u.withUser(v == null ? null : text(v)))));
        l.add(rw("rd", "Request-URI host", c -> ruri(c) instanceof SipUri u ? u.host() : null,
                (c, v) -> setRuri(c, u -> u.withHost(text(v)))));
        l.add(rw("rp", "Request-URI port", c -> ruri(c) instanceof SipUri u ? (Object) (long) u.portOrDefault() : null,
                (c, v) -> setRuri(c, u -> u.withPort(v == null ? -1 : (int) Values.toLong(v)))));
        l.add(ro("rz", "Request-URI scheme", c -> ruri(c) == null ? null : ruri(c).scheme()));
        l.add(rw("du", "destination URI", c -> str(c.destination()),
                (c, v) -> c.setDestination(v == null || text(v).isEmpty() ? null : UriParser.parse(text(v)))));
        address(l, "f", SipHeaderNames.FROM);
        address(l, "t", SipHeaderNames.TO);
        l.add(ro("ci", "Call-ID", c -> c.message().callId()));
        l.add(ro("cs", "CSeq number", c -> c.message().cseq() == null ? null : (Object) c.message().cseq().number()));
        l.add(ro("rm", "method", c -> c.message() instanceof SipRequest r ? r.method()
                : c.message().cseq() == null ? null : c.message().cseq().method()));
        l.add(ro("rs", "reply status", c -> c.message() instanceof SipResponse r ? (Object) (long) r.status() : null));
        l.add(ro("rr", "reply reason", c -> c.message() instanceof SipResponse r ? r.reason() : null));
        l.add(ro("ua", "User-Agent", c -> c.message().headerValue(SipHeaderNames.USER_AGENT)));
        l.add(ro("mb", "the whole message", c -> new String(c.message().bytes(), java.nio.charset.StandardCharsets.UTF_8)));
        l.add(ro("ml", "message length", c -> (long) c.message().bytes().length));
        l.add(PseudoVariableExport.builder("msg", "core").innerName(InnerName.REQUIRED, CorePseudoVariables::msgPart)
                .description("$msg(len|buf|body|hdrs|fline): the message's length, text, body, headers or first line")
                .getter((c, n) -> msg(c.message(), (String) n)).build());
        l.add(ro("rb", "message body", c -> new String(c.message().body(), java.nio.charset.StandardCharsets.UTF_8)));
        l.add(ro("si", "source IP", c -> c.message().source() == null ? null
                : c.message().source().remote().getAddress().getHostAddress()));
        l.add(ro("sp", "source port", c -> c.message().source() == null ? null : (Object) (long) c.message().source().remote().getPort()));
        l.add(ro("Ri", "local IP", c -> c.message().source() == null ? null
                : c.message().source().local().getAddress().getHostAddress()));
        l.add(ro("Rp", "local port", c -> c.message().source() == null ? null : (Object) (long) c.message().source().local().getPort()));
        l.add(ro("pr", "transport", c -> c.message().source() == null ? null : c.message().source().transport()));
        l.add(ro("proto", "transport", c -> c.message().source() == null ? null : c.message().source().transport()));
        l.add(PseudoVariableExport.builder("hdr", "core").innerName(InnerName.REQUIRED, SipHeaderNames::canonical)
                .description("$hdr(name): the first header of that name").getter((c, n) -> headerValue(c.message(), (String) n))
                .build());
        l.add(PseudoVariableExport.builder("hdrc", "core").innerName(InnerName.REQUIRED, SipHeaderNames::canonical)
                .description("$hdrc(name): how many headers of that name").getter((c, n) -> (long) c.message().headers((String) n).size())
                .build());
        l.add(PseudoVariableExport.builder("var", "core").innerName(InnerName.REQUIRED, s -> s)
                .description("$var(name): a script variable of this message").getter((c, n) -> run(c).var((String) n))
                .setter((c, n, v) -> run(c).var((String) n, v == null ? 0L : v)).build());
        l.add(PseudoVariableExport.builder("avp", "core").innerName(InnerName.REQUIRED, s -> s.startsWith("s:") || s.startsWith("i:") ? s.substring(2) : s)
                .description("$avp(name): an attribute of this message (of its transaction once tm runs it)")
                .getter((c, n) -> run(c).var("avp:" + n)).setter((c, n, v) -> run(c).var("avp:" + n, v)).build());
        l.add(PseudoVariableExport.builder("xavp", "core").innerName(InnerName.REQUIRED, s -> s.replace(" ", ""))
                .description("$xavp(root=>field): a field of a structured attribute of this message")
                .getter((c, n) -> run(c).var("xavp:" + n)).setter((c, n, v) -> run(c).var("xavp:" + n, v)).build());
        l.add(PseudoVariableExport.builder("shv", "core").innerName(InnerName.REQUIRED, s -> s)
                .description("$shv(name): a value shared by every message until the server stops")
                .getter((c, n) -> SHARED.get((String) n)).setter((c, n, v) -> {
                    if (v == null) {
                        SHARED.remove((String) n);
                    } else {
                        SHARED.put((String) n, v);
                    }
                }).build());
        l.add(PseudoVariableExport.builder("time", "core").innerName(InnerName.REQUIRED, CorePseudoVariables::timeField)
                .description("$time(sec|min|hour|mday|mon|year|wday|yday): local time of the message's processing")
                .getter((c, n) -> (long) java.time.ZonedDateTime.now().get((java.time.temporal.ChronoField) n)
                        + (n == java.time.temporal.ChronoField.YEAR ? -1900 : 0)).build());
        l.add(PseudoVariableExport.builder("TV", "core").innerName(InnerName.REQUIRED, s -> s)
                .description("$TV(s|u|sn|un|Sn): seconds, microseconds, or both as text, of now")
                .getter((c, n) -> tv((String) n)).build());
        l.add(ro("Ts", "current time in seconds", c -> System.currentTimeMillis() / 1000));
        l.add(ro("RANDOM", "a random number", c -> (long) java.util.concurrent.ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE)));
        l.add(rw("bf", "branch flags", c -> run(c).branchFlags, (c, v) -> run(c).branchFlags = Values.toLong(v)));
        l.add(rw("br", "the first branch's URI (append_branch)", c -> run(c).branches().isEmpty() ? null
                : str(run(c).branches().get(0).uri()), (c, v) -> {
                    var b = run(c).branches();
                    if (v == null) {
                        b.clear();
                    } else if (b.isEmpty()) {
                        b.add(org.siphon.core.function.Branch.of(UriParser.parse(text(v))));
                    } else {
                        b.set(0, org.siphon.core.function.Branch.of(UriParser.parse(text(v))));
                    }
                }));
        l.add(rw("mf", "message flags", c -> run(c).flags, (c, v) -> run(c).flags = Values.toLong(v)));
        l.add(PseudoVariableExport.builder("sel", "core").innerName(InnerName.REQUIRED, Selects::compile)
                .description("$sel(name): Kamailio's selects (ruri, ruri.user, from.tag, call_id, cseq.num, via[n].host, @hf_value.name …)")
                .getter((c, n) -> ((Selects.Select) n).get(c.message())).build());
        l.add(ro("rc", "return code of the last function or route", c -> (long) run(c).retcode));
        l.add(ro("retcode", "return code of the last function or route", c -> (long) run(c).retcode));
        l.add(ro("null", "null", c -> null));
        return l;
    }

    private static void address(List<PseudoVariableExport> l, String p, String header) {
        l.add(ro(p + "u", header + " URI", c -> addr(c, header) == null ? null : str(addr(c, header).uri())));
        l.add(rw(p + "U", header + " URI user", c -> addr(c, header) != null && addr(c, header).uri() instanceof SipUri u
                ? u.user() : null, (c, v) -> setAddress(c, header, a -> a.withUri(((SipUri) a.uri()).withUser(text(v))))));
        l.add(rw(p + "d", header + " URI host", c -> addr(c, header) != null && addr(c, header).uri() instanceof SipUri u
                ? u.host() : null, (c, v) -> setAddress(c, header, a -> a.withUri(((SipUri) a.uri()).withHost(text(v))))));
        l.add(rw(p + "n", header + " display name", c -> addr(c, header) == null ? null : addr(c, header).displayName(),
                (c, v) -> setAddress(c, header, a -> new NameAddress(v == null ? null : "\"" + text(v).replace("\"", "\\\"")
                        + "\"", a.uri(), a.params()))));
        l.add(ro(p + "t", header + " tag", c -> header.equals(SipHeaderNames.FROM) ? c.message().fromTag() : c.message().toTag()));
    }

    private interface Get {
        Object get(ActionContext c) throws Exception;
    }

    private interface Set {
        void set(ActionContext c, Object v) throws Exception;
    }

    private static PseudoVariableExport ro(String name, String what, Get get) {
        return PseudoVariableExport.builder(name, "core").description("$" + name + ": " + what)
                .getter((c, n) -> get.get(c)).build();
    }

    private static PseudoVariableExport rw(String name, String what, Get get, Set set) {
        return PseudoVariableExport.builder(name, "core").description("$" + name + ": " + what + " (assignable)")
                .getter((c, n) -> get.get(c)).setter((c, n, v) -> set.set(c, v)).build();
    }

    private static ScriptRun run(ActionContext c) {
        return (ScriptRun) c;
    }

    private static Uri ruri(ActionContext c) {
        return c.message().edits().requestUri();
    }

    private static void setRuri(ActionContext c, java.util.function.UnaryOperator<SipUri> change) {
        if (ruri(c) instanceof SipUri u) {
            c.message().edits().setRequestUri(change.apply(u));
        }
    }

    private static NameAddress addr(ActionContext c, String header) {
        return header.equals(SipHeaderNames.FROM) ? c.message().from() : c.message().to();
    }

    /** Rewrites From or To from the received value: assigning twice keeps the last assignment only. */
    private static void setAddress(ActionContext c, String header, java.util.function.UnaryOperator<NameAddress> change) {
        SipMessage m = c.message();
        SipHeader h = m.header(header);
        NameAddress a = addr(c, header);
        if (h == null || a == null || !(a.uri() instanceof SipUri)) {
            return;
        }
        NameAddress current = pending(c, header, a);
        NameAddress next = change.apply(current);
        run(c).var("\u0000" + header, next);
        m.edits().replace(h, next.toString());
    }

    private static NameAddress pending(ActionContext c, String header, NameAddress received) {
        Object p = run(c).var("\u0000" + header);
        return p instanceof NameAddress n ? n : received;
    }

    /** A header's value by a name made canonical at load time. */
    private static String headerValue(SipMessage m, String canonical) {
        SipHeader h = m instanceof org.siphon.core.internal.message.SipMessageImpl impl
                ? impl.headerByCanonicalName(canonical) : m.header(canonical);
        return h == null ? null : h.value();
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static String text(Object v) {
        return Values.toText(v);
    }
}
