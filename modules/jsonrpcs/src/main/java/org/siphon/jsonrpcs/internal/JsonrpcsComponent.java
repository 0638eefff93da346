package org.siphon.jsonrpcs.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.rpc.JsonRpc;
import org.siphon.core.sip.SipRequest;
import org.siphon.xhttp.XhttpApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code jsonrpcs}, as Kamailio's: {@code jsonrpc_dispatch()} in
 * {@code event_route[xhttp:request]} answers the HTTP request's JSON-RPC document with the RPC
 * commands every module registers (the answers the core's JSON-RPC server on 8090 gives), and
 * {@code jsonrpc_exec(cmd)} runs one from the script, its answer in {@code $jsonrpl(code|text|body)}.
 * Kamailio's FIFO and datagram transports are {@code siphon-ctl} and the HTTP server here.
 */
@Component(immediate = true, configurationPid = "org.siphon.jsonrpcs", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = JsonrpcsComponent.Config.class)
public class JsonrpcsComponent implements SiphonModule {

    static final Logger LOG = LoggerFactory.getLogger(JsonrpcsComponent.class);
    static final String MODULE = "jsonrpcs";
    /** The attribute of the script run holding jsonrpc_exec's last answer. */
    static final String REPLY = "jsonrpcs.reply";
    private static final String NO_TRANSPORT = SiphonModule.NO_EFFECT
            + " Siphon has no FIFO or datagram RPC socket: siphon-ctl and the JSON-RPC server (127.0.0.1:8090) serve them";

    @ObjectClassDefinition(name = "Siphon module jsonrpcs")
    public @interface Config {
        @AttributeDefinition(description = "1: answers are indented; 0: one line (default 1)")
        int pretty__format() default 1;

        @AttributeDefinition(description = "Transports: 0 all, 1 HTTP (jsonrpc_dispatch), 2 FIFO, 4 datagram (default 6); "
                + "without 0 or 1, jsonrpc_dispatch() refuses, as in Kamailio. FIFO and datagram have no socket in "
                + "Siphon: siphon-ctl and the JSON-RPC server on 8090 take their place")
        int transport() default 6;

        @AttributeDefinition(description = NO_TRANSPORT)
        String fifo__name() default "kamailio_rpc.fifo";

        @AttributeDefinition(description = NO_TRANSPORT)
        int fifo__mode() default 0660;

        @AttributeDefinition(description = NO_TRANSPORT)
        String fifo__group() default "";

        @AttributeDefinition(description = NO_TRANSPORT)
        String fifo__user() default "";

        @AttributeDefinition(description = NO_TRANSPORT)
        String fifo__reply__dir() default "/tmp/";

        @AttributeDefinition(description = NO_TRANSPORT)
        String dgram__socket() default "kamailio_rpc.sock";

        @AttributeDefinition(description = NO_TRANSPORT)
        int dgram__workers() default 1;

        @AttributeDefinition(description = NO_TRANSPORT)
        int dgram__mode() default 0660;

        @AttributeDefinition(description = NO_TRANSPORT)
        String dgram__group() default "";

        @AttributeDefinition(description = NO_TRANSPORT)
        String dgram__user() default "";

        @AttributeDefinition(description = NO_TRANSPORT)
        int dgram__timeout() default 2000;
    }

    /** What jsonrpc_exec left for {@code $jsonrpl(code)}, {@code (text)} and {@code (body)}. */
    record Reply(long code, String text, String body) {
    }

    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\\{\\s*\"code\"\\s*:\\s*(-?\\d+)\\s*,\\s*\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Reference
    JsonRpc rpc;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile XhttpApi xhttp;

    private volatile Config config;

    @Activate
    void activate(Config config) {
        this.config = config;
    }

    /** {@code cfg.reload}: pretty_format and transport apply from the next call. */
    @Modified
    void modified(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(
                FunctionExport.builder("jsonrpc_dispatch", MODULE).args(0).routes(RouteType.EVENT)
                        .description("Answers the HTTP request's JSON-RPC document (event_route[xhttp:request]); "
                                + "1, or -1 without HTTP transport, xhttp or an HTTP request.")
                        .handler((ctx, args) -> dispatch(ctx)).build(),
                FunctionExport.builder("jsonrpc_exec", MODULE).args(1).routes(java.util.EnumSet.allOf(RouteType.class))
                        // the engine has expanded pseudo-variables in the argument already
                        .description("Runs a JSON-RPC document (pseudo-variables expanded); its answer in $jsonrpl(code), "
                                + "$jsonrpl(text) and $jsonrpl(body); 1, -1 when the command failed.")
                        .handler((ctx, args) -> exec(ctx, args[0])).build());
    }

    @Override
    public List<PseudoVariableExport> pseudoVariables() {
        return List.of(PseudoVariableExport.builder("jsonrpl", MODULE)
                .innerName(PseudoVariableExport.InnerName.REQUIRED, JsonrpcsComponent::replyKey)
                .description("The answer of the last jsonrpc_exec: $jsonrpl(code), $jsonrpl(text), $jsonrpl(body)")
                .getter((ctx, key) -> ctx.attribute(REPLY) instanceof Reply r ? switch ((String) key) {
                    case "code" -> r.code();
                    case "text" -> r.text();
                    default -> r.body();
                } : null).build());
    }

    static Object replyKey(String key) {
        String k = key.trim();
        if (!k.equals("code") && !k.equals("text") && !k.equals("body")) {
            throw new IllegalArgumentException("$jsonrpl takes code, text or body, not \"" + key + "\"");
        }
        return k;
    }

    private boolean http() {
        int t = config.transport();
        return t == 0 || (t & 1) != 0;
    }

    int dispatch(ActionContext ctx) {
        XhttpApi api = xhttp;
        if (!http()) {
            LOG.warn("jsonrpcs: jsonrpc_dispatch() with transport {}, which has no HTTP (set it to 0, 1 or 7)",
                    config.transport());
            return -1;
        }
        if (api == null || !(ctx.message() instanceof SipRequest request) || !request.isHttp()) {
            LOG.warn("jsonrpcs: jsonrpc_dispatch() needs module xhttp and an HTTP request (event_route[xhttp:request])");
            return -1;
        }
        String body = new String(request.body(), java.nio.charset.StandardCharsets.UTF_8);
        String answer = rpc.handle(body, config.pretty__format() != 0);
        return api.reply(ctx, 200, "OK", "application/json", answer == null ? "" : answer);
    }

    int exec(ActionContext ctx, Object document) {
        String doc = (String) document;
        String answer = rpc.handle(doc, config.pretty__format() != 0);
        Reply reply = reply(answer);
        ctx.attribute(REPLY, reply);
        return reply.code() == 200 ? 1 : -1;
    }

    /** Kamailio's $jsonrpl: 200 OK with the document, or the JSON-RPC error's code and message. */
    static Reply reply(String answer) {
        if (answer == null) {
            return new Reply(200, "OK", "");
        }
        Matcher m = ERROR.matcher(answer);
        if (m.find()) {
            return new Reply(Long.parseLong(m.group(1)), m.group(2).replace("\\\"", "\""), answer);
        }
        return new Reply(200, "OK", answer);
    }
}
