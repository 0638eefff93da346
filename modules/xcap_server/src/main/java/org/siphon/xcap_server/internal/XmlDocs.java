package org.siphon.xcap_server.internal;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * XML for the XCAP server, with the JDK's parsers: a document with a DOCTYPE is refused (no DTD
 * is read, no entity is defined, so no external entity is fetched and no entity expansion can
 * blow up), external schemas and stylesheets are off, XInclude is off, secure processing is on,
 * and a document over {@code maxBytes} is refused before parsing. Thread-safe (a factory per call
 * is cheap next to the database; builders are not shared).
 */
final class XmlDocs {

    /** The largest document accepted, bytes (the core's message limit usually stops larger bodies first). */
    static final int MAX_BYTES = 1 << 20;

    /** A document that is not well-formed XML (or is refused for its DOCTYPE or size), with the parser's reason. */
    static final class NotWellFormed extends Exception {
        private static final long serialVersionUID = 1L;

        NotWellFormed(String reason) {
            super(reason);
        }
    }

    private XmlDocs() {
    }

    static Document parse(byte[] xml) throws NotWellFormed {
        if (xml == null || xml.length == 0) {
            throw new NotWellFormed("empty document");
        }
        if (xml.length > MAX_BYTES) {
            throw new NotWellFormed("document larger than " + MAX_BYTES + " bytes");
        }
        try {
            DocumentBuilder b = factory().newDocumentBuilder();
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            b.setErrorHandler(null);
            InputSource in = new InputSource(new ByteArrayInputStream(xml));
            return b.parse(in);
        } catch (SAXException e) {
            throw new NotWellFormed(e.getMessage());
        } catch (ParserConfigurationException | java.io.IOException e) {
            throw new NotWellFormed(e.toString());
        }
    }

    /** Parses a fragment (the body of an element PUT) into an element node owned by {@code doc}. */
    static Node parseElement(byte[] xml, Document doc) throws NotWellFormed {
        Document frag = parse(xml);
        return doc.importNode(frag.getDocumentElement(), true);
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }

    /** Whether the document's root element is the one {@code auid}'s documents have. */
    static boolean validFor(Document doc, Auid auid) {
        var root = doc.getDocumentElement();
        return root != null && auid.rootElement.equals(root.getLocalName()) && auid.namespace.equals(root.getNamespaceURI());
    }

    /** The node as text: a whole document with its declaration, an element without. */
    static String write(Node node) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, node instanceof Document ? "no" : "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(node), new StreamResult(w));
            return w.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("xcap_server: cannot write XML: " + e.getMessage(), e);
        }
    }

    /** The XCAP error body (RFC 4825 section 11) with the one condition element, e.g. {@code not-well-formed}. */
    static String errorBody(String condition) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xcap-error xmlns=\"urn:ietf:params:xml:ns:xcap-error\"><"
                + condition + "/></xcap-error>\n";
    }
}
