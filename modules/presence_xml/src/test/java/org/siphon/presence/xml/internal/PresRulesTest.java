package org.siphon.presence.xml.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.presence.PresenceEvent;
import org.siphon.presence.PresenceEvent.Authorisation;

class PresRulesTest {

    static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-07T12:00:00Z");

    static String ruleset(String... rules) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><cr:ruleset xmlns=\"urn:ietf:params:xml:ns:pres-rules\" "
                + "xmlns:cr=\"urn:ietf:params:xml:ns:common-policy\" xmlns:ocp=\"urn:oma:xml:xdm:common-policy\">"
                + String.join("", rules) + "</cr:ruleset>";
    }

    static String rule(String id, String conditions, String action) {
        return "<cr:rule id=\"" + id + "\">" + (conditions == null ? "" : "<cr:conditions>" + conditions
                + "</cr:conditions>") + "<cr:actions>" + (action == null ? "" : "<sub-handling>" + action
                        + "</sub-handling>") + "</cr:actions><cr:transformations/></cr:rule>";
    }

    static int eval(String doc, String watcher) throws Exception {
        return PresRules.parse(doc.getBytes(StandardCharsets.UTF_8)).subHandling(watcher, NOW);
    }

    @Test
    void identityOneAndMany() throws Exception {
        String d = ruleset(rule("a", "<cr:identity><cr:one id=\"sip:bob@example.com\"/></cr:identity>", "allow"),
                rule("b", "<cr:identity><cr:many domain=\"example.org\"><cr:except id=\"sip:eve@example.org\"/>"
                        + "</cr:many></cr:identity>", "confirm"));
        assertEquals(PresRules.ALLOW, eval(d, "sip:bob@example.com"));
        assertEquals(PresRules.CONFIRM, eval(d, "sip:carol@example.org"));
        assertEquals(-1, eval(d, "sip:eve@example.org"), "excepted by id");
        assertEquals(-1, eval(d, "sip:carol@example.com"), "no rule names carol at example.com");
        assertEquals(PresRules.ALLOW, eval(ruleset(rule("a", "<cr:identity><cr:one id=\"bob@example.com\"/>"
                + "</cr:identity>", "allow")), "sip:bob@example.com"), "an id without scheme");
    }

    @Test
    void exceptDomainAndAnyone() throws Exception {
        String d = ruleset(rule("a", "<cr:identity><cr:many><cr:except domain=\"spam.example\"/></cr:many></cr:identity>",
                "polite-block"));
        assertEquals(PresRules.POLITE_BLOCK, eval(d, "sip:x@example.com"));
        assertEquals(-1, eval(d, "sip:x@spam.example"));
        assertEquals(PresRules.BLOCK, eval(ruleset(rule("all", null, "block")), "sip:anyone@any.where"),
                "no conditions: every watcher");
    }

    @Test
    void highestPermissionWins() throws Exception {
        String d = ruleset(rule("b", "<cr:identity><cr:many/></cr:identity>", "block"),
                rule("a", "<cr:identity><cr:one id=\"sip:bob@example.com\"/></cr:identity>", "allow"));
        assertEquals(PresRules.ALLOW, eval(d, "sip:bob@example.com"));
        assertEquals(PresRules.BLOCK, eval(d, "sip:mallory@example.com"));
    }

    @Test
    void validityAndUnknownConditions() throws Exception {
        String now = "<cr:validity><cr:from>2026-12-07T00:00:00Z</cr:from><cr:until>2026-12-08T00:00:00+00:00</cr:until>"
                + "</cr:validity>";
        String past = "<cr:validity><cr:from>2025-01-01T00:00:00Z</cr:from><cr:until>2025-01-02T00:00:00Z</cr:until>"
                + "</cr:validity>";
        String bob = "<cr:identity><cr:one id=\"sip:bob@example.com\"/></cr:identity>";
        assertEquals(PresRules.ALLOW, eval(ruleset(rule("a", bob + now, "allow")), "sip:bob@example.com"));
        assertEquals(-1, eval(ruleset(rule("a", bob + past, "allow")), "sip:bob@example.com"));
        assertEquals(PresRules.ALLOW, eval(ruleset(rule("a", bob + "<cr:sphere value=\"work\"/>", "allow")),
                "sip:bob@example.com"), "sphere accepted");
        assertEquals(-1, eval(ruleset(rule("a", bob + "<x:future xmlns:x=\"urn:x\"/>", "allow")), "sip:bob@example.com"),
                "a condition not understood: the rule does not apply");
        assertEquals(-1, eval(ruleset(rule("a", bob, null)), "sip:bob@example.com"), "no sub-handling");
        assertEquals(-1, eval(ruleset(rule("a", bob, "whatever")), "sip:bob@example.com"));
    }

    @Test
    void omaOtherIdentity() throws Exception {
        String d = ruleset(rule("a", "<cr:identity><cr:one id=\"sip:bob@example.com\"/></cr:identity>", "allow"),
                rule("o", "<ocp:other-identity/>", "confirm"));
        assertEquals(PresRules.ALLOW, eval(d, "sip:bob@example.com"));
        assertEquals(PresRules.CONFIRM, eval(d, "sip:carol@example.com"));
    }

    @Test
    void unsafeDocumentsRefused() {
        assertThrows(Xml.BadXml.class, () -> eval("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<ruleset>&x;</ruleset>", "sip:a@b"));
        assertThrows(Xml.BadXml.class, () -> eval("<ruleset><rule>", "sip:a@b"));
    }

    @Test
    void authoriserDecisions() throws Exception {
        List<byte[]> docs = new ArrayList<>();
        XcapRules table = new XcapRules(null, "xcap") {
            @Override
            List<byte[]> documents(String user, String domain) {
                assertEquals("alice", user);
                assertEquals("example.com", domain);
                return docs;
            }
        };
        RulesAuthoriser a = new RulesAuthoriser(table, "probation", () -> NOW.toInstant().toEpochMilli());
        assertEquals(new Authorisation(PresenceEvent.UNDECIDED, "probation"), a.decide("sip:bob@example.com",
                "sip:alice@example.com"), "no document");
        for (String[] c : new String[][] { { "allow", "1", null }, { "polite-block", "1", "polite-block" },
                { "confirm", "2", null }, { "block", "3", "rejected" } }) {
            docs.clear();
            docs.add(ruleset(rule("a", "<cr:identity><cr:one id=\"sip:bob@example.com\"/></cr:identity>", c[0]))
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(new Authorisation(Integer.parseInt(c[1]), c[2]), a.decide("sip:Bob@example.com",
                    "sip:alice@example.com"), c[0]);
        }
        docs.clear();
        docs.add("<ruleset".getBytes(StandardCharsets.UTF_8));
        assertEquals(PresenceEvent.UNDECIDED, a.decide("sip:bob@example.com", "sip:alice@example.com").status());
    }
}
