package org.siphon.core.internal.proxy;

import org.siphon.core.function.RouteType;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.transport.Transport;
import org.siphon.core.internal.transport.Transports;
import org.siphon.core.proxy.NonSipHandler;
import org.siphon.core.proxy.SipRouting;
import org.siphon.core.proxy.TransactionLayer;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipParseError;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.SipStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the core does with one received message, on a SIP worker: malformed requests are answered
 * (400 naming the fault, 505, 513; never an ACK), malformed responses dropped; well-formed
 * requests go to the routing script, responses to the core reply route and then on by their Via.
 * Nothing thrown by the script escapes: it is logged and the request answered 500.
 */
final class MessageProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(MessageProcessor.class);

    /** The handlers bound to the core now; each call may give another list (modules come and go). */
    interface Handlers {
        /** The routing script, or null when there is none. */
        SipRouting routing();

        /** The transaction layers, newest first. */
        java.util.List<TransactionLayer> transactions();

        /** The handlers of HTTP on SIP listeners, newest first. */
        java.util.List<NonSipHandler> nonSipHandlers();
    }

    private final Handlers handlers;
    private final ReplyPath replies;
    private final Connections connections;
    private final StatelessForwarder forwarder;
    private final CoreStats stats;

    MessageProcessor(Handlers handlers, ReplyPath replies, Connections connections, StatelessForwarder forwarder,
            CoreStats stats) {
        this.handlers = handlers;
        this.replies = replies;
        this.connections = connections;
        this.forwarder = forwarder;
        this.stats = stats;
    }

    void process(SipMessageImpl msg, Transport transport) {
        SipParseError error = msg.error();
        if (msg instanceof SipRequest req && req.isHttp()) {
            http(req, transport);
            return;
        }
        if (msg instanceof SipRequest req) {
            stats.receivedRequests.increment();
            if (error != null) {
                malformedRequest(req, error, transport);
                return;
            }
            request(req);
        } else {
            stats.receivedReplies.increment();
            if (error != null) {
                stats.badMessages.increment();
                LOG.debug("dropping a malformed response from {}: {}", msg.source(), error.reason());
                return;
            }
            response((SipResponse) msg);
        }
    }

    private void malformedRequest(SipRequest req, SipParseError error, Transport transport) {
        stats.badMessages.increment();
        LOG.info("malformed request from {}: {} ({})", req.source(), error.reason(), firstLine(req));
        // the reply copies Via, From, To, Call-ID and CSeq as they were written: a header that does
        // not parse (a CSeq beyond 2^31, a Via with empty parameters) still goes back as it came,
        // and a reply whose top Via does not parse goes to the source address (as with rport)
        boolean canAnswer = req.header(SipHeaderNames.VIA) != null && req.header(SipHeaderNames.CSEQ) != null;
        if (canAnswer && !SipMethods.ACK.equals(req.method())) {
            replies.reply(req, error.status(), error.reason(), java.util.List.of());
        } else {
            LOG.debug("not answering it: too broken to answer, or an ACK");
        }
        if (error.status() == SipStatus.MESSAGE_TOO_LARGE && req.source() != null) {
            Transports.closeConnection(transport, req.source().remote());
        }
    }

    /**
     * An HTTP request on a SIP listener (Kamailio's non-SIP message): offered to the non-SIP
     * handlers (xhttp), newest first; malformed, unwanted or on UDP, it is answered with an HTTP
     * error and its connection closed.
     */
    private void http(SipRequest req, Transport transport) {
        if ("udp".equals(transport.proto())) {
            stats.badMessages.increment();
            LOG.debug("dropping an HTTP request over UDP from {}", req.source());
            return;
        }
        SipParseError error = req.error();
        if (error != null) {
            stats.badMessages.increment();
            LOG.info("malformed HTTP request from {}: {} ({})", req.source(), error.reason(), firstLine(req));
            boolean tooLarge = error.status() == SipStatus.MESSAGE_TOO_LARGE;
            httpError(req, tooLarge ? (req.body().length > 0 || req.headerValue("Content-Length") != null ? 413 : 431) : 400,
                    tooLarge ? "Request Too Large" : error.reason());
            return;
        }
        try {
            for (NonSipHandler handler : handlers.nonSipHandlers()) {
                if (handler.handle(req)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("the HTTP handler failed for {} {} from {}", req.method(), req.target(), req.source(), e);
            httpError(req, 500, "Internal Server Error");
            return;
        }
        LOG.debug("no handler took HTTP {} {} from {}", req.method(), req.target(), req.source());
        httpError(req, 404, "Not Found");
    }

    private void httpError(SipRequest req, int status, String reason) {
        String body = status + " " + reason + "\n";
        String reply = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body;
        connections.sendBack(req, reply.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), true);
    }

    private static String firstLine(SipRequest req) {
        String line = ((SipMessageImpl) req).startLine();
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }

    private void request(SipRequest req) {
        for (TransactionLayer tm : handlers.transactions()) {
            if (tm.request(req)) {
                return;
            }
        }
        if (req.isMethod(SipMethods.ACK) && replies.replies().isOwnTag(req, req.toTag())) {
            stats.droppedRequests.increment();
            LOG.debug("absorbed the ACK of a local reply ({})", req.callId());
            return;
        }
        SipRouting routing = handlers.routing();
        if (routing == null) {
            noRoutingScript(req);
            return;
        }
        try {
            routing.request(req, new CoreActionContext(req, RouteType.REQUEST));
        } catch (NoRoutingScript e) {
            noRoutingScript(req);
        } catch (Exception e) {
            LOG.error("request_route failed for {} {}", req.method(), req.callId(), e);
            replies.replyUnlessAck(req, SipStatus.SERVER_INTERNAL_ERROR, null);
        }
    }

    /** The one answer to a request while no routing script is loaded (or none is published). */
    private void noRoutingScript(SipRequest req) {
        LOG.debug("no routing script: answering {} with 500", req.method());
        replies.replyUnlessAck(req, SipStatus.SERVER_INTERNAL_ERROR, "No Routing Script");
    }

    private void response(SipResponse resp) {
        SipRouting routing = handlers.routing();
        if (routing != null) {
            try {
                if (!routing.response(resp, new CoreActionContext(resp, RouteType.ONREPLY))) {
                    stats.droppedReplies.increment();
                    return;
                }
            } catch (Exception e) {
                LOG.error("reply_route failed for {} {}", resp.status(), resp.callId(), e);
            }
        }
        for (TransactionLayer tm : handlers.transactions()) {
            if (tm.response(resp)) {
                return;
            }
        }
        forwarder.forwardResponse(resp);
    }
}
