package org.siphon.xcap_server.internal;

import java.util.Locale;

/**
 * The application usages (RFC 4825 AUIDs) the server stores: each with the number Kamailio writes
 * in the {@code xcap} table's {@code doc_type} column (presence reads documents by it), its MIME
 * type (RFC 4825 section 12 and the usages' RFCs), and the root element a valid document has.
 */
enum Auid {
    PRES_RULES("pres-rules", 2, "application/auth-policy+xml", "ruleset", "urn:ietf:params:xml:ns:common-policy"),
    OMA_PRES_RULES("org.openmobilealliance.pres-rules", 2, "application/auth-policy+xml", "ruleset",
            "urn:ietf:params:xml:ns:common-policy"),
    RESOURCE_LISTS("resource-lists", 3, "application/resource-lists+xml", "resource-lists",
            "urn:ietf:params:xml:ns:resource-lists"),
    RLS_SERVICES("rls-services", 4, "application/rls-services+xml", "rls-services",
            "urn:ietf:params:xml:ns:rls-services"),
    PIDF_MANIPULATION("pidf-manipulation", 5, "application/pidf+xml", "presence", "urn:ietf:params:xml:ns:pidf"),
    XCAP_CAPS("xcap-caps", 6, "application/xcap-caps+xml", "xcap-caps", "urn:ietf:params:xml:ns:xcap-caps");

    /** MIME type of an element answer (RFC 4825 section 15.2.1). */
    static final String ELEMENT_TYPE = "application/xcap-el+xml";
    /** MIME type of an attribute answer (section 15.2.2). */
    static final String ATTRIBUTE_TYPE = "application/xcap-att+xml";
    /** MIME type of an error body (section 11). */
    static final String ERROR_TYPE = "application/xcap-error+xml";

    final String id;
    final int docType;
    final String mimeType;
    final String rootElement;
    final String namespace;

    Auid(String id, int docType, String mimeType, String rootElement, String namespace) {
        this.id = id;
        this.docType = docType;
        this.mimeType = mimeType;
        this.rootElement = rootElement;
        this.namespace = namespace;
    }

    /** The usage named {@code id} (case-insensitive), or null for one this server does not store. */
    static Auid of(String id) {
        if (id == null) {
            return null;
        }
        String s = id.toLowerCase(Locale.ROOT);
        for (Auid a : values()) {
            if (a.id.equals(s)) {
                return a;
            }
        }
        return null;
    }
}
