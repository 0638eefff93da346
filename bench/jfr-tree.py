#!/usr/bin/env python3
"""Inclusive and self CPU shares per method from a JFR recording's CPU-time samples.

    bench/jfr-tree.py REC.jfr [EVENT] [PREFIX]     (jfr of a JDK 21+ on PATH or in JFR_HOME)
"""
import collections, json, os, subprocess, sys

rec = sys.argv[1]
event = sys.argv[2] if len(sys.argv) > 2 else "jdk.CPUTimeSample"
prefix = sys.argv[3] if len(sys.argv) > 3 else ""
jfr = os.path.join(os.environ.get("JFR_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")
data = json.loads(subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events", event, rec],
                                 capture_output=True, text=True, check=True).stdout)
events = data["recording"]["events"]
incl, self_ = collections.Counter(), collections.Counter()
for e in events:
    st = e["values"].get("stackTrace") or {}
    frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in st.get("frames", [])]
    if not frames:
        continue
    w = e["values"].get("weight", 1)  # allocation samples weigh the bytes they stand for
    self_[frames[0]] += w
    for m in set(frames):
        incl[m] += w
n = sum(e["values"].get("weight", 1) for e in events) or 1
print(f"{len(events)} samples of {event}, total weight {n}")
print("-- self")
for m, c in self_.most_common(30):
    print(f"{100*c/n:6.1f}%  {m}")
print("-- inclusive" + (f" ({prefix}*)" if prefix else ""))
for m, c in incl.most_common(400):
    if m.startswith(prefix):
        print(f"{100*c/n:6.1f}%  {m}")
