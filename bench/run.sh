#!/usr/bin/env bash
# make bench: the reader site under gunicorn on PostgreSQL, measured with wrk.
#
# Recreates the database newsroom_bench with 1,000 published stories and 20,000
# reviewed claims (manage.py seed_bench), then measures an article page with
# 20 claims, the home page and a search page, and prints requests per second
# and p50/p99 latency for each, in these modes:
#   live      the article only: page cache off and no stored story render, so
#             every request builds the story from its claims (reader.renders)
#   uncached  page cache off: each request runs the view; the article page
#             serves its stored story render
#   cached    the whole-page cache on: the cost of a hit
# and the same story from the content API (/api/v1/stories/ID/), uncached
# (its stored document) and cached.
# The database is left behind for inspection; gunicorn is always stopped.
#
# Knobs (environment): BENCH_SECONDS per measurement (10), BENCH_PORT (8077),
# BENCH_DB (newsroom_bench: a database of its own, dropped and made again),
# BENCH_REDIS_DB (7: a database of its own, flushed between rounds),
# BENCH_WORKER_CLASS (sync) and BENCH_THREADS (1) for gunicorn.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
DURATION=${BENCH_SECONDS:-10}
PORT=${BENCH_PORT:-8077}
REDIS_DB=${BENCH_REDIS_DB:-7}
WORKERS=2
# Sync workers: a reader page is CPU-bound Python, and the GIL means extra
# threads in a process add no CPU, only overlap the short waits on PostgreSQL
# and Redis. Measured here, gthread with 2 or 4 threads served the uncached
# article at about half the rate of sync workers. The cost is no keep-alive
# (the sync worker closes each connection), cheap on loopback.
WORKER_CLASS=${BENCH_WORKER_CLASS:-sync}
THREADS=${BENCH_THREADS:-1}
# wrk: 2 threads for 2 cores, 16 connections so both workers always have a
# request waiting (latency then includes time queued behind the others). A
# slow page must be measured, not dropped as a timeout at wrk's default 2 s.
WRK_ARGS=(-t2 -c16 "-d${DURATION}s" --timeout 30s --latency)
DB=${BENCH_DB:-newsroom_bench}
BASE=http://127.0.0.1:$PORT
OUT=$(mktemp -d /tmp/newsroom-bench.XXXXXX)
GUNICORN_PID=

export DEBUG=0
SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB
export LOG_LEVEL=WARNING
export SITE_URL=$BASE
# One client (wrk) asks thousands of times a second: no per-client API limit.
export API_RATE_ANONYMOUS=

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

stop_gunicorn() {
    if [[ -n $GUNICORN_PID ]]; then
        kill "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
        GUNICORN_PID=
    fi
}
trap stop_gunicorn EXIT
trap 'exit 130' INT TERM  # Through EXIT, so gunicorn is stopped on Ctrl-C too.

# Polls "$@" once a second for up to $1 seconds.
wait_for() {
    local tries=$1
    shift
    until "$@" >/dev/null 2>&1; do
        ((--tries > 0)) || return 1
        sleep 1
    done
}

ensure_services() {
    if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
        log "starting PostgreSQL"
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start
        wait_for 30 pg_isready -h 127.0.0.1 -p 5432 -q || die "PostgreSQL did not start"
    fi
    if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        log "starting Redis"
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
        wait_for 30 redis-cli -h 127.0.0.1 -p 6379 ping || die "Redis did not start"
    fi
    if ! command -v wrk >/dev/null; then
        log "installing wrk"
        apt-get update -qq && apt-get install -y -qq wrk >/dev/null
    fi
}

prepare_database() {
    log "recreating $DB and seeding it"
    dropdb --if-exists --force -h 127.0.0.1 -U postgres "$DB"
    createdb -h 127.0.0.1 -U postgres "$DB"
    "$BIN/python" manage.py migrate --noinput -v 0
    "$BIN/python" manage.py seed_bench
    # A live database has planner statistics and no dead rows from the seeding.
    psql -q -h 127.0.0.1 -U postgres -d "$DB" -c 'VACUUM ANALYZE'
    "$BIN/python" manage.py collectstatic --noinput -v 0
}

# The newest story with exactly 20 public claims: a typical fact-checked page.
# Prints its page's path and its id.
article_path() {
    "$BIN/python" manage.py shell -v 0 -c '
from django.db.models import Count
from articles.models import Article
story = (
    Article.objects.annotate(n=Count("claims")).filter(n=20)
    .order_by("-published_at").first()
)
print(story.get_absolute_url(), story.pk)' | tail -n1
}

start_gunicorn() {
    local cache_seconds=$1 render_max_age=$2
    redis-cli -h 127.0.0.1 -p 6379 -n "$REDIS_DB" flushdb >/dev/null
    PAGE_CACHE_SECONDS=$cache_seconds STORY_RENDER_MAX_AGE=$render_max_age \
        "$BIN/gunicorn" newsroom.wsgi \
        --workers "$WORKERS" --worker-class "$WORKER_CLASS" --threads "$THREADS" \
        --bind "127.0.0.1:$PORT" --log-level warning &
    GUNICORN_PID=$!
    wait_for 30 curl -fsS "$BASE/healthz" || die "gunicorn did not answer /healthz"
}

# Refuses to measure anything but a 200 of the expected mode: wrk counts a 3xx
# (an HTTPS redirect, say) as success, and a benchmark of those is worthless.
check_page() {
    local url=$1 mode=$2 headers
    headers=$(curl -sS -o /dev/null -D - "$url")
    grep -q '^HTTP/[0-9.]* 200' <<<"$headers" || die "$url answered: ${headers%%$'\r'*}"
    if [[ $mode == cached ]]; then
        grep -qi '^x-cache: hit' <<<"$headers" || die "$url is not served from the cache"
    elif grep -qi '^x-cache:' <<<"$headers"; then
        die "$url went through the page cache in the $mode round"
    fi
}

measure() {
    local page=$1 mode=$2 url=$BASE$3
    local result=$OUT/$page.$mode.txt
    log "$page ($mode): $url"
    curl -fsS -o /dev/null "$url"  # Fills the cache in the cached round.
    check_page "$url" "$mode"
    # Warm-up: first requests pay for lazy imports, template loading and cold
    # PostgreSQL buffers, which a running site has long paid.
    wrk -t2 -c16 -d2s --timeout 30s "$url" >/dev/null
    # The workers still owe answers to the warm-up's last requests; this one
    # queues behind them, so the measurement starts on an idle server.
    curl -fsS -o /dev/null "$url"
    wrk "${WRK_ARGS[@]}" "$url" >"$result"
    "$BIN/python" bench/report.py --check "$result"
    RESULTS+=("$result")
}

# Two cores are easily shared: anything else running skews every number.
warn_if_busy() {
    local load
    read -r load _ </proc/loadavg
    if awk -v l="$load" 'BEGIN { exit !(l > 1) }'; then
        log "warning: load average is $load before the benchmark; results will be low"
    fi
}

main() {
    warn_if_busy
    ensure_services
    prepare_database
    local article story_id
    read -r article story_id <<<"$(article_path)"
    [[ $article == /* ]] || die "no story with 20 claims found"
    RESULTS=()
    start_gunicorn 0 0
    measure article live "$article"
    stop_gunicorn
    for mode in uncached cached; do
        if [[ $mode == uncached ]]; then start_gunicorn 0 600; else start_gunicorn 600 600; fi
        measure article "$mode" "$article"
        measure api "$mode" "/api/v1/stories/$story_id/"
        measure home "$mode" /
        measure search "$mode" "/search/?q=missile"
        stop_gunicorn
    done
    printf '\nReader site: %s gunicorn workers (%s, %s thread(s)), %s cores, wrk %s\n' \
        "$WORKERS" "$WORKER_CLASS" "$THREADS" "$(nproc)" "${WRK_ARGS[*]}"
    printf 'Article page: %s\n\n' "$article"
    "$BIN/python" bench/report.py "${RESULTS[@]}"
    printf '\nwrk output in %s; database %s kept.\n' "$OUT" "$DB"
}

main "$@"
