package org.siphon.msilo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.sip.SipHeader;
import org.siphon.tm.UacRequest;
import org.siphon.test.TestDatabase;
import org.siphon.test.TestActionContext;

/** The component through its exports, over H2 and a tm whose replies the tests give. */
class MsiloComponentTest {

    /** 2026-12-07 10:00:00 UTC. */
    private final AtomicLong clock = new AtomicLong(1_796_637_600_000L);
    private final TestDatabase db = new TestDatabase();
    private final Stubs.Tm tm = new Stubs.Tm();
    private final List<MsiloComponent> started = new ArrayList<>();

    private MsiloComponent msilo(Object... overrides) {
        MsiloComponent m = new MsiloComponent(clock::get, ZoneOffset.UTC, db, tm);
        m.activate(Stubs.config(overrides));
        started.add(m);
        return m;
    }

    @AfterEach
    void stop() {
        started.forEach(MsiloComponent::deactivate);
    }

    static int call(MsiloComponent m, String name, ActionContext ctx, Object... args) throws Exception {
        for (FunctionExport f : m.functions()) {
            if (f.name().equals(name) && f.acceptsArgs(args.length)) {
                List<String> raw = new ArrayList<>();
                for (Object a : args) {
                    raw.add((String) a);
                }
                return f.handler().call(ctx, f.fixup().apply(raw));
            }
        }
        throw new AssertionError("no " + name + "/" + args.length);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    private List<String> silo() throws Exception {
        return db.rows("SELECT id, src_addr, dst_addr, username, domain, inc_time, exp_time, snd_time, ctype, body, status "
                + "FROM silo ORDER BY id");
    }

    private static String header(UacRequest r, String name) {
        for (SipHeader h : r.headers()) {
            if (h.is(name)) {
                return h.value();
            }
        }
        return null;
    }

    @Test
    void aStoredMessageIsARowOfKamailiosSiloTable() throws Exception {
        MsiloComponent m = msilo();
        assertEquals(1, call(m, "m_store", Stubs.text("héllo ✓")));
        assertEquals(List.of("silo v8"), db.created(), "created in Kamailio's layout, version 8");
        assertEquals(List.of("1|sip:alice@example.com|sip:bob@example.com|bob|example.com|1796637600|1796896800|0|"
                + "text/plain;charset=UTF-8|héllo ✓|0"), silo(), "inc_time now, exp_time now + 3 days, UTF-8 body");
        assertEquals(1L, m.statistics().get("msilo:stored_messages"));
        assertEquals(List.of("id", "src_addr", "dst_addr", "username", "domain", "inc_time", "exp_time", "snd_time", "ctype",
                "body", "extra_hdrs", "callid", "status"), new ArrayList<>(db.columns("silo")));
    }

    @Test
    void theOwnerIsTheArgumentElseAnAorRuriElseTheTo() throws Exception {
        MsiloComponent m = msilo();
        assertEquals(1, call(m, "m_store", Stubs.text("a"), "sip:carol@example.org"));
        assertEquals(1, call(m, "m_store", Stubs.message("sip:192.168.1.9:5060", "sip:alice@example.com",
                "sip:dave@example.net", "text/plain", "b".getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of("carol|example.org", "dave|example.net"), db.rows("SELECT username, domain FROM silo ORDER BY id"));
        assertEquals(-1, call(m, "m_store", Stubs.text("c"), "not a uri"), "a bad owner SIP address");
    }

    @Test
    void badInputIsRefusedAndNothingIsStored() throws Exception {
        MsiloComponent m = msilo();
        byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, call(m, "m_store", Stubs.message("sip:bob@example.com", "sip:alice@example.com",
                "sip:bob@example.com", "text/plain", null)), "no body");
        assertEquals(-1, call(m, "m_store", Stubs.message("sip:bob@example.com", "sip:alice@example.com",
                "sip:bob@example.com", null, hi)), "no Content-Type");
        assertEquals(-1, call(m, "m_store", Stubs.message("sip:bob@example.com", "sip:alice@example.com",
                "sip:bob@example.com", "text/plain", new byte[Store.MAX_BODY + 1])), "a body larger than a silo row holds");
        assertEquals(-1, call(m, "m_store", Stubs.message("sip:example.com", "sip:alice@example.com",
                "sip:example.com", "text/plain", hi)), "no user in R-URI nor To");
        assertEquals(-1, call(m, "m_store", Stubs.message("sip:bob@example.com", "sip:example.com",
                "sip:bob@example.com", "text/plain", hi)), "no user in From");
        assertEquals(-1, call(m, "m_store", Stubs.message("sip:bob@example.com", "sip:alice@example.com",
                "sip:bob@example.com", "application/vnd.a-very-long-type-name-indeed+xml", hi)), "ctype over 32 characters");
        assertEquals(1, call(m, "m_store", Stubs.message("sip:bob@example.com", "sip:alice@example.com",
                "sip:bob@example.com", "application/octet-stream", new byte[Store.MAX_BODY])), "the largest body");
        assertEquals(1, db.rows("SELECT id FROM silo").size());
        db.down(true);
        assertEquals(-1, call(m, "m_store", Stubs.text("while down")), "database down: not stored, -1 for the script's 503");
        db.down(false);
        assertEquals(1, db.rows("SELECT id FROM silo").size(), "nothing half-stored");
    }

    @Test
    void maxMessagesPerAorIsRefusedAndAppliesLive() throws Exception {
        MsiloComponent m = msilo("max__messages", 2);
        assertEquals(1, call(m, "m_store", Stubs.text("1")));
        assertEquals(1, call(m, "m_store", Stubs.text("2")));
        assertEquals(-1, call(m, "m_store", Stubs.text("3")), "max_messages reached");
        assertEquals(1, call(m, "m_store", Stubs.text("other"), "sip:carol@example.com"), "per AoR");
        m.modified(Stubs.config("max__messages", 0));
        assertEquals(1, call(m, "m_store", Stubs.text("3")), "cfg.reload: 0 is no limit");
        assertEquals(4L, m.statistics().get("msilo:stored_messages"));
    }

    @Test
    void mDumpSendsInArrivalOrderAndDeletesOnlyAfterA2xx() throws Exception {
        MsiloComponent m = msilo();
        for (String b : List.of("one", "two", "three")) {
            assertEquals(1, call(m, "m_store", Stubs.text(b)));
        }
        assertEquals(1, call(m, "m_dump", Stubs.register(5090, "")));
        await(() -> tm.sent.size() == 1, "the first message");
        UacRequest first = tm.sent.get(0).request();
        assertEquals("MESSAGE", first.method());
        assertEquals("sip:bob@192.168.1.9:5060", first.requestUri(), "to the registered contact");
        assertEquals("sip:127.0.0.1:5090", first.nextHop(), "through where the REGISTER came from");
        assertEquals("sip:alice@example.com", first.from());
        assertEquals("sip:bob@example.com", first.to());
        assertEquals("text/plain;charset=UTF-8", first.contentType());
        assertEquals("Mon, 07 Dec 2026 10:00:00 GMT", header(first, "Date"), "add_date: the time it was stored");
        assertEquals("[Offline message - Mon Dec  7 10:00:00 2026] one", new String(first.body(), StandardCharsets.UTF_8));
        assertEquals(1, m.inFlight(), "a delivery under way");
        tm.answer(0, 200);
        await(() -> tm.sent.size() == 2, "the second after the first's reply");
        assertTrue(new String(tm.sent.get(1).request().body(), StandardCharsets.UTF_8).endsWith("two"));
        tm.answer(1, 500);
        await(() -> tm.sent.size() == 3, "the third");
        tm.answer(2, 408); // tm's timeout
        await(() -> m.inFlight() == 0, "the delivery ends");
        assertEquals(List.of("two", "three"), db.rows("SELECT body FROM silo ORDER BY id"), "only the 2xx one is deleted");
        assertEquals(List.of("0", "0"), db.rows("SELECT status FROM silo ORDER BY id"), "the failed ones are free again");
        assertEquals(1L, m.statistics().get("msilo:dumped_messages"));
        assertEquals(2L, m.statistics().get("msilo:failed_messages"));

        assertEquals(1, call(m, "m_dump", Stubs.register(5090, ""), "sip:bob@example.com", "1"), "maxmsgs 1");
        await(() -> tm.sent.size() == 4, "the next REGISTER gets the kept one");
        assertTrue(new String(tm.sent.get(3).request().body(), StandardCharsets.UTF_8).endsWith("two"));
        tm.answer(3, 202);
        await(() -> m.inFlight() == 0, "done");
        assertEquals(4, tm.sent.size(), "maxmsgs: one message only");
        assertEquals(List.of("three"), db.rows("SELECT body FROM silo ORDER BY id"));
    }

    @Test
    void twoRegistersAtOnceDeliverEachMessageOnce() throws Exception {
        MsiloComponent m = msilo();
        assertEquals(1, call(m, "m_store", Stubs.text("only once")));
        assertEquals(1, call(m, "m_dump", Stubs.register(5090, "")));
        assertEquals(1, call(m, "m_dump", Stubs.register(5091, "")));
        await(() -> m.inFlight() == 1, "the second REGISTER finds the row claimed");
        assertEquals(1, tm.sent.size());
        assertTrue(!db.rows("SELECT status FROM silo").get(0).equals("0"), "claimed while it is sent");
        MsiloComponent other = msilo(); // another node on the same database
        assertEquals(1, call(other, "m_dump", Stubs.register(5092, "")));
        await(() -> other.inFlight() == 0, "the other node skips it");
        assertEquals(1, tm.sent.size(), "not sent twice");
        tm.answer(0, 200);
        await(() -> m.inFlight() == 0, "done");
        assertEquals(List.of(), silo());
    }

    @Test
    void aClaimOfAKilledNodeRunsOut() throws Exception {
        MsiloComponent m = msilo();
        assertEquals(1, call(m, "m_store", Stubs.text("x")));
        long now = clock.get() / 1000;
        db.execute("UPDATE silo SET status = " + (now + Delivery.CLAIM_SECONDS));
        assertEquals(1, call(m, "m_dump", Stubs.register(5090, "")));
        await(() -> m.inFlight() == 0, "claimed elsewhere: skipped");
        assertEquals(0, tm.sent.size());
        clock.addAndGet((Delivery.CLAIM_SECONDS + 1) * 1000);
        assertEquals(1, call(m, "m_dump", Stubs.register(5090, "")));
        await(() -> tm.sent.size() == 1, "the claim ran out: delivered");
    }

    @Test
    void mDumpNeedsARegisterThatBindsAContactSupportingMessage() throws Exception {
        MsiloComponent m = msilo();
        call(m, "m_store", Stubs.text("x"));
        assertEquals(-1, call(m, "m_dump", Stubs.text("not a register")));
        assertEquals(-1, call(m, "m_dump", Stubs.register(5090, "Allow: INVITE, ACK, BYE\r\n")), "MESSAGE not allowed");
        assertEquals(1, call(m, "m_dump", Stubs.register(5090, "Allow: INVITE, MESSAGE\r\n")));
        await(() -> tm.sent.size() == 1, "sent");
        tm.answer(0, 480);
        await(() -> m.inFlight() == 0, "done");
        String unregister = "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bKu\r\n"
                + "From: <sip:bob@example.com>;tag=r1\r\nTo: <sip:bob@example.com>\r\nCall-ID: u\r\nCSeq: 2 REGISTER\r\n"
                + "Contact: <sip:bob@192.168.1.9:5060>;expires=0\r\nContent-Length: 0\r\n\r\n";
        assertEquals(-1, call(m, "m_dump", Stubs.context(org.siphon.core.sip.SipMessages.parse(
                unregister.getBytes(StandardCharsets.UTF_8)))), "expires 0: nothing dumped");
        assertEquals(1, db.rows("SELECT id FROM silo").size(), "a 480 keeps it");
    }

    @Test
    void expiredMessagesAreRemovedAndNotDelivered() throws Exception {
        MsiloComponent m = msilo("expire__time", 60);
        call(m, "m_store", Stubs.text("old"));
        clock.addAndGet(30_000);
        call(m, "m_store", Stubs.text("new"));
        clock.addAndGet(31_000);
        assertEquals(1, call(m, "m_dump", Stubs.register(5090, "")));
        await(() -> tm.sent.size() == 1, "the one not expired");
        tm.answer(0, 500);
        await(() -> m.inFlight() == 0, "done");
        assertTrue(new String(tm.sent.get(0).request().body(), StandardCharsets.UTF_8).endsWith("new"));
        assertEquals(1, m.clean(m.settings(), clock.get()), "the expired one removed");
        assertEquals(List.of("new"), db.rows("SELECT body FROM silo"));
        assertEquals(0, m.clean(m.settings(), clock.get()));
    }

    @Test
    void remindersGoOutAtTheirTimeFromTheReminderAddress() throws Exception {
        MsiloComponent m = msilo("snd__time__avp", "$avp(snd_time)", "reminder", "sip:reminder@example.com",
                "send__time", 1);
        TestActionContext ctx = Stubs.text("call mum");
        ctx.avp("snd_time", "20261207103000");
        assertEquals(1, call(m, "m_store", ctx));
        TestActionContext bad = Stubs.text("x");
        bad.avp("snd_time", "20261340103000");
        assertEquals(-1, call(m, "m_store", bad), "a bad time");
        assertEquals(List.of("1796639400"), db.rows("SELECT snd_time FROM silo"));
        assertEquals(1, call(m, "m_dump", Stubs.register(5090, "")));
        await(() -> m.inFlight() == 0, "a reminder is not an offline message");
        assertEquals(0, tm.sent.size());
        m.delivery().reminders(m.settings());
        assertEquals(0, tm.sent.size(), "not due yet");
        clock.addAndGet(1800_000);
        m.delivery().reminders(m.settings());
        await(() -> tm.sent.size() == 1, "due");
        UacRequest r = tm.sent.get(0).request();
        assertEquals("sip:reminder@example.com", r.from());
        assertEquals("sip:bob@example.com", r.requestUri());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).startsWith("[Reminder message - "));
        tm.answer(0, 404);
        await(() -> m.inFlight() == 0, "done");
        assertEquals(1L, m.statistics().get("msilo:failed_reminders"));
        assertEquals(List.of("0"), db.rows("SELECT snd_time FROM silo"), "a failed reminder waits for the next REGISTER");
        assertEquals(1, call(m, "m_dump", Stubs.register(5090, "")));
        await(() -> tm.sent.size() == 2, "now dumped");
        tm.answer(1, 200);
        await(() -> m.inFlight() == 0, "done");
        assertEquals(1L, m.statistics().get("msilo:dumped_messages"));
    }

    @Test
    void theSenderIsToldWithOfflineMessage() throws Exception {
        MsiloComponent m = msilo("from__address", "sip:registrar@example.com",
                "offline__message", "*** User $rU is offline!", "content__type__hdr", "Content-Type: text/plain\\r\\n",
                "contact__hdr", "Contact: <sip:registrar@example.com;msilo=yes>\\r\\n", "skip__notification__flag", 18);
        assertEquals(1, call(m, "m_store", Stubs.text("hi")));
        assertEquals(1, tm.sent.size());
        UacRequest n = tm.sent.get(0).request();
        assertEquals("sip:alice@127.0.0.1:5071", n.requestUri(), "use_contact: to the sender's Contact");
        assertEquals("sip:registrar@example.com", n.from());
        assertEquals("sip:alice@example.com", n.to());
        assertEquals("*** User bob is offline!", new String(n.body(), StandardCharsets.UTF_8));
        assertEquals("text/plain", n.contentType());
        assertEquals("<sip:registrar@example.com;msilo=yes>", header(n, "Contact"));
        TestActionContext skip = Stubs.text("quiet");
        skip.flags(1L << 18);
        assertEquals(1, call(m, "m_store", skip));
        assertEquals(1, tm.sent.size(), "skip_notification_flag");
    }

    @Test
    void extraHeadersAndAddContactOnDelivery() throws Exception {
        MsiloComponent m = msilo("extra__hdrs", "X-Silo: $ci\\r\\n", "extra__hdrs__avp", "$avp(hdrs)", "add__contact", 1,
                "add__date", 0);
        TestActionContext ctx = Stubs.message("sip:bob@example.com", "sip:alice@example.com", "sip:bob@example.com",
                "application/octet-stream", new byte[] { 0, (byte) 0xff, 13, 10 });
        ctx.avp("hdrs", "X-Orig: yes\r\n");
        assertEquals(1, call(m, "m_store", ctx));
        TestActionContext reg = Stubs.register(5090, "");
        assertEquals(1, call(m, "m_dump", reg));
        await(() -> tm.sent.size() == 1, "sent");
        UacRequest r = tm.sent.get(0).request();
        assertEquals(null, header(r, "Date"), "add_date 0");
        assertEquals("<sip:alice@example.com>", header(r, "Contact"));
        assertEquals(reg.message().callId(), header(r, "X-Silo"), "extra_hdrs over the REGISTER");
        assertEquals("yes", header(r, "X-Orig"), "headers stored with the message");
        assertEquals(List.of((byte) 0, (byte) 0xff, (byte) 13, (byte) 10), List.of(r.body()[0], r.body()[1], r.body()[2],
                r.body()[3]), "binary body as stored");
        tm.answer(0, 200);
        await(() -> m.inFlight() == 0, "done");
    }

    @Test
    void aTableOfAnotherVersionIsRefused() throws Exception {
        db.execute("CREATE TABLE version (table_name VARCHAR(32) NOT NULL, table_version INTEGER DEFAULT 0 NOT NULL)");
        db.execute("INSERT INTO version VALUES ('silo', 7)");
        db.execute("CREATE TABLE silo (id INTEGER)");
        MsiloComponent m = msilo();
        assertEquals(-1, call(m, "m_store", Stubs.text("x")), "version 7 is not Kamailio 5.6's 8");
    }

    @Test
    void messagesOutliveAModuleUpdate() throws Exception {
        MsiloComponent old = msilo("sc__mid", "id");
        assertEquals(1, call(old, "m_store", Stubs.text("kept")));
        old.deactivate();
        started.remove(old);
        MsiloComponent fresh = msilo();
        assertEquals(1, call(fresh, "m_dump", Stubs.register(5090, "")));
        await(() -> tm.sent.size() == 1, "the new instance delivers what the old one stored");
        tm.answer(0, 200);
        await(() -> fresh.inFlight() == 0, "done");
        assertEquals(List.of(), silo());
    }

    @Test
    void otherColumnNames() throws Exception {
        MsiloComponent m = msilo("db__table", "offline", "sc__mid", "mid", "sc__body", "message_body", "sc__from",
                "source_address");
        assertEquals(1, call(m, "m_store", Stubs.text("x")));
        assertEquals(List.of("sip:alice@example.com|x"), db.rows("SELECT source_address, message_body FROM offline"));
    }

    @Test
    void sendTimeFormat() {
        assertEquals(1_796_639_400L, Messages.sendTime("20261207103000", ZoneOffset.UTC));
        assertEquals(-1, Messages.sendTime("2026120710300", ZoneOffset.UTC));
        assertEquals(-1, Messages.sendTime("20260230103000", ZoneOffset.UTC));
        assertEquals(List.of("$rU", "@", "$avp(x)", " ", "$(ci)", " $"), Template.parts("$rU@$avp(x) $(ci) $"));
    }
}
