package org.siphon.acc.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.db.Database;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.TransactionObserver;
import org.siphon.core.proxy.TransactionOutcome;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code acc}: accounting as Kamailio's acc does it. Transactions whose request had
 * {@code log_flag} / {@code db_flag} set when it was relayed are accounted when their final
 * reply goes upstream (tm tells this {@link TransactionObserver}): a 2xx (or any reply with
 * {@code failed_transaction_flag}) as "transaction answered", a negative reply to an INVITE with
 * {@code log_missed_flag} / {@code db_missed_flag} as "call missed" (table {@code missed_calls}).
 * An INVITE and its BYE each give one record, the start and the end of a call (Kamailio's
 * CDR-like records without the dialog module). {@code acc_log_request}, {@code acc_db_request}
 * and {@code acc_request} account the current request from the script.
 */
@Component(immediate = true, configurationPid = "org.siphon.acc", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = { SiphonModule.class, TransactionObserver.class })
@Designate(ocd = AccComponent.Config.class)
public class AccComponent implements SiphonModule, TransactionObserver {

    static final String MODULE = "acc";
    private static final Logger LOG = LoggerFactory.getLogger(AccComponent.class);
    /** The accounting lines; a logger of their own, so that they can be sent elsewhere. */
    static final Logger ACC_LOG = LoggerFactory.getLogger("org.siphon.acc");

    @ObjectClassDefinition(name = "Siphon module acc")
    public @interface Config {
        @AttributeDefinition(description = "Flag that makes a transaction accounted in the log (default -1: none)")
        int log__flag() default -1;

        @AttributeDefinition(description = "Flag that makes a negative reply to an INVITE logged as a missed call (default -1)")
        int log__missed__flag() default -1;

        @AttributeDefinition(description = "Flag that makes a transaction accounted in the acc table (default -1)")
        int db__flag() default -1;

        @AttributeDefinition(description = "Flag that makes a negative reply to an INVITE a row of missed_calls (default -1)")
        int db__missed__flag() default -1;

        @AttributeDefinition(description = "Flag that makes log_flag/db_flag account negative replies too (default -1: only 2xx)")
        int failed__transaction__flag() default -1;

        @AttributeDefinition(description = "Account 183 Session Progress as well (default 0)")
        int early__media() default 0;

        @AttributeDefinition(description = "Account CANCEL transactions (default 0)")
        int report__cancels() default 0;

        @AttributeDefinition(description = "Account the end-to-end ACK of an accounted 2xx, with the INVITE's flags (default 0)")
        int report__ack() default 0;

        @AttributeDefinition(description = "Swap From/To tags of in-dialog requests the callee sends (told by the ftag of "
                + "rr's append_fromtag) (default 0)")
        int detect__direction() default 0;

        @AttributeDefinition(description = "Extra log attributes, name=$pv;name2=$pv2 (default none)")
        String log__extra() default "";

        @AttributeDefinition(description = "Extra columns of acc and missed_calls, name=$pv;... (default none)")
        String db__extra() default "";

        @AttributeDefinition(description = "Kamailio's log level of the records: below 0 error, 0 warn, 1 and 2 info, "
                + "3 debug (default 1, NOTICE)")
        int log__level() default 1;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " the records go to the logger org.siphon.acc "
                + "(configure where it writes), not to syslog (default LOG_DAEMON)")
        String log__facility() default "LOG_DAEMON";

        @AttributeDefinition(description = "The database of acc and missed_calls; empty: the core's "
                + "(config/org.siphon.db.cfg), e.g. postgres://user:pass@host/db (default empty)")
        String db__url() default "";

        @AttributeDefinition(description = "Table of accounted transactions (default acc)")
        String db__table__acc() default "acc";

        @AttributeDefinition(description = "Table of missed calls (default missed_calls)")
        String db__table__missed__calls() default "missed_calls";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " rows are inserted one by one by a writer thread "
                + "(default 0)")
        int db__insert__mode() default 0;

        @AttributeDefinition(description = "Column of the method (default method)")
        String acc__method__column() default "method";

        @AttributeDefinition(description = "Column of the From tag (default from_tag)")
        String acc__from__tag__column() default "from_tag";

        @AttributeDefinition(description = "Column of the To tag (default to_tag)")
        String acc__to__tag__column() default "to_tag";

        @AttributeDefinition(description = "Column of the Call-ID (default callid)")
        String acc__callid__column() default "callid";

        @AttributeDefinition(description = "Column of the reply code (default sip_code)")
        String acc__sip__code__column() default "sip_code";

        @AttributeDefinition(description = "Column of the reply reason (default sip_reason)")
        String acc__sip__reason__column() default "sip_reason";

        @AttributeDefinition(description = "Column of the time (default time)")
        String acc__time__column() default "time";

        @AttributeDefinition(description = "CDRs need the dialog module, which Siphon does not have yet: 1 is logged at "
                + "activation; the INVITE and BYE records give a call's start and end (default 0)")
        int cdr__enable() default 0;
    }

    /** The parameters as one value, swapped whole by {@code cfg.reload}. */
    record Settings(Config config, ExtraSpec logExtra, ExtraSpec dbExtra) {
    }

    @Reference
    private Database database;

    private volatile Settings settings;
    private volatile AccDb db;
    private final Clock clock;
    final LongAdder logged = new LongAdder();
    final LongAdder rows = new LongAdder();
    /** report_ack: the accounted INVITEs whose ACK may still come. */
    private final AnsweredInvites invites = new AnsweredInvites();

    public AccComponent() {
        this(Clock.systemUTC());
    }

    AccComponent(Clock clock) {
        this.clock = clock;
    }

    /** For tests: a database without DS. */
    AccComponent(Clock clock, Database database) {
        this(clock);
        this.database = database;
    }

    @Activate
    void activate(Config c) {
        settings = settings(c);
        db = newDb(settings);
        explainUnsupported(c);
    }

    /**
     * {@code cfg.reload}: flags, extras, tables and columns apply to the next record; rows already
     * queued are written with the settings they were made with.
     */
    @Modified
    void modified(Config c) {
        Settings s = settings(c);
        AccDb old = db;
        settings = s;
        db = newDb(s);
        if (old != null) {
            old.close(5_000);
        }
        explainUnsupported(c);
    }

    @Deactivate
    void deactivate() {
        AccDb d = db;
        if (d != null) {
            d.close(10_000);
        }
    }

    private AccDb newDb(Settings s) {
        Config c = s.config();
        return new AccDb(database.forUrl(c.db__url()), new AccDb.Columns(c.acc__method__column(), c.acc__from__tag__column(),
                c.acc__to__tag__column(), c.acc__callid__column(), c.acc__sip__code__column(),
                c.acc__sip__reason__column(), c.acc__time__column()), s.dbExtra(), c.db__table__missed__calls());
    }

    static Settings settings(Config c) {
        for (String column : List.of(c.db__table__acc(), c.db__table__missed__calls(), c.acc__method__column(),
                c.acc__from__tag__column(), c.acc__to__tag__column(), c.acc__callid__column(),
                c.acc__sip__code__column(), c.acc__sip__reason__column(), c.acc__time__column())) {
            if (!column.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("acc: \"" + column + "\" is not a table or column name");
            }
        }
        return new Settings(c, ExtraSpec.parse(c.log__extra()), ExtraSpec.parse(c.db__extra()));
    }

    private void explainUnsupported(Config c) {
        if (c.cdr__enable() != 0) {
            LOG.warn("acc: cdr_enable=1 needs the dialog module, which Siphon does not have yet: no acc_cdrs rows; "
                    + "the INVITE and BYE records give each call's start and end");
        }
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        var routes = java.util.Set.of(RouteType.REQUEST, RouteType.FAILURE, RouteType.BRANCH, RouteType.ONREPLY);
        return List.of(
                FunctionExport.builder("acc_log_request", MODULE).args(1).routes(routes)
                        .description("Writes an accounting line for the request; the comment gives code and reason, "
                                + "e.g. \"403 Forbidden\".")
                        .handler((ctx, args) -> request(ctx, (String) args[0], null, true)).build(),
                FunctionExport.builder("acc_db_request", MODULE).args(2).routes(routes)
                        .fixup(AccComponent::tableArgs)
                        .description("Writes an accounting row for the request into the table.")
                        .handler((ctx, args) -> request(ctx, (String) args[0], (String) args[1], false)).build(),
                FunctionExport.builder("acc_request", MODULE).args(2).routes(routes)
                        .fixup(AccComponent::tableArgs)
                        .description("Accounts the request in the log and as a row of the table.")
                        .handler((ctx, args) -> request(ctx, (String) args[0], (String) args[1], true)).build());
    }

    private static Object[] tableArgs(List<String> args) {
        if (!args.get(1).matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("the table must be a table name, not \"" + args.get(1) + "\"");
        }
        return args.toArray();
    }

    @Override
    public int inFlight() {
        AccDb d = db;
        return d == null ? 0 : d.pending();
    }

    @Override
    public long drainLimitMillis() {
        return 10_000;
    }

    // ---- accounting ------------------------------------------------------------------------------

    private int request(ActionContext ctx, String comment, String table, boolean log) {
        if (!(ctx.message() instanceof SipRequest req)) {
            return -1;
        }
        Settings s = settings;
        String[] codeReason = codeAndReason(comment);
        ScriptHandle script = ctx.scriptHandle();
        if (log) {
            log("request accounted", record(req, codeReason[0], codeReason[1], req.toTag(), script, s.logExtra()), s);
        }
        if (table != null) {
            db.write(table, record(req, codeReason[0], codeReason[1], req.toTag(), script, s.dbExtra()));
            rows.increment();
        }
        return 1;
    }

    /** {@code "403 Forbidden"} is code 403, reason Forbidden; a comment without a code is all reason. */
    static String[] codeAndReason(String comment) {
        String c = comment == null ? "" : comment.trim();
        if (c.length() >= 3 && c.substring(0, 3).chars().allMatch(Character::isDigit)
                && (c.length() == 3 || c.charAt(3) == ' ')) {
            return new String[] { c.substring(0, 3), c.length() > 4 ? c.substring(4).trim() : "" };
        }
        return new String[] { "", c };
    }

    @Override
    public void completed(TransactionOutcome o) {
        account(o, false);
        Config c = settings.config();
        SipRequest req = o.request();
        if (c.report__ack() != 0 && req != null && req.isMethod(SipMethods.INVITE) && o.status() < 300
                && (o.flag(c.log__flag()) || o.flag(c.db__flag()))) {
            invites.remember(req, o.status(), o.reason(), o.flags(), clock.millis());
        }
    }

    /**
     * report_ack: the end-to-end ACK of an INVITE whose 2xx was accounted is accounted too (method
     * ACK, the INVITE's code and reason), with the INVITE's flags, as Kamailio does. An ACK that
     * takes another path, or comes after {@link AnsweredInvites#KEEP_MILLIS}, is not seen.
     */
    @Override
    public void acknowledged(SipRequest ack, ScriptHandle script) {
        Settings s = settings;
        Config c = s.config();
        if (c.report__ack() == 0) {
            return;
        }
        AnsweredInvites.Answer a = invites.take(ack, clock.millis());
        if (a == null) {
            return;
        }
        String code = Integer.toString(a.status());
        if ((a.flags() & 1L << c.log__flag()) != 0 && c.log__flag() >= 0) {
            log("transaction answered", record(ack, code, a.reason(), ack.toTag(), script, s.logExtra()), s);
        }
        if ((a.flags() & 1L << c.db__flag()) != 0 && c.db__flag() >= 0) {
            db.write(c.db__table__acc(), record(ack, code, a.reason(), ack.toTag(), script, s.dbExtra()));
            rows.increment();
        }
    }

    @Override
    public void provisional(TransactionOutcome o) {
        if (o.status() == 183 && settings.config().early__media() != 0) {
            account(o, true);
        }
    }

    private void account(TransactionOutcome o, boolean early) {
        Settings s = settings;
        Config c = s.config();
        SipRequest req = o.request();
        if (req == null || req.isMethod(SipMethods.CANCEL) && c.report__cancels() == 0) {
            return;
        }
        String code = Integer.toString(o.status());
        boolean negative = o.status() >= 300;
        boolean counts = !negative || o.flag(c.failed__transaction__flag());
        if (counts && o.flag(c.log__flag())) {
            log("transaction answered", record(req, code, o.reason(), o.toTag(), o.script(), s.logExtra()), s);
        }
        if (counts && o.flag(c.db__flag())) {
            db.write(c.db__table__acc(), record(req, code, o.reason(), o.toTag(), o.script(), s.dbExtra()));
            rows.increment();
        }
        if (negative && !early && req.isMethod(SipMethods.INVITE)) {
            if (o.flag(c.log__missed__flag())) {
                log("call missed", record(req, code, o.reason(), o.toTag(), o.script(), s.logExtra()), s);
            }
            if (o.flag(c.db__missed__flag())) {
                db.write(c.db__table__missed__calls(), record(req, code, o.reason(), o.toTag(), o.script(), s.dbExtra()));
                rows.increment();
            }
        }
    }

    private AccRecord record(SipRequest req, String code, String reason, String toTag, ScriptHandle script,
            ExtraSpec extras) {
        List<AccRecord.Extra> values = new ArrayList<>(extras.items().size());
        for (ExtraSpec.Item i : extras.items()) {
            Object v = null;
            try {
                v = script == null ? null : script.value(i.pv(), req);
            } catch (RuntimeException e) {
                LOG.debug("acc: {} has no value here: {}", i.pv(), e.toString());
            }
            values.add(new AccRecord.Extra(i.name(), v == null ? null : v.toString()));
        }
        String fromTag = req.fromTag();
        if (settings.config().detect__direction() != 0 && toTag != null && upstream(req)) {
            String t = fromTag; // the callee's request: tags as the caller's were, so both ends of a call read alike
            fromTag = toTag;
            toTag = t;
        }
        return new AccRecord(req.method(), fromTag, toTag, req.callId(), code, reason == null ? "" : reason,
                clock.instant(), values);
    }

    private static final java.util.regex.Pattern FTAG = java.util.regex.Pattern.compile(";ftag=([^;>,\\s]+)");

    /**
     * detect_direction: a request inside a dialog goes upstream (from the callee) when the ftag our
     * Record-Route put in its Route (rr's append_fromtag) is not its From tag.
     */
    static boolean upstream(SipRequest req) {
        for (org.siphon.core.sip.SipHeader h : req.headers("Route")) {
            java.util.regex.Matcher m = FTAG.matcher(h.value());
            if (m.find()) {
                return !m.group(1).equals(req.fromTag());
            }
        }
        return false;
    }

    private void log(String what, AccRecord r, Settings s) {
        String line = "ACC: " + what + ": " + r.logText();
        int level = s.config().log__level();
        if (level < 0) {
            ACC_LOG.error(line);
        } else if (level == 0) {
            ACC_LOG.warn(line);
        } else if (level <= 2) {
            ACC_LOG.info(line);
        } else {
            ACC_LOG.debug(line);
        }
        logged.increment();
    }
}
