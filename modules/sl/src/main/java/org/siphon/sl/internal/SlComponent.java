package org.siphon.sl.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.proxy.TransactionLayer;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipStatus;
import org.siphon.sl.SlApi;

/**
 * Module {@code sl}: {@code sl_send_reply}, {@code send_reply}, {@code sl_reply_error},
 * {@code send_reply_error}, the {@link SlApi} for other modules, and Kamailio's sl statistics
 * ({@code sl.stats}). Replies are built and sent by the core (same To tag rule, so the core
 * absorbs the ACKs of negative replies). {@code send_reply} and {@code send_reply_error} reply
 * through the request's transaction when tm has one for it, statelessly otherwise.
 */
@Component(immediate = true, service = { SiphonModule.class, SlApi.class })
public class SlComponent implements SiphonModule, SlApi {

    static final String MODULE = "sl";
    private static final int[] COUNTED = { 200, 202, 300, 301, 302, 400, 401, 403, 404, 407, 408, 483, 500 };

    @Reference
    private SipCore core;

    @Reference
    private StatefulCore replies;

    /** Usually one; two while tm is updated (the old version drains its transactions). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<TransactionLayer> transactions = List.of();

    private final Map<String, LongAdder> stats = new LinkedHashMap<>();

    public SlComponent() {
        for (String k : new String[] { "1xx_replies", "200_replies", "202_replies", "2xx_replies", "300_replies",
            "301_replies", "302_replies", "3xx_replies", "400_replies", "401_replies", "403_replies", "404_replies",
            "407_replies", "408_replies", "483_replies", "4xx_replies", "500_replies", "5xx_replies", "6xx_replies",
            "xxx_replies", "sent_replies", "sent_err_replies", "failures" }) {
            stats.put(k, new LongAdder());
        }
    }

    /** For tests: a component over the given core. */
    SlComponent(SipCore core) {
        this();
        this.core = core;
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public void sendReply(SipRequest request, int status, String reason) {
        core.reply(request, status, reason, List.of());
        count(status);
    }

    private void count(int status) {
        stats.get("sent_replies").increment();
        for (int c : COUNTED) {
            if (c == status) {
                stats.get(c + "_replies").increment();
            }
        }
        int cls = status / 100;
        stats.get(cls >= 1 && cls <= 6 ? cls + "xx_replies" : "xxx_replies").increment();
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(reply("sl_send_reply", false), reply("send_reply", true), error("sl_reply_error", false),
                error("send_reply_error", true));
    }

    private FunctionExport reply(String name, boolean stateful) {
        return FunctionExport.builder(name, MODULE).args(2).routes(RouteType.REQUEST, RouteType.FAILURE, RouteType.BRANCH)
                .fixup(args -> new Object[] { status(args.get(0)), args.get(1) })
                .description("Answers the request with code and reason; 1, or -1 for an ACK (never answered).")
                .handler((ctx, args) -> send(ctx, (Integer) args[0], (String) args[1], stateful)).build();
    }

    private FunctionExport error(String name, boolean stateful) {
        return FunctionExport.builder(name, MODULE).args(0).routes(RouteType.REQUEST, RouteType.FAILURE, RouteType.BRANCH)
                .description("Answers 500 after an internal failure of an earlier function.")
                .handler((ctx, args) -> {
                    stats.get("sent_err_replies").increment();
                    return send(ctx, SipStatus.SERVER_INTERNAL_ERROR, null, stateful);
                }).build();
    }

    /** Checks a status code when the script loads: 100–699. */
    static int status(String text) {
        try {
            int s = Integer.parseInt(text.trim());
            if (s < 100 || s > 699) {
                throw new IllegalArgumentException("the status code must be 100..699, not " + s);
            }
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the status code must be a number, not \"" + text + "\"");
        }
    }

    private int send(ActionContext ctx, int status, String reason, boolean stateful) {
        if (!(ctx.message() instanceof SipRequest req) || req.isMethod(SipMethods.ACK)) {
            stats.get("failures").increment();
            return -1;
        }
        if (stateful) {
            for (TransactionLayer tm : transactions) {
                if (tm.reply(ctx, status, reason == null ? SipStatus.reason(status) : reason)) {
                    count(status);
                    return 1;
                }
            }
        }
        @SuppressWarnings("unchecked")
        List<SipHeader> extra = ctx.attribute(ActionContext.REPLY_HEADERS) instanceof List<?> l ? (List<SipHeader>) l : List.of();
        if (ctx.attribute(ActionContext.REPLY_BODY) instanceof String[] body) {
            replies.sendReply(req, replies.buildReply(req, status, reason, extra, null, body[0],
                    body[1].getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            count(status);
        } else if (!extra.isEmpty()) {
            core.reply(req, status, reason, extra);
            count(status);
        } else {
            sendReply(req, status, reason);
        }
        return 1;
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return List.of(new RpcCommand("sl.stats", MODULE, "", "Replies sent by the sl module, by code and class.", p -> {
            Map<String, Object> out = new LinkedHashMap<>();
            stats.forEach((k, v) -> out.put(k, v.sum()));
            return out;
        }));
    }
}
