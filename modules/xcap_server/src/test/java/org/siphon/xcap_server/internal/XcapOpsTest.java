package org.siphon.xcap_server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.siphon.xcap_server.internal.XcapOps.Answer;
import org.siphon.xcap_server.internal.XcapOps.Owner;
import org.siphon.xcap_server.internal.XcapOps.Preconditions;
import org.siphon.test.TestDatabase;

class XcapOpsTest {

    static final String DOC = "/xcap-root/resource-lists/users/sip:alice@example.com/index";
    static final String LISTS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists">
              <list name="friends"><entry uri="sip:bob@example.com"><display-name>Bob</display-name></entry></list>
            </resource-lists>
            """;
    static final Owner ALICE = Owner.of("sip:alice@example.com");

    TestDatabase h2;
    XcapOps ops;

    @AfterEach
    void closeDatabase() {
        h2.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        h2 = new TestDatabase();
        XcapDb db = new XcapDb(h2, "xcap");
        db.ensure();
        ops = new XcapOps(db, Map.of());
    }

    static XcapUri uri(String s) throws XcapUri.Invalid {
        return XcapUri.parse(s, "/xcap-root/");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Preconditions ifMatch(String etag) {
        return new Preconditions("\"" + etag + "\"", null);
    }

    static Preconditions ifNoneMatch(String etag) {
        return new Preconditions(null, etag.equals("*") ? "*" : "\"" + etag + "\"");
    }

    @Test
    void putGetReplaceDeleteWithEtagsInKamailiosTable() throws Exception {
        Answer created = ops.put(ALICE, uri(DOC), utf8(LISTS), Preconditions.NONE, 5060);
        assertEquals(201, created.code());
        assertNotNull(created.etag());
        assertEquals(List.of("alice|example.com|3|4|" + DOC + "|5060|" + created.etag()),
                h2.rows("SELECT username, domain, doc_type, source, doc_uri, port, etag FROM xcap"));
        Answer got = ops.get(uri(DOC), Preconditions.NONE);
        assertEquals(200, got.code());
        assertEquals("application/resource-lists+xml", got.contentType());
        assertEquals(LISTS, got.body());
        assertEquals(created.etag(), got.etag());

        Answer replaced = ops.put(ALICE, uri(DOC), utf8(LISTS.replace("Bob", "Robert")), Preconditions.NONE, 5060);
        assertEquals(200, replaced.code());
        assertNotEquals(created.etag(), replaced.etag());
        assertTrue(ops.get(uri(DOC), Preconditions.NONE).body().contains("Robert"));

        Answer deleted = ops.delete(uri(DOC), Preconditions.NONE);
        assertEquals(200, deleted.code());
        assertEquals(replaced.etag(), deleted.etag());
        assertEquals(404, ops.get(uri(DOC), Preconditions.NONE).code());
        assertEquals(404, ops.delete(uri(DOC), Preconditions.NONE).code());
        assertEquals(List.of(), h2.rows("SELECT id FROM xcap"));
    }

    @Test
    void conditionalRequests() throws Exception {
        String e1 = ops.put(ALICE, uri(DOC), utf8(LISTS), ifNoneMatch("*"), 0).etag();
        assertEquals(412, ops.put(ALICE, uri(DOC), utf8(LISTS), ifNoneMatch("*"), 0).code(), "create-only on an existing document");
        assertEquals(304, ops.get(uri(DOC), ifNoneMatch(e1)).code());
        assertEquals(e1, ops.get(uri(DOC), ifNoneMatch(e1)).etag());
        assertEquals(200, ops.get(uri(DOC), ifNoneMatch("other")).code());
        assertEquals(412, ops.put(ALICE, uri(DOC), utf8(LISTS), ifMatch("stale"), 0).code());
        String e2 = ops.put(ALICE, uri(DOC), utf8(LISTS), ifMatch(e1), 0).etag();
        assertEquals(412, ops.put(ALICE, uri(DOC), utf8(LISTS), ifMatch(e1), 0).code(), "the old tag no longer matches");
        assertEquals(412, ops.delete(uri(DOC), ifMatch(e1)).code());
        assertEquals(200, ops.delete(uri(DOC), ifMatch(e2)).code());
        assertEquals(412, ops.put(ALICE, uri(DOC), utf8(LISTS), ifMatch(e2), 0).code(), "If-Match with no document");
    }

    @Test
    void badDocumentsGet409WithTheXcapErrorBodyAndAreNotStored() throws Exception {
        Answer a = ops.put(ALICE, uri(DOC), utf8("<resource-lists xmlns='urn:ietf:params:xml:ns:resource-lists'>"),
                Preconditions.NONE, 0);
        assertEquals(409, a.code());
        assertEquals("application/xcap-error+xml", a.contentType());
        assertTrue(a.body().contains("<not-well-formed/>"), a.body());
        Answer wrongRoot = ops.put(ALICE, uri(DOC), utf8("<ruleset xmlns='urn:ietf:params:xml:ns:common-policy'/>"),
                Preconditions.NONE, 0);
        assertEquals(409, wrongRoot.code());
        assertTrue(wrongRoot.body().contains("<schema-validation-error/>"));
        Answer xxe = ops.put(ALICE, uri(DOC), utf8("<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<resource-lists xmlns='urn:ietf:params:xml:ns:resource-lists'>&x;</resource-lists>"), Preconditions.NONE, 0);
        assertEquals(409, xxe.code());
        assertEquals(List.of(), h2.rows("SELECT id FROM xcap"));
        assertEquals(404, ops.put(ALICE, uri("/xcap-root/unknown-auid/users/sip:a@b/index"), utf8(LISTS), Preconditions.NONE, 0)
                .code());
    }

    @Test
    void elementAndAttributeSelectors() throws Exception {
        String e1 = ops.put(ALICE, uri(DOC), utf8(LISTS), Preconditions.NONE, 0).etag();
        Answer el = ops.get(uri(DOC + "/~~/resource-lists/list%5b@name=%22friends%22%5d/entry"), Preconditions.NONE);
        assertEquals(200, el.code());
        assertEquals("application/xcap-el+xml", el.contentType());
        assertTrue(el.body().startsWith("<entry") && el.body().contains("Bob") && !el.body().startsWith("<?xml"), el.body());
        assertEquals(e1, el.etag());
        Answer att = ops.get(uri(DOC + "/~~/resource-lists/list/entry/@uri"), Preconditions.NONE);
        assertEquals("application/xcap-att+xml", att.contentType());
        assertEquals("sip:bob@example.com", att.body());
        assertEquals(404, ops.get(uri(DOC + "/~~/resource-lists/list/entry[5]"), Preconditions.NONE).code());
        assertEquals(400, ops.get(uri(DOC + "/~~/resource-lists/list[last()]"), Preconditions.NONE).code());
    }

    @Test
    void putAndDeleteOfNodes() throws Exception {
        ops.put(ALICE, uri(DOC), utf8(LISTS), Preconditions.NONE, 0);
        Answer added = ops.put(ALICE, uri(DOC + "/~~/resource-lists/list/entry%5b@uri=%22sip:carol@example.com%22%5d"),
                utf8("<entry xmlns='urn:ietf:params:xml:ns:resource-lists' uri='sip:carol@example.com'/>"), Preconditions.NONE, 0);
        assertEquals(200, added.code());
        assertEquals("sip:carol@example.com", ops.get(uri(DOC + "/~~/resource-lists/list/entry[2]/@uri"), Preconditions.NONE).body());
        assertEquals(200, ops.put(ALICE, uri(DOC + "/~~/resource-lists/list/@name"), utf8("buddies"), Preconditions.NONE, 0).code());
        assertEquals("buddies", ops.get(uri(DOC + "/~~/resource-lists/list/@name"), Preconditions.NONE).body());
        assertEquals(409, ops.put(ALICE, uri(DOC + "/~~/resource-lists/list/entry[1]"), utf8("<other/>"), Preconditions.NONE, 0)
                .code(), "the element must be the one the selector names");
        assertEquals(409, ops.put(ALICE, uri(DOC + "/~~/resource-lists/nope/entry"), utf8("<entry/>"), Preconditions.NONE, 0)
                .code(), "no parent");
        Answer removed = ops.delete(uri(DOC + "/~~/resource-lists/list/entry[1]"), Preconditions.NONE);
        assertEquals(200, removed.code());
        assertEquals(removed.etag(), ops.get(uri(DOC), Preconditions.NONE).etag());
        assertTrue(!ops.get(uri(DOC), Preconditions.NONE).body().contains("Bob"));
        assertEquals(200, ops.delete(uri(DOC + "/~~/resource-lists/list/@name"), Preconditions.NONE).code());
        assertEquals(404, ops.get(uri(DOC + "/~~/resource-lists/list/@name"), Preconditions.NONE).code());
        assertEquals(409, ops.delete(uri(DOC + "/~~/resource-lists"), Preconditions.NONE).code(), "not the root element");
        assertEquals(409, ops.put(ALICE, uri("/xcap-root/resource-lists/users/sip:alice@example.com/none/~~/resource-lists/list"),
                utf8("<list/>"), Preconditions.NONE, 0).code(), "no document");
    }

    @Test
    void ownerOfTheUriArgument() {
        assertEquals(new Owner("alice", "example.com"), Owner.of("sip:alice@example.com;transport=tcp"));
        assertEquals(new Owner("bob", "b.org"), Owner.of("bob@b.org"));
        assertEquals(new Owner("", "example.com"), Owner.of("sip:example.com"));
    }
}
