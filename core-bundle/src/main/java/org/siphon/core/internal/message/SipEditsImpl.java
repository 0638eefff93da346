package org.siphon.core.internal.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.siphon.core.sip.SipEdits;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.Uri;

/** The edit list of one message; {@link SipMessageWriter} applies it. Not thread-safe. */
final class SipEditsImpl implements SipEdits {

    private final SipMessageImpl msg;
    Uri requestUri;
    int status;
    String reason;
    // Empty until the first change of each kind (most messages get one or two kinds, e.g. maxfwd's
    // replaced Max-Forwards), then tables sized for the few headers a script edits. Readers (the
    // writer) only look up and iterate, which the shared empty ones allow.
    Map<SipHeader, String> replaced = Map.of();
    Set<SipHeader> removed = Set.of();
    Map<SipHeader, List<SipHeader>> before = Map.of();
    List<SipHeader> first = List.of();
    List<SipHeader> last = List.of();
    byte[] body;
    String contentType;

    SipEditsImpl(SipMessageImpl msg) {
        this.msg = msg;
    }

    @Override
    public void setRequestUri(Uri uri) {
        if (!(msg instanceof SipRequest)) {
            throw new IllegalStateException("a response has no Request-URI");
        }
        this.requestUri = uri;
    }

    @Override
    public Uri requestUri() {
        if (requestUri != null) {
            return requestUri;
        }
        return msg instanceof SipRequest r ? r.requestUri() : null;
    }

    @Override
    public void setStatus(int newStatus, String newReason) {
        if (msg instanceof SipRequest) {
            throw new IllegalStateException("a request has no status");
        }
        if (newStatus < 100 || newStatus > 699) {
            throw new IllegalArgumentException("status must be 100..699, not " + newStatus);
        }
        this.status = newStatus;
        this.reason = newReason;
    }

    @Override
    public void remove(SipHeader header) {
        if (!dropAdded(header)) {
            removed().add(header);
            if (!replaced.isEmpty()) {
                replaced.remove(header);
            }
        }
    }

    @Override
    public int removeAll(String name) {
        int n = 0;
        for (SipHeader h : msg.headers) {
            if (h.is(name) && removed().add(h)) {
                if (!replaced.isEmpty()) {
                    replaced.remove(h);
                }
                n++;
            }
        }
        n += removeAddedNamed(first, name) + removeAddedNamed(last, name);
        for (List<SipHeader> list : before.values()) {
            n += removeAddedNamed(list, name);
        }
        return n;
    }

    private static int removeAddedNamed(List<SipHeader> list, String name) {
        if (list.isEmpty()) {
            return 0;
        }
        int before = list.size();
        list.removeIf(h -> h.is(name));
        return before - list.size();
    }

    private boolean dropAdded(SipHeader header) {
        if (removeIdentity(first, header) || removeIdentity(last, header)) {
            return true;
        }
        for (List<SipHeader> list : before.values()) {
            if (removeIdentity(list, header)) {
                return true;
            }
        }
        return false;
    }

    private Set<SipHeader> removed() {
        if (removed.isEmpty()) {
            removed = Collections.newSetFromMap(new IdentityHashMap<>(4));
        }
        return removed;
    }

    private static boolean removeIdentity(List<SipHeader> list, SipHeader h) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == h) {
                list.remove(i);
                return true;
            }
        }
        return false;
    }

    @Override
    public void replace(SipHeader header, String value) {
        if (replaceAdded(first, header, value) || replaceAdded(last, header, value)) {
            return;
        }
        for (List<SipHeader> list : before.values()) {
            if (replaceAdded(list, header, value)) {
                return;
            }
        }
        if (replaced.isEmpty()) {
            replaced = new IdentityHashMap<>(4);
        }
        replaced.put(header, value.trim());
    }

    private static boolean replaceAdded(List<SipHeader> list, SipHeader h, String value) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == h) {
                list.set(i, SipHeader.of(h.name(), value));
                return true;
            }
        }
        return false;
    }

    @Override
    public SipHeader insertFirst(String name, String value) {
        SipHeader h = SipHeader.of(name, value);
        if (first.isEmpty()) {
            first = new ArrayList<>(2);
        }
        first.add(0, h);
        return h;
    }

    @Override
    public SipHeader insertBefore(SipHeader header, String name, String value) {
        SipHeader h = SipHeader.of(name, value);
        if (before.isEmpty()) {
            before = new IdentityHashMap<>(4);
        }
        before.computeIfAbsent(header, k -> new ArrayList<>()).add(h);
        return h;
    }

    @Override
    public SipHeader append(String name, String value) {
        SipHeader h = SipHeader.of(name, value);
        if (last.isEmpty()) {
            last = new ArrayList<>(2);
        }
        last.add(h);
        return h;
    }

    @Override
    public void setBody(byte[] newBody, String newContentType) {
        this.body = newBody.clone();
        if (newContentType != null) {
            this.contentType = newContentType;
        }
    }

    @Override
    public String valueOf(String name) {
        for (SipHeader h : first) {
            if (h.is(name)) {
                return h.value();
            }
        }
        for (SipHeader h : msg.headers) {
            List<SipHeader> b = before.get(h);
            if (b != null) {
                for (SipHeader added : b) {
                    if (added.is(name)) {
                        return added.value();
                    }
                }
            }
            if (h.is(name) && !removed.contains(h)) {
                String r = replaced.get(h);
                return r != null ? r : h.value();
            }
        }
        for (SipHeader h : last) {
            if (h.is(name)) {
                return h.value();
            }
        }
        return null;
    }

    @Override
    public boolean changes(String name) {
        for (SipHeader h : replaced.keySet()) {
            if (h.is(name)) {
                return true;
            }
        }
        for (SipHeader h : removed) {
            if (h.is(name)) {
                return true;
            }
        }
        if (first.stream().anyMatch(h -> h.is(name)) || last.stream().anyMatch(h -> h.is(name))) {
            return true;
        }
        return before.values().stream().flatMap(List::stream).anyMatch(h -> h.is(name));
    }

    @Override
    public boolean isEmpty() {
        return requestUri == null && status == 0 && replaced.isEmpty() && removed.isEmpty() && before.isEmpty()
                && first.isEmpty() && last.isEmpty() && body == null;
    }

    @Override
    public SipMessage apply() {
        SipMessageImpl applied = SipMessageParser.DEFAULT.parse(SipMessageWriter.write(msg), false);
        applied.source(msg.source());
        return applied;
    }
}
