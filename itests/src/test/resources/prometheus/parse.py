"""Parses a Prometheus text-format exposition with the official client's parser
(prometheus_client.parser, Debian's python3-prometheus-client) and prints one line per
family (TYPE name type) and per sample (SAMPLE name{labels} value). Exits 1 if it does not parse."""
import sys

from prometheus_client.parser import text_string_to_metric_families

text = open(sys.argv[1], encoding="utf-8").read()
try:
    for family in text_string_to_metric_families(text):
        print("TYPE", family.name, family.type)
        for s in family.samples:
            labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(s.labels.items()))
            print("SAMPLE", s.name + ("{" + labels + "}" if labels else ""), repr(float(s.value)))
except Exception as e:  # the parser raises ValueError and others on malformed input
    print("does not parse:", repr(e), file=sys.stderr)
    sys.exit(1)
