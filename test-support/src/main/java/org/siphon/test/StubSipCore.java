package org.siphon.test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.siphon.core.function.ActionContext;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.Uri;

/**
 * A {@link SipCore} that sends nothing and records what a module asked of it: stateless replies
 * ({@link #replies}), forwards ({@link #forwarded}), raw sends ({@link #sent}) and answers on the
 * connection a message came in on ({@link #sentBack}, e.g. an HTTP reply of an xhttp handler). {@code resolve}
 * gives null, {@code via} a fixed Via, {@code isMyself} is true for the host:port pairs given to the
 * constructor. Override a method for anything else. Thread-safe.
 */
public class StubSipCore implements SipCore {

    /** A reply the module asked for: status, reason and extra header fields. */
    public record Reply(int status, String reason, List<SipHeader> headers) {

        /** {@code "status reason"}, handy in assertions. */
        @Override public String toString() {
            return status + " " + reason;
        }

        /** The value of the first extra header named {@code name} (case-insensitive), or null. */
        public String header(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(SipHeader::value).findFirst().orElse(null);
        }
    }

    public final List<Reply> replies = new CopyOnWriteArrayList<>();
    public final List<Uri> forwarded = new CopyOnWriteArrayList<>();
    public final List<byte[]> sent = new CopyOnWriteArrayList<>();
    public final List<byte[]> sentBack = new CopyOnWriteArrayList<>();
    private final Set<String> myself;

    /** {@code myself}: host:port pairs (e.g. {@code "127.0.0.1:5060"}) this core listens on. */
    public StubSipCore(String... myself) {
        this.myself = Set.of(myself);
    }

    @Override public int forward(ActionContext ctx, Uri target) {
        forwarded.add(target);
        return 1;
    }

    @Override public void reply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders) {
        replies.add(new Reply(status, reason, List.copyOf(extraHeaders)));
    }

    @Override public Destination resolve(Uri uri) {
        return null;
    }

    @Override public CompletableFuture<Void> send(byte[] bytes, Destination destination) {
        sent.add(bytes.clone());
        return CompletableFuture.completedFuture(null);
    }

    /** Records the bytes (see {@link #sentBackText}) and succeeds; {@code close} is not recorded. */
    @Override public CompletableFuture<Void> sendBack(org.siphon.core.sip.SipMessage received, byte[] bytes, boolean close) {
        sentBack.add(bytes.clone());
        return CompletableFuture.completedFuture(null);
    }

    /** The {@code i}-th answer sent back, as UTF-8 text. */
    public String sentBackText(int i) {
        return new String(sentBack.get(i), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override public String via(Destination destination, String branch) {
        return "SIP/2.0/UDP 127.0.0.1:5060;branch=" + branch;
    }

    @Override public boolean isMyself(String host, int port) {
        return myself.contains(host + ":" + port);
    }
}
