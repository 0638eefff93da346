package org.siphon.presence.xml.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

/**
 * XML through the JDK's parsers with everything that reaches outside turned off: no DOCTYPE at
 * all (so no external entity and no entity expansion bomb), no external DTD or schema access, no
 * XInclude, secure processing limits on. Thread-safe: a builder per call from one factory.
 */
final class Xml {

    /**
     * The safety features both factories (DOM and SAX) get, in this order: secure processing on,
     * DOCTYPE refused, no external general or parameter entities, no external DTD loaded.
     */
    private static final Map<String, Boolean> SAFETY = safety();

    private static final DocumentBuilderFactory FACTORY = factory();
    private static final TransformerFactory TRANSFORMERS = transformers();

    private Xml() {
    }

    private static Map<String, Boolean> safety() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        m.put("http://apache.org/xml/features/disallow-doctype-decl", true);
        m.put("http://xml.org/sax/features/external-general-entities", false);
        m.put("http://xml.org/sax/features/external-parameter-entities", false);
        m.put("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return Collections.unmodifiableMap(m);
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setValidating(false);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            for (Map.Entry<String, Boolean> e : SAFETY.entrySet()) {
                f.setFeature(e.getKey(), e.getValue());
            }
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser refuses a safety feature", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    private static TransformerFactory transformers() {
        TransformerFactory t = TransformerFactory.newInstance();
        t.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        t.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        return t;
    }

    /** A parse failure with the parser's reason, on one line. */
    static final class BadXml extends Exception {
        private static final long serialVersionUID = 1L;

        BadXml(String reason) {
            super(reason);
        }
    }

    private static final ErrorHandler ERRORS = new ErrorHandler() { // no printing to stderr
        @Override public void warning(SAXParseException e) { }
        @Override public void error(SAXParseException e) throws SAXParseException { throw e; }
        @Override public void fatalError(SAXParseException e) throws SAXParseException { throw e; }
    };

    /**
     * Builders to reuse (making one per parse costs more than the parse), at most 16 kept. A pool in
     * this class rather than a ThreadLocal: the core's long-lived SIP workers would otherwise keep an
     * old version of the bundle loaded after a module update.
     */
    private static final java.util.concurrent.ConcurrentLinkedQueue<DocumentBuilder> BUILDERS =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final java.util.concurrent.atomic.AtomicInteger POOLED = new java.util.concurrent.atomic.AtomicInteger();

    private static DocumentBuilder builder() throws ParserConfigurationException {
        DocumentBuilder b = BUILDERS.poll();
        if (b == null) {
            return FACTORY.newDocumentBuilder();
        }
        POOLED.decrementAndGet();
        return b;
    }

    private static void release(DocumentBuilder b) {
        if (POOLED.incrementAndGet() <= 16) {
            BUILDERS.offer(b);
        } else {
            POOLED.decrementAndGet();
        }
    }

    static Document parse(byte[] bytes) throws BadXml {
        try {
            DocumentBuilder b = builder();
            b.reset(); // as made by the factory: handlers cleared, set again below
            b.setErrorHandler(ERRORS);
            b.setEntityResolver((publicId, systemId) -> { // never fetched; DOCTYPEs are refused before this anyway
                throw new SAXParseException("external entity " + systemId + " refused", null);
            });
            Document d = b.parse(new InputSource(new ByteArrayInputStream(bytes)));
            release(b); // a builder whose parse failed is dropped
            return d;
        } catch (SAXParseException e) {
            throw new BadXml(reason(e.getMessage()) + (e.getLineNumber() > 0 ? " (line " + e.getLineNumber() + ")" : ""));
        } catch (Exception e) {
            throw new BadXml(reason(e.getMessage()));
        }
    }

    private static final javax.xml.parsers.SAXParserFactory SAX = saxFactory();

    private static javax.xml.parsers.SAXParserFactory saxFactory() {
        javax.xml.parsers.SAXParserFactory f = javax.xml.parsers.SAXParserFactory.newInstance();
        f.setNamespaceAware(true);
        f.setValidating(false);
        f.setXIncludeAware(false);
        try {
            for (Map.Entry<String, Boolean> e : SAFETY.entrySet()) {
                f.setFeature(e.getKey(), e.getValue());
            }
        } catch (ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IllegalStateException("the JDK's XML parser refuses a safety feature", e);
        }
        return f;
    }

    /** SAX readers to reuse, as {@link #BUILDERS}. */
    private static final java.util.concurrent.ConcurrentLinkedQueue<org.xml.sax.XMLReader> READERS =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final java.util.concurrent.atomic.AtomicInteger READERS_POOLED = new java.util.concurrent.atomic.AtomicInteger();

    /** The first element's namespace and local name, as {@link #root} finds them. */
    private static final class Root extends org.xml.sax.helpers.DefaultHandler {
        String namespace;
        String localName;

        @Override
        public void startElement(String uri, String local, String qName, org.xml.sax.Attributes atts) {
            if (localName == null) {
                namespace = uri;
                localName = local;
            }
        }
    }

    /**
     * Checks that {@code bytes} are well-formed XML under the same rules as {@link #parse} (no
     * DOCTYPE, nothing external), without building a document: a SAX pass, a third cheaper than
     * {@link #parse} for a small PIDF. Returns the root's namespace (or null) and local name.
     */
    static String[] root(byte[] bytes) throws BadXml {
        try {
            org.xml.sax.XMLReader r = READERS.poll();
            if (r == null) {
                javax.xml.parsers.SAXParser p = SAX.newSAXParser();
                p.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                p.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                r = p.getXMLReader();
                r.setErrorHandler(ERRORS);
                r.setEntityResolver((publicId, systemId) -> { // never fetched; DOCTYPEs are refused before this anyway
                    throw new SAXParseException("external entity " + systemId + " refused", null);
                });
            } else {
                READERS_POOLED.decrementAndGet();
            }
            Root h = new Root();
            r.setContentHandler(h);
            r.parse(new InputSource(new ByteArrayInputStream(bytes)));
            r.setContentHandler(null);
            if (READERS_POOLED.incrementAndGet() <= 16) { // a reader whose parse failed is dropped
                READERS.offer(r);
            } else {
                READERS_POOLED.decrementAndGet();
            }
            if (h.localName == null) {
                throw new BadXml("no root element");
            }
            return new String[] { h.namespace == null || h.namespace.isEmpty() ? null : h.namespace, h.localName };
        } catch (SAXParseException e) {
            throw new BadXml(reason(e.getMessage()) + (e.getLineNumber() > 0 ? " (line " + e.getLineNumber() + ")" : ""));
        } catch (BadXml e) {
            throw e;
        } catch (Exception e) {
            throw new BadXml(reason(e.getMessage()));
        }
    }

    static Document newDocument() {
        try {
            return FACTORY.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] write(Document d) {
        try {
            Transformer t = TRANSFORMERS.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.STANDALONE, "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(d), new StreamResult(out));
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("XML not written: " + e.getMessage(), e);
        }
    }

    /** A reason phrase from a parser message: one line, printable ASCII, at most 160 characters. */
    static String reason(String message) {
        String s = message == null ? "malformed XML" : message.replaceAll("[^\\x20-\\x7e]", " ").replaceAll(" +", " ").trim();
        return s.length() > 160 ? s.substring(0, 160) : s;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
