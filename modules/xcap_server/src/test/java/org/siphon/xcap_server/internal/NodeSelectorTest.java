package org.siphon.xcap_server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class NodeSelectorTest {

    static final String RULES = """
            <?xml version="1.0" encoding="UTF-8"?>
            <cr:ruleset xmlns="urn:ietf:params:xml:ns:pres-rules" xmlns:cr="urn:ietf:params:xml:ns:common-policy">
              <cr:rule id="a"><cr:conditions><cr:identity><cr:one id="sip:bob@example.com"/></cr:identity></cr:conditions>
                <cr:actions><sub-handling>allow</sub-handling></cr:actions></cr:rule>
              <cr:rule id="b/c"><cr:actions><sub-handling>block</sub-handling></cr:actions></cr:rule>
            </cr:ruleset>
            """;

    static Document doc() throws Exception {
        return XmlDocs.parse(RULES.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stepsKeepSlashesInPredicates() {
        assertEquals(List.of("a", "b[@id=\"x/y\"]", "@z"), NodeSelector.steps("/a/b[@id=\"x/y\"]/@z"));
    }

    @Test
    void elementsByNamePositionAndAttribute() throws Exception {
        Document d = doc();
        Element rule = (Element) NodeSelector.select(d, "/ruleset/rule[2]", Map.of());
        assertEquals("b/c", rule.getAttribute("id"));
        Element handling = (Element) NodeSelector.select(d, "/ruleset/rule[@id=\"a\"]/actions/sub-handling", Map.of());
        assertEquals("allow", handling.getTextContent());
        assertEquals("block", NodeSelector.select(d, "/ruleset/rule[@id='b/c']/actions/*", Map.of()).getTextContent());
        Attr id = (Attr) NodeSelector.select(d, "/ruleset/rule[1]/conditions/identity/one/@id", Map.of());
        assertEquals("sip:bob@example.com", id.getValue());
        assertEquals("ruleset", NodeSelector.select(d, "/", Map.of()).getLocalName());
    }

    @Test
    void prefixesFromTheUriTheParameterOrTheDocument() throws Exception {
        Document d = doc();
        assertEquals("a", ((Element) NodeSelector.select(d, "/cr:ruleset/cr:rule[1]", Map.of())).getAttribute("id"));
        assertEquals("a", ((Element) NodeSelector.select(d, "/p:ruleset/p:rule[1]",
                Map.of("p", "urn:ietf:params:xml:ns:common-policy"))).getAttribute("id"));
        assertNull(NodeSelector.select(d, "/p:ruleset", Map.of("p", "urn:other")));
        assertThrows(NodeSelector.BadSelector.class, () -> NodeSelector.select(d, "/zz:ruleset", Map.of()));
    }

    @Test
    void noneOrSeveralMatchesSelectNothing() throws Exception {
        Document d = doc();
        assertNull(NodeSelector.select(d, "/ruleset/rule", Map.of()), "two rules: not one node");
        assertNull(NodeSelector.select(d, "/ruleset/rule[3]", Map.of()));
        assertNull(NodeSelector.select(d, "/ruleset/rule[@id=\"zz\"]", Map.of()));
        assertNull(NodeSelector.select(d, "/other", Map.of()));
        assertNull(NodeSelector.select(d, "/ruleset/rule[1]/@nope", Map.of()));
    }

    @Test
    void unsupportedSyntaxIsABadSelector() throws Exception {
        Document d = doc();
        for (String bad : new String[] { "/ruleset/rule[position()=1]", "/ruleset/@x/rule", "/ruleset/namespace::*",
                "/ruleset/rule[1]junk" }) {
            assertThrows(NodeSelector.BadSelector.class, () -> NodeSelector.select(d, bad, Map.of()), bad);
        }
    }
}
