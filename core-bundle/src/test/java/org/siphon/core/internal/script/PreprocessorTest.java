package org.siphon.core.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessorTest {

    @TempDir
    Path dir;

    private static String run(String text, Map<String, String> defines) throws ScriptException {
        return new Preprocessor(defines).run("t.cfg", text, null).text();
    }

    @Test
    void definesIfdefsAndCommandLineDefines() throws Exception {
        String out = run("""
                #!define WITH_AUTH
                #!define DBURL "postgres://x"
                #!trydef PORT 5060
                #!trydef PORT 5070
                #!ifdef WITH_AUTH
                auth=yes
                #!else
                auth=no
                #!endif
                !!ifndef WITH_NAT
                nat=no
                !!endif
                #!ifdef FROM_CLI
                cli=VALUE
                #!endif
                url=DBURL port=PORT "PORT stays in strings" $var(PORT) # PORT in a comment
                """, Map.of("FROM_CLI", "", "VALUE", "42"));
        String[] lines = out.split("\n", -1);
        assertEquals("auth=yes", lines[5]);
        assertEquals("", lines[7]);
        assertEquals("nat=no", lines[10]);
        assertEquals("cli=42", lines[13]);
        assertEquals("url=\"postgres://x\" port=5060 \"PORT stays in strings\" $var(PORT) # PORT in a comment", lines[15]);
    }

    @Test
    void redefineSubstAndIncludes() throws Exception {
        Files.writeString(dir.resolve("inc.cfg"), "included=1\n");
        Path main = dir.resolve("main.cfg");
        Files.writeString(main, """
                #!define A 1
                #!redefine A 2
                #!substdef "/HOST/sip.example.com/"
                #!include_file "inc.cfg"
                #!import_file "missing.cfg"
                a=A h="HOST"
                """);
        Preprocessor.Result r = new Preprocessor(Map.of()).run(main);
        assertTrue(r.text().contains("included=1"), r.text());
        assertTrue(r.text().contains("a=2 h=\"sip.example.com\""), r.text());
        int includedLine = r.text().split("\n").length;
        assertTrue(r.fileOf(4).endsWith("inc.cfg"));
        assertEquals(1, r.lineOf(4));
        assertTrue(includedLine > 4);
    }

    @Test
    void faultsAreReportedWithTheirLine() {
        ScriptException e = assertThrows(ScriptException.class, () -> run("#!define A\n#!define A\n#!ifdef A\n#!bogus\n", Map.of()));
        String all = e.problems().toString();
        assertTrue(all.contains("t.cfg:2:1: A is already defined"), all);
        assertTrue(all.contains("t.cfg:4:1: unknown directive #!bogus"), all);
        assertTrue(all.contains("without #!endif"), all);
        assertThrows(ScriptException.class, () -> run("#!include_file \"nowhere.cfg\"\n", Map.of()));
        assertThrows(ScriptException.class, () -> run("#!endif\n", Map.of()));
    }

    /** The stock kamailio.cfg writes include_file and import_file without #!; a missing import is a warning. */
    @Test
    void bareIncludesAsTheStockConfigWritesThem() throws Exception {
        Files.writeString(dir.resolve("local.cfg"), "#!define FROM_LOCAL 7\n");
        Path main = dir.resolve("main.cfg");
        Files.writeString(main, """
                import_file "local.cfg"
                import_file "kamailio-local.cfg"
                x=FROM_LOCAL
                """);
        Preprocessor.Result r = new Preprocessor(Map.of()).run(main);
        assertTrue(r.text().contains("x=7"), r.text());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains("main.cfg:2: import_file") && r.warnings().get(0).contains("kamailio-local.cfg"),
                r.warnings().get(0));
        Files.writeString(main, "request_route {\n  include_file \"gone.cfg\"\n}\n");
        ScriptException e = assertThrows(ScriptException.class, () -> new Preprocessor(Map.of()).run(main));
        assertTrue(e.problems().toString().contains("main.cfg:2:1: include_file: cannot read"), e.problems().toString());
    }

    @Test
    void expressionsDefineAndDecide() throws Exception {
        String out = run("""
                #!define ADDR "127.0.0.1"
                #!define PORT 5060
                #!defexps SIPURI "sip:" + ADDR + ":" + PORT
                #!defexp NEXT PORT + 2 * 5
                #!ifexp PORT == 5060 && !(NEXT < 5000)
                both=yes
                #!else
                both=no
                #!endif
                #!ifexp ADDR == "10.0.0.1"
                addr=ten
                #!endif
                u=SIPURI n=NEXT
                """, Map.of());
        String[] lines = out.split("\n", -1);
        assertEquals("both=yes", lines[5]);
        assertEquals("", lines[7]);
        assertEquals("", lines[10]);
        assertEquals("u=\"sip:127.0.0.1:5060\" n=5070", lines[12]);
        ScriptException e = assertThrows(ScriptException.class, () -> run("#!defexp X 1 / 0\n#!ifexp NOPE > 1\n#!endif\n", Map.of()));
        String all = e.problems().toString();
        assertTrue(all.contains("t.cfg:1:1: #!defexp X: division by zero"), all);
        assertTrue(all.contains("t.cfg:2:1: #!ifexp: 'NOPE' is not defined"), all);
    }

    @Test
    void continuedDefinesAndEnvironment() throws Exception {
        String home = System.getenv("PATH");
        String out = run("""
                #!define LONG first \\
                    second
                #!defenvs P=PATH
                #!trydefenv Q=SIPHON_SURELY_UNSET_VARIABLE
                v=LONG p=P q=Q
                """, Map.of());
        String[] lines = out.split("\n", -1);
        assertEquals("", lines[1], "the continued line is part of the define");
        assertEquals("v=first second p=\"" + home + "\" q=Q", lines[4]);
        ScriptException e = assertThrows(ScriptException.class, () -> run("#!defenv Q=SIPHON_SURELY_UNSET_VARIABLE\n", Map.of()));
        assertTrue(e.problems().toString().contains("SIPHON_SURELY_UNSET_VARIABLE is not set"));
    }
}
