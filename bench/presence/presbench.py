#!/usr/bin/env python3
"""PUBLISH load with N watchers per presentity against a presence server on 127.0.0.1.

P presentities, each watched by W watchers (W UDP sockets, each holding one dialog per
presentity); after the subscriptions and a first PUBLISH per presentity, PUBLISHes that modify
the state (SIP-If-Match, a new PIDF) go out at RATE per second for DURATION seconds, round robin
(a presentity whose previous PUBLISH is unanswered is skipped and counted). Every NOTIFY is
answered 200. Prints one JSON line: publishes sent/accepted, NOTIFYs expected (W per accepted
PUBLISH) and received (distinct Call-ID and CSeq), the server's CPU seconds over the window
(from /proc, for the PIDs given) and NOTIFYs per CPU-second. Loopback only, bounded in time.
"""
import argparse, json, os, re, selectors, socket, sys, time, uuid

def cpu_ticks(pids):
    t = 0
    for p in pids:
        try:
            f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            t += int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])  # utime stime cutime cstime
        except (OSError, IndexError):
            pass
    return t

def hdr(msg, name):
    m = re.search(r"(?im)^" + re.escape(name) + r":\s*(.*?)\r?$", msg)
    return m.group(1).strip() if m else None

def reply_200(msg):
    lines = ["SIP/2.0 200 OK"]
    for l in msg.split("\r\n")[1:]:
        if not l:
            break
        low = l.lower()
        if low.startswith(("via:", "from:", "to:", "call-id:", "cseq:")):
            lines.append(l)
    return ("\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n").encode()

def pidf(uri, n):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="%s">'
            '<tuple id="t1"><status><basic>%s</basic></status><note>update %d</note></tuple></presence>'
            % (uri, "open" if n % 2 else "closed", n))

def main():
    a = argparse.ArgumentParser()
    a.add_argument("--port", type=int, required=True)
    a.add_argument("--presentities", type=int, default=50)
    a.add_argument("--watchers", type=int, default=10)
    a.add_argument("--rate", type=int, default=500)
    a.add_argument("--duration", type=float, default=10)
    a.add_argument("--pids", default="")
    o = a.parse_args()
    server = ("127.0.0.1", o.port)
    pids = [int(p) for p in o.pids.split(",") if p]
    sel = selectors.DefaultSelector()
    pub = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); pub.bind(("127.0.0.1", 0)); pub.setblocking(False)
    pub.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sel.register(pub, selectors.EVENT_READ, "pub")
    ws = []
    for j in range(o.watchers):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); s.setblocking(False)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        sel.register(s, selectors.EVENT_READ, j)
        ws.append(s)
    run = uuid.uuid4().hex[:8]
    uris = ["sip:p%s-%d@127.0.0.1" % (run, i) for i in range(o.presentities)]
    state = {"notifies": set(), "sub_ok": 0, "etag": {}, "inflight": {}, "accepted": 0, "refused": 0, "counting": False,
             "cid": {}, "pending_subs": {}}
    branch = [0]

    def pump(timeout):
        for key, _ in sel.select(timeout):
            s = key.fileobj
            while True:
                try:
                    data, addr = s.recvfrom(65536)
                except BlockingIOError:
                    break
                m = data.decode("utf-8", "replace")
                if m.startswith("NOTIFY"):
                    s.sendto(reply_200(m), addr)
                    if state["counting"]:
                        state["notifies"].add((hdr(m, "Call-ID"), hdr(m, "CSeq")))
                elif m.startswith("SIP/2.0"):
                    code = int(m[8:11])
                    method = (hdr(m, "CSeq") or " ").split()[-1]
                    if method == "SUBSCRIBE" and code < 300:
                        if state["pending_subs"].pop(hdr(m, "Call-ID"), None) is not None:
                            state["sub_ok"] += 1
                    elif method == "PUBLISH":
                        i = state["cid"].get(hdr(m, "Call-ID"))
                        if i is not None and code >= 200:
                            state["inflight"].pop(i, None)
                            if code < 300:
                                state["etag"][i] = hdr(m, "SIP-ETag")
                                if state["counting"]:
                                    state["accepted"] += 1
                            elif state["counting"]:
                                state["refused"] += 1

    def publish(i, n):
        branch[0] += 1
        uri = uris[i]
        body = pidf(uri, n).encode()
        cid = "pub-%s-%d" % (run, i)
        state["cid"][cid] = i
        etag = state["etag"].get(i)
        msg = ("PUBLISH %s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKp%s%d;rport\r\nMax-Forwards: 70\r\n"
               "From: <%s>;tag=pb%d\r\nTo: <%s>\r\nCall-ID: %s\r\nCSeq: %d PUBLISH\r\nEvent: presence\r\n%s"
               "Expires: 3600\r\nContent-Type: application/pidf+xml\r\nContent-Length: %d\r\n\r\n"
               % (uri, pub.getsockname()[1], run, branch[0], uri, i, uri, cid, branch[0],
                  "SIP-If-Match: %s\r\n" % etag if etag else "", len(body))).encode() + body
        state["inflight"][i] = time.time()
        pub.sendto(msg, server)

    # subscriptions: every watcher to every presentity
    for j, s in enumerate(ws):
        for i, uri in enumerate(uris):
            branch[0] += 1
            port = s.getsockname()[1]
            cid = "sub-%s-%d-%d" % (run, j, i)
            req = (("SUBSCRIBE %s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKs%s%d;rport\r\n"
                      "Max-Forwards: 70\r\nFrom: <sip:w%s-%d@127.0.0.1>;tag=w%d-%d\r\nTo: <%s>\r\nCall-ID: sub-%s-%d-%d\r\n"
                      "CSeq: 1 SUBSCRIBE\r\nContact: <sip:w%d@127.0.0.1:%d>\r\nEvent: presence\r\n"
                      "Accept: application/pidf+xml\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n"
                      % (uri, port, run, branch[0], run, j, j, i, uri, run, j, i, j, port)).encode())
            state["pending_subs"][cid] = (s, req)
            s.sendto(req, server)
            pump(0)
            if len(state["pending_subs"]) > 100:  # at most 100 unanswered at a time
                pump(0.01)
    end = time.time() + 30
    resend = time.time() + 1
    while state["pending_subs"] and time.time() < end:
        pump(0.05)
        if time.time() > resend:  # UDP: lost ones again, as a UA's retransmission would
            for s, req in list(state["pending_subs"].values()):
                s.sendto(req, server)
            resend = time.time() + 1
    if state["pending_subs"]:
        sys.exit("only %d of %d SUBSCRIBEs accepted" % (state["sub_ok"], len(ws) * len(uris)))
    for i in range(len(uris)):
        publish(i, 0)
    end = time.time() + 10
    while len(state["etag"]) < len(uris) and time.time() < end:
        pump(0.05)
    settle = time.time() + 2
    while time.time() < settle:
        pump(0.05)

    state["counting"] = True
    t0 = time.time(); c0 = cpu_ticks(pids)
    sent = skipped = 0
    interval = 1.0 / o.rate
    nxt = t0
    k = 0
    while time.time() < t0 + o.duration:
        now = time.time()
        while nxt <= now:
            i = k % len(uris); k += 1
            if i in state["inflight"] and now - state["inflight"][i] < 5:
                skipped += 1
            else:
                sent += 1
                publish(i, k)
            nxt += interval
        pump(max(0, min(nxt - time.time(), 0.01)))
    load_end = time.time()
    drain = time.time() + 5
    while time.time() < drain and (len(state["notifies"]) < state["accepted"] * o.watchers or state["inflight"]):
        pump(0.05)
    c1 = cpu_ticks(pids)
    cpu = (c1 - c0) / os.sysconf("SC_CLK_TCK")
    got = len(state["notifies"])
    exp = state["accepted"] * o.watchers
    print(json.dumps({"presentities": len(uris), "watchers": o.watchers, "subscribed": state["sub_ok"],
                      "rate": o.rate, "seconds": round(load_end - t0, 2), "publish_sent": sent, "publish_skipped": skipped,
                      "publish_accepted": state["accepted"], "publish_refused": state["refused"],
                      "notify_expected": exp, "notify_received": got, "notify_lost": max(0, exp - got),
                      "server_cpu_s": round(cpu, 2),
                      "notify_per_cpu_s": round(got / cpu, 1) if cpu > 0 else None}))

if __name__ == "__main__":
    main()
