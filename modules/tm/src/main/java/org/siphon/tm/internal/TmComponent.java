package org.siphon.tm.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.proxy.TransactionLayer;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.tm.TmApi;
import org.siphon.tm.UacRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code tm}: the transaction layer the core consults ({@link TransactionLayer}), the
 * stateful proxy's script functions and pseudo-variables, the UAC API ({@link TmApi}), RPC
 * {@code tm.*} and the tm/tmx statistics. Parameters are Kamailio's (milliseconds).
 */
@Component(immediate = true, service = { SiphonModule.class, TransactionLayer.class, TmApi.class },
        configurationPid = "org.siphon.tm", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TmComponent.Config.class)
public class TmComponent implements SiphonModule, TransactionLayer, TmApi {

    private static final Logger LOG = LoggerFactory.getLogger(TmComponent.class);

    @ObjectClassDefinition(name = "Siphon module tm")
    public @interface Config {
        @AttributeDefinition(description = "Wait for a reply to a request (Timers B and F), ms (30000)")
        int fr__timer() default 30_000;

        @AttributeDefinition(description = "Wait for the final reply to an INVITE once a provisional arrived, ms (120000)")
        int fr__inv__timer() default 120_000;

        @AttributeDefinition(description = "T4: how long a finished transaction lingers to absorb retransmissions, ms (5000)")
        int wt__timer() default 5_000;

        @AttributeDefinition(description = "T1: first retransmission interval over UDP, ms (500)")
        int retr__timer1() default 500;

        @AttributeDefinition(description = "T2: longest retransmission interval, ms (4000)")
        int retr__timer2() default 4_000;

        @AttributeDefinition(description = "Longest life of an INVITE transaction, ms (180000)")
        int max__inv__lifetime() default 180_000;

        @AttributeDefinition(description = "Longest life of a non-INVITE transaction, ms (32000)")
        int max__noninv__lifetime() default 32_000;

        @AttributeDefinition(description = "Send 100 Trying when an INVITE is relayed (1) or not (0)")
        int auto__inv__100() default 1;

        @AttributeDefinition(description = "Reason phrase of the automatic 100")
        String auto__inv__100__reason() default "Trying";

        @AttributeDefinition(description = "Restart fr_inv_timer on each provisional reply (1) or only on the first (0)")
        int restart__fr__on__each__reply() default 1;

        @AttributeDefinition(description = "Replies of earlier serial-forking legs that still compete: 0 all, 1 and 3 none, 2 the last branch's")
        int failure__reply__mode() default 3;

        @AttributeDefinition(description = "A CANCEL without its INVITE transaction: 0 forward statelessly, 1 drop")
        int unmatched__cancel() default 0;
    }

    @Reference
    private SipCore core;

    @Reference
    private StatefulCore stateful;

    private volatile Tm tm;
    /** Observers that came before activation; handed to the Tm when it is made. */
    private final java.util.List<org.siphon.core.proxy.TransactionObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Uac uac;
    private TmFunctions functions;

    @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    void addObserver(org.siphon.core.proxy.TransactionObserver o) {
        observers.add(o);
        Tm t = tm;
        if (t != null && !t.observers.contains(o)) {
            t.observers.add(o);
        }
    }

    void removeObserver(org.siphon.core.proxy.TransactionObserver o) {
        observers.remove(o);
        Tm t = tm;
        if (t != null) {
            t.observers.remove(o);
        }
    }

    @Activate
    void activate(Config c) {
        Tm t = new Tm(core, stateful, timers(c), settings(c), key -> Tm.coreScheduler(stateful, key));
        t.observers.addAll(observers);
        tm = t;
        uac = new Uac(tm);
        functions = new TmFunctions(tm);
    }

    /**
     * {@code cfg.reload} with changed parameters: every one applies live. Transactions that have
     * started keep the timers they started with; new ones use the new table.
     */
    @Modified
    void modified(Config c) {
        tm.timers = timers(c);
        tm.settings = settings(c);
        LOG.info("tm parameters changed: new transactions use them, {} in progress keep theirs", inFlight());
    }

    private static TimerTable timers(Config c) {
        return new TimerTable(c.retr__timer1(), c.retr__timer2(), c.wt__timer(), c.fr__timer(),
                c.fr__inv__timer(), c.max__inv__lifetime(), c.max__noninv__lifetime());
    }

    private static Tm.Settings settings(Config c) {
        return new Tm.Settings(c.auto__inv__100() != 0, c.auto__inv__100__reason(),
                c.restart__fr__on__each__reply() != 0, c.failure__reply__mode(), c.unmatched__cancel() == 0);
    }

    /** Server and client transactions, and UAC requests, not yet ended: an update waits for them. */
    @Override
    public int inFlight() {
        return tm.table.serverCount() + tm.table.clientCount() + uac.active();
    }

    /** The longest a transaction can live (max_inv_lifetime, or the non-INVITE one), plus its wait timer. */
    @Override
    public long drainLimitMillis() {
        TimerTable t = tm.timers;
        return Math.max(t.maxInvLifetime(), t.maxNoninvLifetime()) + t.t4() + 1_000;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        int n = tm.table.serverCount() + tm.table.clientCount();
        if (n == 0) {
            return;
        }
        LOG.info("tm stopping with {} transactions in progress: they end now; their replies pass statelessly", n);
        // each ends on its own worker (transactions are confined to it); wait, boundedly, so that no
        // timer of this version fires once its bundle is gone
        java.util.List<Transaction> cells = java.util.List.copyOf(tm.table.transactions());
        java.util.List<ClientTransaction> clients = java.util.List.copyOf(tm.table.clients());
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(cells.size() + clients.size());
        for (Transaction t : cells) {
            t.scheduler.execute(() -> {
                t.terminate();
                done.countDown();
            });
        }
        for (ClientTransaction ct : clients) {
            ct.scheduler.execute(() -> {
                ct.terminate();
                done.countDown();
            });
        }
        if (!done.await(2, java.util.concurrent.TimeUnit.SECONDS)) {
            LOG.warn("tm stopping: {} transactions did not end within 2 s", done.getCount());
        }
    }

    @Override
    public String name() {
        return TmFunctions.MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        return functions.all();
    }

    @Override
    public List<PseudoVariableExport> pseudoVariables() {
        return TmPseudoVariables.all(functions);
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return new TmRpc(tm, uac).all();
    }

    @Override
    public java.util.Map<String, Object> statistics() {
        return new TmRpc(tm, uac).tmx();
    }

    // ---- TransactionLayer ---------------------------------------------------------------

    @Override
    public boolean request(SipRequest request) {
        if (!request.isMethod(SipMethods.ACK) || request.topVia() == null) {
            return false;
        }
        Transaction t = tm.table.find(request, SipMethods.ACK);
        return t != null && t.server instanceof InviteServerTransaction ist && ist.ack();
    }

    @Override
    public boolean response(SipResponse response) {
        ClientTransaction ct = tm.table.match(response);
        if (ct == null) {
            return false;
        }
        if (ct.listener instanceof ProxyBranch pb && pb.owner.server.terminated() && response.status() >= 200
                && response.status() < 300) {
            return false; // a late 2xx: forwarded statelessly by its Via (RFC 3261 §16.7 step 5)
        }
        ct.receive(response);
        return true;
    }

    @Override
    public boolean reply(ActionContext ctx, int status, String reason) {
        Transaction t = functions.transaction(ctx);
        return t != null && TmFunctions.localReply(ctx, t, status, reason, List.of());
    }

    // ---- TmApi ------------------------------------------------------------------------

    @Override
    public CompletableFuture<SipResponse> send(UacRequest request) {
        return uac.send(request);
    }

    @Override
    public CompletableFuture<SipResponse> requestWithin(UacRequest request) {
        return uac.requestWithin(request);
    }

    @Override
    public int transactionCount() {
        return tm.table.serverCount() + uac.active();
    }

    Tm tm() {
        return tm;
    }
}
