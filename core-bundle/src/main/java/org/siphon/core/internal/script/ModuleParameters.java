package org.siphon.core.internal.script;

import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import javax.xml.parsers.DocumentBuilderFactory;

import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The parameters a module declares, read from the metatype descriptions in its bundle
 * ({@code OSGI-INF/metatype/*.xml}, written by bnd from the module's configuration interface):
 * for the PID {@code org.siphon.<module>}, each attribute's name and type. This is what checks
 * {@code modparam}: unknown names and values of the wrong type are script errors.
 */
final class ModuleParameters {

    private ModuleParameters() {
    }

    /**
     * Attribute name to metatype type ({@code String}, {@code Integer}, {@code Boolean} …) of
     * {@code pid}, with {@code []} appended for a multi-valued one (a modparam that may be repeated,
     * each value kept, like htable's {@code htable}); empty when none.
     */
    static Map<String, String> of(Bundle bundle, String pid) {
        Map<String, String> out = new HashMap<>();
        eachAttribute(bundle, pid, ad -> {
            String card = ad.getAttribute("cardinality");
            boolean multi = !card.isEmpty() && !card.equals("0");
            out.put(ad.getAttribute("id"), ad.getAttribute("type") + (multi ? "[]" : ""));
        });
        return out;
    }

    /**
     * The description of a parameter that a module accepts for Kamailio's sake but that means
     * nothing in Siphon (a process count, a shared-memory size) starts with this; the rest says why.
     */
    static final String NO_EFFECT = org.siphon.core.module.SiphonModule.NO_EFFECT;

    /** Attribute name to why it has no effect, for the attributes of {@code pid} described with {@link #NO_EFFECT}. */
    static Map<String, String> withoutEffect(Bundle bundle, String pid) {
        Map<String, String> out = new HashMap<>();
        eachAttribute(bundle, pid, ad -> {
            String d = ad.getAttribute("description");
            if (d.startsWith(NO_EFFECT)) {
                out.put(ad.getAttribute("id"), d.substring(NO_EFFECT.length()).trim());
            }
        });
        return out;
    }

    private static void eachAttribute(Bundle bundle, String pid, Consumer<Element> action) {
        Enumeration<URL> entries = bundle.findEntries("OSGI-INF/metatype", "*.xml", false);
        while (entries != null && entries.hasMoreElements()) {
            URL url = entries.nextElement();
            try (InputStream in = url.openStream()) {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(false);
                f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                Document doc = f.newDocumentBuilder().parse(in);
                NodeList designates = doc.getElementsByTagName("Designate");
                for (int i = 0; i < designates.getLength(); i++) {
                    Element d = (Element) designates.item(i);
                    if (!pid.equals(d.getAttribute("pid")) && !pid.equals(d.getAttribute("factoryPid"))) {
                        continue;
                    }
                    NodeList objects = d.getElementsByTagName("Object");
                    String ocd = objects.getLength() == 0 ? "" : ((Element) objects.item(0)).getAttribute("ocdref");
                    NodeList ocds = doc.getElementsByTagName("OCD");
                    for (int j = 0; j < ocds.getLength(); j++) {
                        Element o = (Element) ocds.item(j);
                        if (!ocd.equals(o.getAttribute("id"))) {
                            continue;
                        }
                        NodeList ads = o.getElementsByTagName("AD");
                        for (int k = 0; k < ads.getLength(); k++) {
                            action.accept((Element) ads.item(k));
                        }
                    }
                }
            } catch (Exception e) {
                // an unreadable description declares nothing
            }
        }
    }

    /**
     * A number parameter's value as Kamailio reads it: {@code yes}/{@code on}/{@code true} are 1,
     * {@code no}/{@code off}/{@code false} 0 (the stock config's {@code calculate_ha1 yes}).
     */
    static String numeric(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "yes", "on", "true" -> "1";
            case "no", "off", "false" -> "0";
            default -> value.trim();
        };
    }

    /** Null when {@code value} fits {@code type}, else why not. */
    static String typeProblem(String name, String type, String value) {
        return switch (type.replace("[]", "")) {
            case "Integer", "Long", "Short", "Byte" -> numeric(value).matches("-?\\d+") ? null
                    : name + " needs a number, not \"" + value + "\"";
            case "Boolean" -> value.trim().matches("(?i)true|false|yes|no|on|off|1|0") ? null
                    : name + " needs yes/no, not \"" + value + "\"";
            case "Double", "Float" -> value.trim().matches("-?\\d+(\\.\\d+)?") ? null
                    : name + " needs a number, not \"" + value + "\"";
            default -> null;
        };
    }
}
