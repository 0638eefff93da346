package org.siphon.core.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.siphon.core.internal.message.SipMessageWriter;
import org.siphon.core.sip.SipRequest;

class ScriptEngineTest extends ScriptTestSupport {

    private Object value(String expr) throws Exception {
        ScriptRun r = run("$var(x) = " + expr + ";");
        return r.var("x");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiterString = "=>", value = {
        "1 + 2 * 3 => 7", "(1 + 2) * 3 => 9", "7 mod 3 => 1", "7 / 2 => 3", "1 << 4 => 16", "0xff & 0x0f => 15",
        "5 | 2 => 7", "6 ^ 3 => 5", "~0 => -1", "-3 + 1 => -2", "\"a\" + \"b\" => ab", "\"x\" + 1 => x1",
        "1 == 1 => 1", "\"10\" == 10 => 1", "\"abc\" == \"abd\" => 0", "\"B\" ieq \"b\" => 1",
        "\"b\" eq \"b\" => 1", "\"b\" ne \"b\" => 0", "2 > 10 => 0", "\"2\" > \"10\" => 0",
        "\"abc\" =~ \"^a.c$\" => 1", "\"abc\" !~ \"b\" => 0", "!0 => 1", "1 && 0 => 0", "0 || 2 => 1",
        "strlen(\"hello\") => 5", "defined $var(nothing) => 0", "$rm => INVITE", "$rU => bob", "$rd => biloxi.example.com",
        "$rp => 5060", "$fU => alice", "$ft => f1", "$tt => 0", "$ci => call-1", "$cs => 7", "$ua => UA/1",
        "$hdr(X-Num) + 1 => 43", "$hdrc(Via) => 1", "$si => 10.0.0.1", "$sp => 5070", "$Rp => 5060", "$pr => udp",
        "$fn => \"Alice\"", "$tu => sip:bob@biloxi.example.com", "$tU => bob", "$td => biloxi.example.com", "$tn => 0",
        "$fu => sip:alice@atlanta.example.com", "$fd => atlanta.example.com", "$rz => sip", "$Ri => 127.0.0.1",
        "$proto => udp", "$ml > 200 => 1", "$msg(len) == $ml => 1", "$msg(fline) => INVITE sip:bob@biloxi.example.com SIP/2.0",
        "$(msg(hdrs){line.count}) => 9", "strlen($rb) => 0", "$rs => 0", "$rr => 0", "$du => 0",
        "$TV(u) < 1000000 => 1", "$Ts > 1700000000 => 1", "$RANDOM >= 0 => 1", "\"$rm to $rU\" => INVITE to bob", "\"cost: $$5\" => cost: $5", "(int)\"12\" + 1 => 13" })
    void expressions(String expr, String expected) throws Exception {
        assertEquals(expected, Values.toText(value(expr)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiterString = "=>", value = {
        "$(ru{uri.user}) => bob", "$(ru{uri.host}) => biloxi.example.com", "$(rU{s.len}) => 3",
        "$(rU{s.toupper}) => BOB", "$(rm{s.substr,1,3}) => NVI", "$(rm{s.substr,-2,0}) => TE",
        "$(ci{s.md5}) => 747df9905da836742ff24c1c587b59b5", "$(hdr(X-Num){s.int}) + 1 => 43",
        "$(hdr(From){tobody.tag}) => f1", "$(hdr(From){tobody.user}) => alice", "$(hdr(From){nameaddr.name}) => \"Alice\"",
        "$(ru{s.select,0,@}) => sip:bob", "$(ru{s.select,-1,.}) => com", "$(ru{s.count,.}) => 2",
        "$(ru{uri.host}{s.toupper}{s.len}) => 18", "$(ru{re.subst,/bob@([a-z]+)/\\1-was-here/}) => sip:biloxi-was-here.example.com",
        "$(rm{re.subst,/i/X/gi}) => XNVXTE", "$(mb{line.count}) => 11", "$(mb{line.at,0}) => INVITE sip:bob@biloxi.example.com SIP/2.0",
        "$(mb{line.sw,CSeq}) => CSeq: 7 INVITE", "$sel(ruri.user) => bob", "$sel(from.tag) => f1", "$sel(call_id) => call-1",
        "$sel(cseq.method) => INVITE", "$sel(via[1].host) => 10.0.0.1", "$sel(@hf_value.x-num) => 42", "$sel(to.host) => biloxi.example.com",
        "$sel(ruri) => sip:bob@biloxi.example.com" })
    void transformations(String expr, String expected) throws Exception {
        assertEquals(expected, Values.toText(value(expr)));
    }

    @Test
    void attributesSharedValuesAndTime() throws Exception {
        ScriptRun r = run("$avp(s:a) = \"x\"; $var(a) = $avp(a); $xavp(c=>n) = 5; $var(x) = $xavp(c=>n) + 1;"
                + "$shv(count) = 7; $var(y) = $time(year) + 1900; $var(t) = $TV(s) > 1700000000;");
        assertEquals("x", r.var("a"));
        assertEquals(6L, r.var("x"));
        assertTrue((Long) r.var("y") >= 2026);
        assertEquals(1L, r.var("t"));
        assertEquals(7L, run("$var(s) = $shv(count);").var("s"), "$shv outlives the message");
        assertThrows(ScriptException.class, () -> load("request_route { $var(x) = $time(never); }"));
    }

    @Test
    void branchesSocketsAndNoConnectAreKeptForForwarding() throws Exception {
        ScriptRun r = run("append_branch(\"sip:alt@10.0.0.5\"); append_branch(); force_send_socket(\"udp:127.0.0.1:5060\");"
                + "set_forward_no_connect(); force_rport();");
        assertEquals(List.of("sip:alt@10.0.0.5", "sip:bob@biloxi.example.com"), r.branches().stream().map(b -> b.uri().toString()).toList());
        assertEquals("udp:127.0.0.1:5060", r.sendSocket());
        assertTrue(r.forwardNoConnect());
        assertTrue(r.forceRport());
        ScriptException bad = assertThrows(ScriptException.class, () -> load("request_route { force_send_socket(\"ws:x\"); }"));
        assertTrue(bad.getMessage().contains("force_send_socket"), bad.getMessage());
    }

    @Test
    void modparamsAreCheckedAgainstTheModulesParameters() throws Exception {
        engine.modparamCheck((module, name, value) -> name.equals("fr_timer")
                ? ModuleParameters.typeProblem(name, "Integer", value) : "module " + module + " has no parameter " + name);
        Script ok = load("loadmodule \"tm.so\"\nmodparam(\"tm\", \"fr_timer\", 30000)\nrequest_route { exit; }");
        assertEquals("30000", ok.modparams().get(0)[2]);
        ScriptException e = assertThrows(ScriptException.class, () -> load(
                "modparam(\"tm\", \"fr_timer\", \"soon\")\nmodparam(\"tm|tm\", \"nope\", 1)\nrequest_route { exit; }"));
        String all = e.problems().toString();
        assertTrue(all.contains("test.cfg:1:1: modparam(\"tm\", \"fr_timer\"): fr_timer needs a number, not \"soon\""), all);
        assertTrue(all.contains("test.cfg:2:1: modparam(\"tm\", \"nope\"): module tm has no parameter nope"), all);
        assertEquals(null, ModuleParameters.typeProblem("x", "Boolean", "yes"));
        assertTrue(ModuleParameters.typeProblem("x", "Boolean", "maybe").contains("yes/no"));
    }

    @Test
    void branchFlagsAndBranchUri() throws Exception {
        ScriptRun r = run("setbflag(2); if (isbflagset(2)) { $var(a) = $bf; } resetbflag(2); if (!isbflagset(2)) { $var(b) = 1; }"
                + "$br = \"sip:first@h\"; append_branch(\"sip:second@h\"); $var(br) = $br; setflag(1); $var(mf) = $mf;"
                + "set_reply_no_connect();");
        assertEquals(4L, r.var("a"));
        assertEquals(1L, r.var("b"));
        assertEquals("sip:first@h", r.var("br"));
        assertEquals(2, r.branches().size());
        assertEquals(2L, r.var("mf"));
        assertTrue(((org.siphon.core.internal.message.SipMessageImpl) r.message()).replyNoConnect());
        assertThrows(ScriptException.class, () -> load("request_route { $var(x) = $sel(nonsense); }"));
    }

    @Test
    void aModulePseudoVariableFollowsItsModule() throws Exception {
        var v1 = org.siphon.core.pv.PseudoVariableExport.builder("T_test", "tm")
                .innerName(org.siphon.core.pv.PseudoVariableExport.InnerName.OPTIONAL, n -> "v1:" + n)
                .getter((c, n) -> n).build();
        pvs.add(List.of(v1));
        Script s = load("request_route { $var(x) = $T_test(a); $var(y) = $(T_test(b){s.len}); }");
        assertEquals(2, s.modulePvs.size(), "the plain and the transformed use are both tracked");
        ScriptRun before = ScriptEngine.run(s, core, request("sip:b@h"), "0", org.siphon.core.function.RouteType.REQUEST);
        assertEquals("v1:a", before.var("x"));
        s.modulePvs.forEach(pv -> pv.bind(null));
        assertEquals(0L, ScriptEngine.run(s, core, request("sip:b@h"), "0", org.siphon.core.function.RouteType.REQUEST).var("x"),
                "gone: reads as null ($var keeps 0)");
        var v2 = org.siphon.core.pv.PseudoVariableExport.builder("T_test", "tm")
                .innerName(org.siphon.core.pv.PseudoVariableExport.InnerName.OPTIONAL, n -> "v2:" + n)
                .getter((c, n) -> n).build();
        s.modulePvs.forEach(pv -> pv.bind(v2));
        ScriptRun after = ScriptEngine.run(s, core, request("sip:b@h"), "0", org.siphon.core.function.RouteType.REQUEST);
        assertEquals("v2:a", after.var("x"), "the new version parses the name again and answers");
        assertEquals(4L, after.var("y"));
    }

    @Test
    void msgApplyChangesMakesEditsVisibleToReads() throws Exception {
        functions.add(List.of(org.siphon.core.function.FunctionExport.builder("add_hdr", "tm").args(1)
                .handler((ctx, a) -> { ctx.message().edits().append("X-Added", (String) a[0]); return 1; }).build()));
        ScriptRun r = run("add_hdr(\"one\"); $var(before) = $hdrc(X-Added); msg_apply_changes(); $var(after) = $hdr(X-Added);"
                + "$var(rm) = $rm;");
        assertEquals(0L, r.var("before"), "edits are not visible before msg_apply_changes");
        assertEquals("one", r.var("after"));
        assertEquals("INVITE", r.var("rm"));
        assertEquals(-1L, run("$var(x) = change_reply_status(\"404\", \"No\");").var("x"), "only in reply routes");
    }

    @Test
    void engineParametersChangeTheEngine() throws Exception {
        Script s = load("max_while_loops=5\nlatency_limit_action=1\nrequest_route { $var(i) = 0; while (1) { $var(i) = $var(i) + 1; } }");
        ScriptRun r = ScriptEngine.run(s, core, request("sip:x@y"), "0", org.siphon.core.function.RouteType.REQUEST);
        assertEquals(5L, r.var("i"));
        assertThrows(ScriptException.class, () -> load("max_while_loops=many\nrequest_route { exit; }"));
    }

    @Test
    void theFaqCountAndSelectLoopRunsAsWritten() throws Exception {
        ScriptRun r = run("""
                $var(list) = "alpha,beta,gamma";
                $var(out) = "";
                $var(i) = 0;
                $var(n) = $(var(list){s.count,,});
                while ($var(i) <= $var(n)) {
                    $var(out) = $var(out) + "[" + $(var(list){s.select,$var(i),,}) + "]";
                    $var(i) = $var(i) + 1;
                }
                """);
        assertEquals("[alpha][beta][gamma]", r.var("out"));
    }

    @Test
    void ifElseSwitchWhileAndRoutes() throws Exception {
        ScriptRun r = run("""
                if ($rU == "bob") { $var(a) = "yes"; } else { $var(a) = "no"; }
                switch ($rm) {
                    case "BYE": $var(s) = "bye"; break;
                    case "INVITE": $var(s) = "inv";
                    case "OTHER": $var(s) = $var(s) + "+fall"; break;
                    default: $var(s) = "none";
                }
                $var(i) = 0;
                while ($var(i) < 5) { $var(i) = $var(i) + 1; if ($var(i) == 3) { break; } }
                $var(w) = 0;
                while (1) { $var(w) = $var(w) + 1; }
                route(SUB);
                $var(after) = $rc;
                }
                route[SUB] {
                    return 3;
                """, request("sip:bob@biloxi.example.com"));
        assertEquals("yes", r.var("a"));
        assertEquals("inv+fall", r.var("s"));
        assertEquals(3L, r.var("i"));
        assertEquals(100L, r.var("w"), "max_while_loops");
        assertEquals(3L, r.var("after"));
    }

    @Test
    void switchOnNegativeReturnCodesWithSharedCases() throws Exception {
        ScriptRun r = run("""
                $var(rc) = -3;
                switch ($var(rc)) {
                    case -1:
                    case -3:
                        $var(s) = "not found";
                        break;
                    case -2:
                        $var(s) = "method";
                        break;
                    default:
                        $var(s) = "other";
                }
                """, request("sip:bob@biloxi.example.com"));
        assertEquals("not found", r.var("s"));
    }

    @Test
    void returnCodesFollowTheFaq() throws Exception {
        Script s = load("""
                request_route {
                    if (route(NEG)) { $var(neg) = "true"; } else { $var(neg) = "false"; }
                    if (ret("5")) { $var(five) = $rc; }
                    route(POS);
                    $var(pos) = $retcode;
                    ret("0");
                    $var(unreached) = 1;
                }
                route[NEG] { return -1; }
                route[POS] { return 2; }
                """);
        ScriptRun r = ScriptEngine.run(s, core, request("sip:x@y"), "0", org.siphon.core.function.RouteType.REQUEST);
        assertEquals("false", r.var("neg"));
        assertEquals(5L, r.var("five"));
        assertEquals(2L, r.var("pos"));
        assertEquals(null, r.var("unreached"), "a function returning 0 ends the script");
        ScriptRun c = run("if (!ret(\"0\")) { $var(replied) = 1; } $var(after) = 1;");
        assertEquals(null, c.var("replied"), "also inside a condition: if (!t_relay()) does not answer an absorbed retransmission");
        assertEquals(null, c.var("after"));
        ScriptRun z = run("route(ZERO); $var(after) = 1;\n}\nroute[ZERO] { return 0;");
        assertEquals(null, z.var("after"), "return 0 is exit");
        ScriptRun e = run("exit; $var(x) = 1;");
        assertEquals(null, e.var("x"));
        ScriptRun d = run("drop; $var(x) = 1;");
        assertTrue(d.isDropped());
    }

    @Test
    void assigningTheSamePartTwiceKeepsTheLast() throws Exception {
        SipRequest req = request("sip:bob@biloxi.example.com");
        run("$fU = \"bob\"; $fU = \"carol\"; $fd = \"example.org\"; $rU = \"dave\"; $rp = 5080; $du = \"sip:10.0.0.9:5090\";", req);
        String out = new String(SipMessageWriter.write(req), StandardCharsets.UTF_8);
        assertTrue(out.startsWith("INVITE sip:dave@biloxi.example.com:5080 SIP/2.0\r\n"), out);
        assertTrue(out.contains("From: \"Alice\" <sip:carol@example.org>;tag=f1\r\n"), out);
        assertFalse(out.contains("bobcarol"), out);
    }

    @Test
    void coreFunctionsRewriteTheRequestUriAndFlags() throws Exception {
        SipRequest req = request("sip:0049301234@gw.example.com");
        ScriptRun r = run("strip(2); prefix(\"+\"); sethost(\"10.0.0.2\"); setport(\"5070\"); setflag(3);"
                + "if (isflagset(3)) { $var(f) = 1; } resetflag(3); if (!isflagset(3)) { $var(g) = 1; }"
                + "xlog(\"L_INFO\", \"routing $rU\\n\"); xdbg(\"dbg\");", req);
        assertEquals("sip:+49301234@10.0.0.2:5070", req.edits().requestUri().toString());
        assertEquals(1L, r.var("f"));
        assertEquals(1L, r.var("g"));
        SipRequest other = request("sip:bob@biloxi.example.com");
        run("rewriteuri(\"sip:alice@example.com\"); $var(r) = $ru; revert_uri();", other);
        assertEquals("sip:bob@biloxi.example.com", other.edits().requestUri().toString(), "revert_uri() undoes the rewrite");
        assertEquals("sip:alice@example.com", run("rewriteuri(\"sip:alice@example.com\"); $var(r) = $ru;").var("r"));
        SipRequest vm = request("sip:bob@biloxi.example.com:5080");
        run("rewritehostport(\"voicemail.example.com:5060\");", vm);
        assertEquals("sip:bob@voicemail.example.com:5060", vm.edits().requestUri().toString());
        run("sethostport(\"[2001:db8::1]:5070\");", vm);
        assertEquals("sip:bob@[2001:db8::1]:5070", vm.edits().requestUri().toString());
        run("rewritehostport(\"gw.example.com\");", vm);
        assertEquals("sip:bob@gw.example.com", vm.edits().requestUri().toString(), "no port: the default");
    }

    @Test
    void moduleFunctionsAreFixedUpOnceAndFormatted() throws Exception {
        run("t_relay(); echo(\"$rU@$rd\"); if (uri == myself) { $var(m) = 1; }");
        assertEquals(List.of("t_relay", "echo bob@biloxi.example.com"), calls);
        ScriptRun mine = run("if (uri == myself) { $var(m) = 1; } if ($si != myself) { $var(n) = 1; }",
                request("sip:bob@127.0.0.1"));
        assertEquals(1L, mine.var("m"));
        assertEquals(1L, mine.var("n"));
    }

    @Test
    void bareIpAddressesAndNetworksCompareWithTheSource() throws Exception {
        ScriptRun r = run("if (src_ip == 10.0.0.1) { $var(a) = 1; } if (src_ip != 127.0.0.1) { $var(b) = 1; } "
                + "if (src_ip == 10.0.0.0/8) { $var(c) = 1; } if ($si == 192.168.0.0/16) { $var(d) = 1; } "
                + "if (dst_ip == 127.0.0.1) { $var(e) = 1; }", request("sip:bob@127.0.0.1"));
        assertEquals(1L, r.var("a"));
        assertEquals(1L, r.var("b"));
        assertEquals(1L, r.var("c"));
        assertEquals(null, r.var("d"));
        assertEquals(1L, r.var("e"));
        ScriptException bad = assertThrows(ScriptException.class, () -> load("request_route { if (src_ip == 10.0.0.300) { exit; } }"));
        assertTrue(bad.getMessage().contains("not an IPv4 address"), bad.getMessage());
    }

    @Test
    void aVariableArgumentTheFunctionRefusesMakesTheCallFalse() throws Exception {
        ScriptRun r = run("$var(n) = \"nine\"; if (!ret(\"$var(n)\")) { $var(refused) = 1; } $var(after) = 1;");
        assertEquals(1L, r.var("refused"), "ret() with a value its fixup refuses is false");
        assertEquals(1L, r.var("after"), "and the script goes on");
        assertTrue(calls.isEmpty(), calls.toString());
    }

    @Test
    void anUnboundFunctionAnswers503NamingTheModule() throws Exception {
        Script s = load("request_route { t_relay(); $var(after) = 1; }");
        FunctionCall call = s.calls.get(0);
        call.unbind();
        ScriptRun r = ScriptEngine.run(s, core, request("sip:x@y"), "0", org.siphon.core.function.RouteType.REQUEST);
        assertEquals(List.of("503 Module tm Unavailable"), replies);
        assertEquals(null, r.var("after"));
        call.bind(functions.find("t_relay").orElseThrow());
        ScriptEngine.run(s, core, request("sip:x@y"), "0", org.siphon.core.function.RouteType.REQUEST);
        assertEquals(List.of("t_relay"), calls);
    }

    /** Kamailio's custom cfg variables: declared among the globals, read with $sel(cfg_get.…), set by RPC. */
    @Test
    void customCfgVariables() throws Exception {
        Script s = load("""
                pstn.gw_ip = "" desc "PSTN GW Address"
                pstn.gw_port = 5060 desc "PSTN GW Port"
                request_route {
                    if (strempty($sel(cfg_get.pstn.gw_ip))) { $var(ip) = "none"; } else { $var(ip) = $sel(cfg_get.pstn.gw_ip); }
                    $var(port) = $sel(cfg_get.pstn.gw_port) + 1;
                }
                """);
        assertEquals(Map.of("pstn.gw_ip", "", "pstn.gw_port", 5060L), s.cfgVars());
        assertTrue(s.globals().isEmpty(), "not global parameters: " + s.globals());
        CfgVars.declare(s.cfgVars());
        ScriptRun r = ScriptEngine.run(s, core, request("sip:bob@biloxi.example.com"), "0", org.siphon.core.function.RouteType.REQUEST);
        assertEquals("none", r.var("ip"));
        assertEquals(5061L, r.var("port"));
        CfgVars.set("pstn.gw_ip", "10.0.0.101");
        assertThrows(IllegalArgumentException.class, () -> CfgVars.set("pstn.gw_port", "many"));
        assertThrows(IllegalArgumentException.class, () -> CfgVars.set("pstn.nosuch", "x"));
        r = ScriptEngine.run(s, core, request("sip:bob@biloxi.example.com"), "0", org.siphon.core.function.RouteType.REQUEST);
        assertEquals("10.0.0.101", r.var("ip"));
        CfgVars.declare(s.cfgVars());
        assertEquals("10.0.0.101", CfgVars.get("pstn.gw_ip"), "a reload with the same default keeps the value set at runtime");
        ScriptException e = assertThrows(ScriptException.class, () -> load("pstn.gw_ip = 10.0.0.1\nrequest_route { exit; }"));
        assertTrue(e.getMessage().contains("custom cfg variable needs"), e.getMessage());
    }

    /** After an unknown function in an if, its else branch is skipped with it, not reported again. */
    @Test
    void aBrokenIfTakesItsElseWithIt() {
        ScriptException e = assertThrows(ScriptException.class, () -> load("""
                request_route {
                    if (nosuch_fn("$rU", "00")) { exit; } else if ($rU == "a") { drop; } else { exit; }
                    $nosuchpv = 1;
                }
                """));
        List<String> messages = e.problems().stream().map(Object::toString).toList();
        assertEquals(2, messages.size(), messages.toString());
        assertTrue(messages.get(1).startsWith("test.cfg:3:5: unknown pseudo-variable $nosuchpv"), messages.toString());
    }

    @Test
    void errorsCarryFileLineAndColumn() {
        ScriptException e = assertThrows(ScriptException.class, () -> load("""
                children=4
                loadmodule "tm.so"
                loadmodule "nosuch.so"
                request_route {
                    nosuch_function();
                    if ($rU == "x" { exit; }
                    $nosuchpv = 1;
                    t_relay("a", "b", "c");
                    route(MISSING);
                    $rm = "BYE";
                }
                bogus_param = 1
                """));
        List<String> messages = e.problems().stream().map(Object::toString).toList();
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("test.cfg:3:12: module nosuch is not installed")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("test.cfg:5:5: unknown function 'nosuch_function'")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("test.cfg:6:") && m.contains("expected ')'")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("test.cfg:7:5: unknown pseudo-variable $nosuchpv")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("takes 0 to 2 arguments, not 3")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("route(MISSING) calls a route block that is not defined")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("$rm cannot be assigned")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("test.cfg:12:1: unknown global parameter 'bogus_param'")), messages.toString());
    }

    @Test
    void functionsAreCheckedAgainstTheRouteType() {
        ScriptException e = assertThrows(ScriptException.class,
                () -> load("request_route { exit; }\nonreply_route[R] { t_relay(); }"));
        assertTrue(e.getMessage().contains("t_relay() cannot be used in ONREPLY_ROUTE"), e.getMessage());
    }
}
