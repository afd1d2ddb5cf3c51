#!/usr/bin/env bash
# The database side of the citizen's "where my data was used" (research-portal DataUses) over a usage ledger of
# 10 million rows, in a database of its own: fill (generate_series), EXPLAIN, then pgbench of the query as a pool of
# 10 connections (the portal's ledger pool), 200 connections at once, and a new connection per query (what the portal
# did before it had a ledger pool), each --seconds long. The database is dropped at the end (--keep keeps it).
# Usage: benchmarks/portal-ledger/run.sh --host 127.0.0.1 --port PORT [--user postgres] [--seconds 20] [--keep]
# (the local superuser of ./optout up's or ./optout test-env's embedded PostgreSQL trusts 127.0.0.1).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
host=127.0.0.1 port="" user=postgres seconds=20 keep=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --host) host="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --user) user="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    *) echo "Usage: $0 --host HOST --port PORT [--user postgres] [--seconds 20] [--keep]" >&2; exit 2 ;;
  esac
done
[[ -n "$port" && "$seconds" =~ ^[0-9]+$ ]] || { echo "error: --port is required, --seconds a whole number" >&2; exit 2; }
command -v pgbench >/dev/null || { echo "error: pgbench is not installed (Debian: postgresql-client)" >&2; exit 2; }
db="portal_bench_ledger_$(date +%s)"
work="$(mktemp -d)"
psql=(psql -X -q -h "$host" -p "$port" -U "$user")
cleanup() { rm -rf "$work"; $keep || "${psql[@]}" -d postgres -c "drop database if exists $db with (force)" >/dev/null; }
trap cleanup EXIT
echo "Usage ledger benchmark: database $db at $host:$port; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"${psql[@]}" -d postgres -c "create database $db" >/dev/null
started=$(date +%s)
"${psql[@]}" -d "$db" -f "$here/fill.sql" >/dev/null
echo "  filled in $(( $(date +%s) - started )) s: $("${psql[@]}" -d "$db" -tAc "select count(*) || ' rows, ' || count(distinct person) || ' persons, '
  || pg_size_pretty(pg_total_relation_size('person_usage')) from person_usage")"
"${psql[@]}" -d "$db" -c "explain (analyze, buffers, costs off) select extract_id, project, purpose, used_on from person_usage
  where person = 10000123457 and coalesce(warehouse_key_version, 1) = 1 order by used_on desc, extract_id"
bench() {  # LABEL PGBENCH-ARGS...
  local label="$1"; shift
  (cd "$work" && rm -f pgbench_log.* && pgbench -h "$host" -p "$port" -U "$user" -n -f "$here/query.pgbench" -T "$seconds" -l "$@" "$db" \
    > "$work/out" 2>&1) || { cat "$work/out" >&2; exit 1; }
  cat "$work"/pgbench_log.* | awk '{print $3}' | sort -n > "$work/latencies"
  local n; n=$(wc -l < "$work/latencies")
  pick() { sed -n "$(( n * $1 / 100 > 0 ? n * $1 / 100 : 1 ))p" "$work/latencies" | awk '{printf "%.1f", $1 / 1000}'; }
  printf "  %-34s %8d queries %8s q/s  p50 %7s ms  p95 %7s ms  p99 %7s ms  failed %s  (load %s)\n" "$label" "$n" \
    "$(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$work/out")" "$(pick 50)" "$(pick 95)" "$(pick 99)" \
    "$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/out")" "$(cut -d' ' -f1 /proc/loadavg)"
}
bench "pool of 10 connections" -c 10 -j 2 -M prepared
bench "200 connections at once" -c 200 -j 2 -M prepared
bench "new connection per query, 10" -c 10 -j 2 -C
bench "new connection per query, 200" -c 200 -j 2 -C
