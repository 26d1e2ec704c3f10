#!/usr/bin/env python3
"""Turns one bench/run.sh run (OUT/raw) into OUT/results.json and OUT/results.md and prints the table.

Ratios compare numbers measured in the same run: SE / nginx (the baseline) and SE / physical limit.
"""
import json
import sys
from pathlib import Path

out = Path(sys.argv[1])
raw = out / "raw"
scalars = {}
for line in (raw / "scalars.tsv").read_text().splitlines():
    key, _, value = line.partition("\t")
    scalars[key] = value


def num(key):
    try:
        return float(scalars[key])
    except (KeyError, ValueError):
        return None


def run(name):
    path = raw / f"{name}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    ops = data["operations"]
    op = next(iter(ops.values())) if ops else None
    return {"op": op, "errors": data["total_errors"]}


def metric(name, field):
    r = run(name)
    if r is None or r["op"] is None:
        return None
    op = r["op"]
    if field == "p99":
        return op["latency_ms"]["p99"]
    return op[field]


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


rows = []


def row(label, unit, se, nginx=None, physical=None, physical_label=None, target=None, check=None, extra=None):
    r = {
        "metric": label, "unit": unit, "se": se, "nginx": nginx, "physical": physical,
        "physical_limit": physical_label, "se_over_nginx": ratio(se, nginx), "se_over_physical": ratio(se, physical),
        "target": target, "met": None if check is None or se is None else bool(check(se, nginx, physical)),
    }
    if extra:
        r.update(extra)
    rows.append(r)


def cpu_us_per_op(name):
    """Server CPU (user + system) per measured operation; the prepare phase's uploads are included."""
    ticks, ops = num("cpu_ticks_" + name), metric(name, "ops")
    hz = num("clk_tck") or 100
    return None if ticks is None or not ops else ticks / hz * 1e6 / ops


def transfer(size, clients, op_name, unit_field, unit):
    name = f"{op_name}-{size}-c{clients}"
    se_cpu, nginx_cpu = cpu_us_per_op("se-" + name), cpu_us_per_op("nginx-" + name)
    return metric("se-" + name, unit_field), metric("nginx-" + name, unit_field), {
        "se_cpu_us_per_op": se_cpu, "nginx_cpu_us_per_op": nginx_cpu,
        "se_over_nginx_cpu_per_op": ratio(se_cpu, nginx_cpu),
        "se_p99_ms": metric("se-" + name, "p99"), "nginx_p99_ms": metric("nginx-" + name, "p99"),
        "se_errors": (run("se-" + name) or {}).get("errors"),
        "nginx_errors": (run("nginx-" + name) or {}).get("errors")}


big = scalars.get("big_size", "256m").upper().replace("M", " MiB").replace("K", " KiB")
dd = num("dd_seq_write_fsync_mbps")
tcp = num("tcp_loopback_mbps")
for c in (1, 4):
    se, ng, extra = transfer("big", c, "upload", "mb_per_second", "MB/s")
    row(f"{big} upload, {c} client(s)", "MB/s", se, ng, dd, "dd conv=fsync", "≥ 0.8 × dd",
        lambda s, n, p: p and s >= 0.8 * p, extra)
for c in (1, 4):
    se, ng, extra = transfer("big", c, "download", "mb_per_second", "MB/s")
    row(f"{big} download, {c} client(s)", "MB/s", se, ng, tcp, "TCP loopback", "≥ 0.8 × nginx",
        lambda s, n, p: n and s >= 0.8 * n, extra)
for c in (1, 32):
    se, ng, extra = transfer("4k", c, "upload", "ops_per_second", "ops/s")
    target = "≥ 1000/s" if c == 32 else None
    check = (lambda s, n, p: s >= 1000) if c == 32 else None
    row(f"4 KiB upload, {c} client(s)", "ops/s", se, ng, num(f"dsync_4k_writes_per_s_{c}"),
        f"dd 4k oflag=dsync, {c} writer(s)", target, check, extra)
for c in (1, 32):
    se, ng, extra = transfer("4k", c, "download", "ops_per_second", "ops/s")
    row(f"4 KiB download, {c} client(s)", "ops/s", se, ng, None, None, "≥ 0.5 × nginx",
        lambda s, n, p: n and s >= 0.5 * n, extra)
if num("follower_visibility_max_ms") is not None:
    row("a follower lists a file uploaded through the leader, max of 50", "ms", num("follower_visibility_max_ms"),
        target="≤ 1000 ms", check=lambda s, n, p: s <= 1000,
        extra={"p50_ms": num("follower_visibility_p50_ms"), "p90_ms": num("follower_visibility_p90_ms")})
files = num("large_files")
if files:
    row(f"list page of 1000 at {int(files):,} files, p99, LoadGen", "ms", metric("se-list-1000-c1", "p99"),
        target="≤ 20 ms", check=lambda s, n, p: s <= 20,
        extra={"pages": (run("se-list-1000-c1") or {"op": {}})["op"].get("ops"),
               "p50_ms": (run("se-list-1000-c1") or {"op": {"latency_ms": {}}})["op"]["latency_ms"].get("p50"),
               "max_ms": (run("se-list-1000-c1") or {"op": {"latency_ms": {}}})["op"]["latency_ms"].get("max")})
    row(f"list page of 1000 at {int(files):,} files, p99, minimal client (Python, time to last byte)", "ms",
        num("list_min_client_p99_ms"), target="≤ 20 ms", check=lambda s, n, p: s <= 20,
        extra={"p50_ms": num("list_min_client_p50_ms"), "p90_ms": num("list_min_client_p90_ms"),
               "max_ms": num("list_min_client_max_ms")})
    row(f"cold start with {int(files):,} files", "s", num("cold_start_seconds"), target="≤ 30 s",
        check=lambda s, n, p: s <= 30, extra={"cold_start_empty_store_seconds": num("cold_start_empty_seconds")})
    heap_large, heap_empty = num("se_heap_large_bytes"), num("se_heap_empty_large_cfg_bytes")
    per_file = None if heap_large is None or heap_empty is None else (heap_large - heap_empty) / files
    row("heap per indexed file", "B", per_file, target="≤ 400 B", check=lambda s, n, p: s <= 400,
        extra={"heap_large_bytes": heap_large, "heap_empty_bytes": heap_empty})

physical = {k: num(k) for k in ("dd_seq_write_fsync_mbps", "dsync_4k_writes_per_s_1", "dsync_4k_writes_per_s_32",
                                "sha256_mbps", "tcp_loopback_mbps")}
result = {"run": {k: v for k, v in scalars.items() if not k.endswith(("_mbps", "_per_s_1", "_per_s_32"))},
          "physical_limits": physical, "rows": rows}
(out / "results.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def fmt(v, digits=1):
    if v is None:
        return "–"
    if isinstance(v, float) and abs(v) < 10 and digits == 1:
        return f"{v:.2f}"
    return f"{v:,.{digits}f}"


def pct(v):
    return "–" if v is None else f"{v * 100:.0f} %"


lines = [f"Run {scalars.get('date')} · commit {scalars.get('commit')} · {scalars.get('machine')}",
         f"{scalars.get('java')} · nginx {scalars.get('nginx_version', '?')} · "
         f"load average before {scalars.get('load_before')}, after {scalars.get('load_after')}",
         "",
         "Physical limits (same disk, same run): "
         + ", ".join([f"dd {scalars.get('dd_mib')} MiB conv=fsync {fmt(physical['dd_seq_write_fsync_mbps'])} MB/s",
                      f"4 KiB O_DSYNC writes {fmt(physical['dsync_4k_writes_per_s_1'])}/s (1 writer), "
                      f"{fmt(physical['dsync_4k_writes_per_s_32'])}/s (32 writers)",
                      f"JDK SHA-256 {fmt(physical['sha256_mbps'])} MB/s",
                      f"loopback TCP {fmt(physical['tcp_loopback_mbps'])} MB/s"]),
         "",
         "| metric | SE | nginx | SE / nginx | physical limit | SE / limit | SE p99 ms | nginx p99 ms "
         "| CPU µs/op SE | CPU µs/op nginx | target | met |",
         "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|"]
for r in rows:
    limit = "–" if r["physical"] is None else f"{fmt(r['physical'])} ({r['physical_limit']})"
    met = {None: "–", True: "yes", False: "**no**"}[r["met"]]
    lines.append(f"| {r['metric']} | {fmt(r['se'])} {r['unit']} | {fmt(r['nginx'])} | {pct(r['se_over_nginx'])} | "
                 f"{limit} | {pct(r['se_over_physical'])} | {fmt(r.get('se_p99_ms'), 2)} | "
                 f"{fmt(r.get('nginx_p99_ms'), 2)} | {fmt(r.get('se_cpu_us_per_op'), 0)} | "
                 f"{fmt(r.get('nginx_cpu_us_per_op'), 0)} | {r['target'] or '–'} | {met} |")
errors = {r["metric"]: (r.get("se_errors"), r.get("nginx_errors")) for r in rows
          if r.get("se_errors") or r.get("nginx_errors")}
if files:
    lines += ["", f"Cold start of the same SE on an empty store (JVM + server start, same run): "
                  f"{fmt(num('cold_start_empty_seconds'))} s"]
if errors:
    lines += ["", "Operations with errors (SE, nginx): " + "; ".join(f"{k}: {v}" for k, v in errors.items())]
md = "\n".join(lines) + "\n"
(out / "results.md").write_text(md)
print(md)
