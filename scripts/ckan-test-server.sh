#!/usr/bin/env bash
# Bring a real CKAN 2.11 up (or down) for the test suite, on loopback only.
#
#   scripts/ckan-test-server.sh start [--scheming SCHEMA_FILE | --no-scheming] [options]
#   scripts/ckan-test-server.sh stop | status | env [--export] | stop-web | start-web
#
# What runs: CKAN from its own virtualenv (never the project's environment), PostgreSQL
# from Debian, Redis from Debian (no persistence), and our Solr stand-in
# (tests/ckan_server/solr_standin.py) because Apache Solr cannot be installed here.
# See docs/ckan-testing.md.
#
# Options (each also from the environment):
#   --name NAME          instance name (CKAN_TEST_NAME, default "default"); each instance has
#                        its own state dir, database, ports and processes
#   --port N             CKAN port          (CKAN_TEST_PORT, default 5055)
#   --solr-port N        Solr stand-in port (CKAN_TEST_SOLR_PORT, default 8985)
#   --redis-port N       Redis port         (CKAN_TEST_REDIS_PORT, default 6385)
#   --scheming FILE      ckanext-scheming with this dataset schema (CKAN_TEST_SCHEMA)
#   --no-scheming        core CKAN schema: custom fields become `extras`
#                        (the default when neither flag nor CKAN_TEST_SCHEMA is given)
#   --web-workers N      serve CKAN with gunicorn and N worker processes, as a production
#                        CKAN is served (CKAN_TEST_WEB_WORKERS; 1-16). Without it: one
#                        `ckan run` process (Werkzeug, threaded), as the test suite uses.
#   --fresh              restart with a fresh database even if already running as asked
#   --export             (env) prefix the lines with `export `
#
# CKAN_TEST_HOME (default ~/.cache/catalog-tools-ckan) holds the venv, a template database
# stamp and run/<name>/ state dirs: url, token (mode 600), *.pid, *.log, ckan.ini, config.
# A second `start` for a running instance with the same configuration is a no-op; with a
# different one (schema file content, ports, versions, stand-in code) it restarts cleanly.
# `stop` ends only the processes recorded in the pid files (CKAN, stand-in, Redis) and
# leaves PostgreSQL running. `stop-web`/`start-web` stop and start only the CKAN web process
# (database, index and Redis kept). `env` prints CKAN_TEST_URL, CKAN_TEST_TOKEN_FILE,
# CKAN_TEST_SCHEMING and CKAN_TEST_STATE_DIR lines for eval; `status` exits 3 when not running.
set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
STANDIN="$REPO_ROOT/tests/ckan_server/solr_standin.py"
THAITAGS_DIR="$REPO_ROOT/tests/ckan_server/ckanext_thaitags"

CKAN_TEST_HOME=${CKAN_TEST_HOME:-${HOME:-/root}/.cache/catalog-tools-ckan}
VENV="$CKAN_TEST_HOME/venv"
CKAN_PIN=${CKAN_TEST_CKAN_VERSION:-2.11.6}
SCHEMING_PIN=${CKAN_TEST_SCHEMING_VERSION:-3.1.0}
GUNICORN_PIN=${CKAN_TEST_GUNICORN_VERSION:-23.0.0}
PYTHON=${CKAN_TEST_PYTHON:-python3}
DB_ROLE=ckan_test
DB_PASS=ckan_test
ADMIN_USER=ci_admin

NAME=${CKAN_TEST_NAME:-default}
PORT=${CKAN_TEST_PORT:-5055}
SOLR_PORT=${CKAN_TEST_SOLR_PORT:-8985}
REDIS_PORT=${CKAN_TEST_REDIS_PORT:-6385}
SCHEMA=${CKAN_TEST_SCHEMA:-}
WEB_WORKERS=${CKAN_TEST_WEB_WORKERS:-}
SCHEMING=""
FRESH=0
EXPORT=0

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 DEBIAN_FRONTEND=noninteractive

T0=${EPOCHREALTIME/./}
log() {
    local d=$(( (${EPOCHREALTIME/./} - T0) / 100000 ))
    printf '[ckan-test-server %3d.%ds] %s\n' $((d / 10)) $((d % 10)) "$*" >&2
}
die() { printf '[ckan-test-server] ERROR: %s\n' "$*" >&2; exit 1; }

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

# ---------------------------------------------------------------------------------------
# argument parsing
# ---------------------------------------------------------------------------------------
CMD=${1:-}
[[ -n "$CMD" ]] || { usage >&2; exit 2; }
shift
while [[ $# -gt 0 ]]; do
    case "$1" in
        --scheming) [[ $# -ge 2 ]] || die "--scheming needs a schema file"; SCHEMING=1; SCHEMA=$2; shift 2 ;;
        --scheming=*) SCHEMING=1; SCHEMA=${1#*=}; shift ;;
        --no-scheming) SCHEMING=0; SCHEMA=""; shift ;;
        --name) NAME=$2; shift 2 ;;
        --name=*) NAME=${1#*=}; shift ;;
        --port) PORT=$2; shift 2 ;;
        --port=*) PORT=${1#*=}; shift ;;
        --solr-port) SOLR_PORT=$2; shift 2 ;;
        --solr-port=*) SOLR_PORT=${1#*=}; shift ;;
        --redis-port) REDIS_PORT=$2; shift 2 ;;
        --redis-port=*) REDIS_PORT=${1#*=}; shift ;;
        --web-workers) [[ $# -ge 2 ]] || die "--web-workers needs a number"; WEB_WORKERS=${2:-empty}; shift 2 ;;
        --web-workers=*) WEB_WORKERS=${1#*=}; WEB_WORKERS=${WEB_WORKERS:-empty}; shift ;;
        --fresh) FRESH=1; shift ;;
        --export) EXPORT=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[[ "$NAME" =~ ^[a-z0-9_]+$ ]] || die "instance name must match [a-z0-9_]+: $NAME"
for p in "$PORT" "$SOLR_PORT" "$REDIS_PORT"; do [[ "$p" =~ ^[0-9]+$ ]] || die "bad port: $p"; done
if [[ -n "$WEB_WORKERS" ]]; then
    [[ "$WEB_WORKERS" =~ ^[0-9]+$ ]] && ((WEB_WORKERS >= 1 && WEB_WORKERS <= 16)) \
        || die "--web-workers must be a number from 1 to 16: $WEB_WORKERS"
    WEB_WORKERS=$((10#$WEB_WORKERS))
fi
if [[ -z "$SCHEMING" ]]; then
    if [[ -n "$SCHEMA" ]]; then SCHEMING=1; else SCHEMING=0; fi
fi
if [[ "$SCHEMING" == 1 ]]; then
    [[ -f "$SCHEMA" ]] || die "scheming schema file not found: $SCHEMA"
    SCHEMA=$(cd "$(dirname "$SCHEMA")" && pwd)/$(basename "$SCHEMA")
fi

STATE="$CKAN_TEST_HOME/run/$NAME"
# Databases live in the one shared PostgreSQL cluster: tag their names with the home so two
# CKAN_TEST_HOMEs (e.g. two checkouts) never drop each other's template or instance.
HOME_TAG=$(printf '%s' "$CKAN_TEST_HOME" | sha256sum | cut -c1-8)
DB_NAME="ckan_test_${NAME}_$HOME_TAG"

# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
as_root() {
    if [[ $(id -u) == 0 ]]; then "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"
    else die "need root (or passwordless sudo) for: $*"; fi
}

as_postgres() {
    if [[ $(id -un) == postgres ]]; then "$@"
    elif [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"
    else sudo -n -u postgres "$@"; fi
}

psql_admin() { PGOPTIONS='-c client_min_messages=warning' as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PGPORT" -d postgres "$@"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# alive = exists and is not a zombie (init here may reap exited children only after a while)
pid_alive() {
    [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ "${stat:0:1}" != Z ]]
}

# pid_matches PID NEEDLE: the process command line contains NEEDLE (guards against pid reuse)
pid_matches() {
    pid_alive "$1" || return 1
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

read_pid() { [[ -f "$1" ]] && tr -dc '0-9' <"$1" || true; }

# stop_pid PIDFILE NEEDLE LABEL
stop_pid() {
    local pidfile=$1 needle=$2 label=$3 pid
    pid=$(read_pid "$pidfile")
    if [[ -n "$pid" ]] && pid_matches "$pid" "$needle"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do pid_alive "$pid" || break; sleep 0.1; done
        if pid_alive "$pid"; then
            log "$label (pid $pid) did not stop on TERM; sending KILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        log "stopped $label (pid $pid)"
    fi
    rm -f "$pidfile"
}

# session_members SID NEEDLE: live processes other than SID in session SID (spawn makes each
# server a session leader, so that is what it forked: gunicorn's workers) whose command line
# contains NEEDLE. Reads /proc with builtins only: no process per pid.
session_members() {
    local sid=$1 needle=$2 f pid stat st sess
    for f in /proc/[0-9]*/stat; do
        pid=${f#/proc/}; pid=${pid%/stat}
        [[ "$pid" != "$sid" ]] || continue
        read -r stat 2>/dev/null <"$f" || continue   # 2> first: a pid that just ended is no error
        stat=${stat##*) }
        read -r st _ _ sess _ <<<"$stat"
        [[ "$sess" == "$sid" && "$st" != Z ]] || continue
        pid_matches "$pid" "$needle" && echo "$pid"
    done
    return 0
}

# stop_session PIDFILE NEEDLE LABEL: stop_pid, then end what that process had forked and what
# outlives it. A gunicorn master that stops normally has ended its workers first; the workers of
# one that died (or was killed) are left alone and would wait for requests: TERM them, and KILL
# what is left after 5 s.
stop_session() {
    local pidfile=$1 needle=$2 label=$3 sid left
    sid=$(read_pid "$pidfile")
    stop_pid "$pidfile" "$needle" "$label"
    [[ -n "$sid" ]] || return 0
    left=$(session_members "$sid" "$needle")
    [[ -n "$left" ]] || return 0
    log "$label: stopping worker processes left behind: $(echo $left)"
    # shellcheck disable=SC2086  # one pid per word
    kill -TERM $left 2>/dev/null || true
    for _ in $(seq 1 50); do
        left=$(session_members "$sid" "$needle")
        [[ -n "$left" ]] || return 0
        sleep 0.1
    done
    log "$label: worker processes $(echo $left) did not stop on TERM; sending KILL"
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
}

# spawn LOGFILE PIDFILE CMD...: run CMD in its own session in the background
spawn() {
    local logfile=$1 pidfile=$2
    shift 2
    "$VENV/bin/python" -c 'import os, sys; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])' \
        "$@" >>"$logfile" 2>&1 </dev/null 8>&- 9>&- &
    echo $! >"$pidfile"
}

# lock FD FILE: take an exclusive lock, waiting at most CKAN_TEST_LOCK_TIMEOUT seconds.
# Children that outlive this script are started with the lock fds closed (8>&- 9>&-).
lock() {
    local fd=$1 file=$2
    mkdir -p "$CKAN_TEST_HOME/locks"
    eval "exec $fd>\"\$file\""
    flock -w "${CKAN_TEST_LOCK_TIMEOUT:-900}" "$fd" \
        || die "timed out waiting for $file (another start of the CKAN test server is running?)"
}

sha_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

load_state() {
    [[ -f "$STATE/config.env" ]] || return 1
    # shellcheck disable=SC1091
    source "$STATE/config.env"
}

ckan_cli() { "$VENV/bin/ckan" "$@"; }

# ---------------------------------------------------------------------------------------
# installation (idempotent, fast when done)
# ---------------------------------------------------------------------------------------
ensure_system() {
    local need=()
    command -v redis-server >/dev/null || need+=(redis-server)
    command -v pg_ctlcluster >/dev/null && compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null \
        || need+=(postgresql)
    command -v pg_config >/dev/null || need+=(libpq-dev)   # psycopg2 builds from source
    command -v gcc >/dev/null || need+=(gcc)
    ldconfig -p 2>/dev/null | grep -q 'libmagic.so.1' || need+=(libmagic1)
    command -v "$PYTHON" >/dev/null || die "no $PYTHON to build the CKAN venv with (set CKAN_TEST_PYTHON)"
    if ! "$PYTHON" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
        need+=(python3-dev)
    fi
    if ((${#need[@]})); then
        log "installing system packages: ${need[*]}"
        as_root apt-get update -qq >"$CKAN_TEST_HOME/apt.log" 2>&1 || { tail -20 "$CKAN_TEST_HOME/apt.log" >&2; die "apt-get update failed"; }
        as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >>"$CKAN_TEST_HOME/apt.log" 2>&1 \
            || { tail -20 "$CKAN_TEST_HOME/apt.log" >&2; die "apt-get install ${need[*]} failed"; }
        log "system packages installed"
    fi
}

thaitags_sha() { sha_of "$THAITAGS_DIR/pyproject.toml" "$THAITAGS_DIR"/ckanext/thaitags/*.py; }

resolve_ckan_version() {
    # Check the pinned version exists; fall back to the newest release of the same minor.
    local versions
    versions=$("$VENV/bin/pip" index versions ckan 2>/dev/null | sed -n 's/^Available versions: //p' | tr -d ' ') || true
    if [[ -z "$versions" ]]; then
        echo "$CKAN_PIN"   # could not ask; let pip install fail loudly if it is missing
        return
    fi
    if tr ',' '\n' <<<"$versions" | grep -qx "$CKAN_PIN"; then
        echo "$CKAN_PIN"
        return
    fi
    local minor=${CKAN_PIN%.*} alt
    alt=$(tr ',' '\n' <<<"$versions" | grep "^${minor//./\\.}\.[0-9]*$" | sort -t. -k3,3n | tail -1)
    [[ -n "$alt" ]] || die "ckan $CKAN_PIN is not on the package index and no other $minor.x is"
    log "ckan $CKAN_PIN is not on the package index; using $alt"
    echo "$alt"
}

ensure_venv() {
    local marker="$VENV/.catalog-tools-install" want have="" ilog="$CKAN_TEST_HOME/install.log"
    want="pin=$CKAN_PIN scheming=$SCHEMING_PIN thaitags=$(thaitags_sha)"
    [[ -f "$marker" ]] && have=$(sed -n 1p "$marker")
    if [[ -x "$VENV/bin/ckan" && "$have" == "$want" ]]; then
        "$VENV/bin/python" -c 'import ckan, ckanext.thaitags' 2>/dev/null && return 0
        log "CKAN venv at $VENV is broken (Python changed?); rebuilding it"
        rm -rf "$VENV"
    fi
    : >"$ilog"
    if [[ ! -x "$VENV/bin/python" ]]; then
        log "creating CKAN venv at $VENV"
        "$PYTHON" -m venv "$VENV" >>"$ilog" 2>&1 || { tail -20 "$ilog" >&2; die "venv creation failed"; }
        "$VENV/bin/pip" install -q --upgrade pip >>"$ilog" 2>&1 || true
    fi
    local have_pins=${have% thaitags=*} want_pins=${want% thaitags=*}
    if [[ ! -x "$VENV/bin/ckan" || "$have_pins" != "$want_pins" ]]; then
        local ver
        ver=$(resolve_ckan_version)
        log "installing ckan[requirements]==$ver ckanext-scheming==$SCHEMING_PIN (log: $ilog)"
        "$VENV/bin/pip" install -q "ckan[requirements]==$ver" "ckanext-scheming==$SCHEMING_PIN" >>"$ilog" 2>&1 \
            || { grep -v 'is ignored' "$ilog" | tail -30 >&2; die "pip install of CKAN failed"; }
    fi
    log "installing ckanext-thaitags"
    "$VENV/bin/pip" install -q --no-deps --force-reinstall "$THAITAGS_DIR" >>"$ilog" 2>&1 \
        || { grep -v 'is ignored' "$ilog" | tail -30 >&2; die "pip install of ckanext-thaitags failed"; }
    rm -rf "$THAITAGS_DIR/build" "$THAITAGS_DIR"/*.egg-info
    "$VENV/bin/python" -c 'import ckan, ckanext.scheming, ckanext.thaitags.plugin' \
        || die "CKAN venv is broken: see $ilog"
    printf '%s\nckan=%s\n' "$want" "$("$VENV/bin/python" -c 'import ckan; print(ckan.__version__)')" >"$marker"
    log "CKAN venv ready ($(sed -n 2p "$marker"))"
}

# gunicorn, the pre-fork WSGI server that serves --web-workers: installed with the venv (so a
# later `start --web-workers` needs no network), pinned. Without --web-workers a failed install
# only warns: `ckan run` does not need it.
ensure_gunicorn() {
    local ilog="$CKAN_TEST_HOME/install.log"
    "$VENV/bin/python" -c 'import sys, gunicorn; sys.exit(gunicorn.__version__ != sys.argv[1])' "$GUNICORN_PIN" \
        2>/dev/null && return 0
    log "installing gunicorn==$GUNICORN_PIN into the CKAN venv"
    if ! "$VENV/bin/pip" install -q "gunicorn==$GUNICORN_PIN" >>"$ilog" 2>&1; then
        [[ -z "$WEB_WORKERS" ]] || { grep -v 'is ignored' "$ilog" | tail -20 >&2; die "pip install of gunicorn==$GUNICORN_PIN failed (needed by --web-workers)"; }
        log "could not install gunicorn==$GUNICORN_PIN (only --web-workers needs it; see $ilog)"
    fi
}

ensure_postgres() {
    local line ver cluster port status
    command -v pg_lsclusters >/dev/null || die "pg_lsclusters missing (postgresql-common)"
    line=$(pg_lsclusters --no-header 2>/dev/null | head -1 || true)
    if [[ -z "$line" ]]; then
        ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
        log "creating PostgreSQL cluster $ver/main"
        as_root pg_createcluster "$ver" main >/dev/null 8>&- 9>&-
        line=$(pg_lsclusters --no-header | head -1)
    fi
    read -r ver cluster port status _ <<<"$line"
    if [[ "$status" != online* ]]; then
        log "starting PostgreSQL $ver/$cluster"
        # 8>&- 9>&-: the long-lived server must not inherit (and so hold) our lock files
        as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$cluster" start 8>&- 9>&- \
            || die "could not start PostgreSQL $ver/$cluster"
    fi
    PGPORT=$port
    for _ in $(seq 1 50); do
        as_postgres pg_isready -q -h 127.0.0.1 -p "$PGPORT" && break
        sleep 0.2
    done
    psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_ROLE'" | grep -q 1 \
        || psql_admin -c "CREATE ROLE $DB_ROLE LOGIN PASSWORD '$DB_PASS'"
}

db_url() { echo "postgresql://$DB_ROLE:$DB_PASS@127.0.0.1:$PGPORT/$1"; }

# A template database with `ckan db init`, the sysadmin and its API token already done, and
# the ckan.ini whose secrets signed that token. Each start clones it (CREATE DATABASE ...
# TEMPLATE), which saves the ~8 s of CKAN CLI start-ups per instance.
ensure_template() {
    local ckanver tpl base
    ckanver=$(sed -n 's/^ckan=//p' "$VENV/.catalog-tools-install")
    tpl="ckan_tpl_${ckanver//./_}_$HOME_TAG"
    base="$CKAN_TEST_HOME/template-$ckanver"
    TEMPLATE_DB=$tpl
    BASE_DIR=$base
    if [[ -f "$base/stamp" ]] && [[ "$(cat "$base/stamp")" == "$tpl" ]] \
        && psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$tpl'" | grep -q 1; then
        return 0
    fi
    log "building template database $tpl (ckan db init, sysadmin, token)"
    rm -rf "$base"
    mkdir -p "$base"
    psql_admin -c "DROP DATABASE IF EXISTS $tpl WITH (FORCE)" -c "CREATE DATABASE $tpl OWNER $DB_ROLE ENCODING 'utf-8' TEMPLATE template0"
    ckan_cli generate config "$base/ckan.ini" >"$base/build.log" 2>&1 || { cat "$base/build.log" >&2; die "ckan generate config failed"; }
    ckan_cli config-tool "$base/ckan.ini" \
        "sqlalchemy.url=$(db_url "$tpl")" \
        "ckan.site_url=http://127.0.0.1:$PORT" \
        "solr_url=http://127.0.0.1:$SOLR_PORT/solr/ckan" \
        "ckan.redis.url=redis://127.0.0.1:$REDIS_PORT/0" \
        "ckan.storage_path=$base/storage" \
        "ckan.plugins=thai_tags" >>"$base/build.log" 2>&1 || { cat "$base/build.log" >&2; die "ckan config-tool failed"; }
    {
        ckan_cli -c "$base/ckan.ini" db init &&
        ckan_cli -c "$base/ckan.ini" user add "$ADMIN_USER" email=ci_admin@example.invalid password=ci-password-123 &&
        ckan_cli -c "$base/ckan.ini" sysadmin add "$ADMIN_USER" &&
        ckan_cli -c "$base/ckan.ini" user token add "$ADMIN_USER" ci | tail -1 | tr -d ' \t\r\n' >"$base/token"
    } >>"$base/build.log" 2>&1 || { grep -v 'is ignored' "$base/build.log" | tail -30 >&2; die "CKAN database bootstrap failed (log: $base/build.log)"; }
    chmod 600 "$base/token"
    [[ -s "$base/token" ]] || die "no API token was produced (log: $base/build.log)"
    echo "$tpl" >"$base/stamp"
    log "template database ready"
}

# ---------------------------------------------------------------------------------------
# processes
# ---------------------------------------------------------------------------------------
start_redis() {
    port_in_use "$REDIS_PORT" && die "port $REDIS_PORT (Redis) is already in use; set CKAN_TEST_REDIS_PORT"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
        --daemonize yes --pidfile "$STATE/redis.pid" --dir "$STATE" --logfile "$STATE/redis.log" 8>&- 9>&- \
        || die "redis-server failed (log: $STATE/redis.log)"
    for _ in $(seq 1 50); do
        [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]] && return 0
        sleep 0.1
    done
    die "Redis did not answer on 127.0.0.1:$REDIS_PORT (log: $STATE/redis.log)"
}

start_solr() {
    port_in_use "$SOLR_PORT" && die "port $SOLR_PORT (Solr stand-in) is already in use; set CKAN_TEST_SOLR_PORT"
    spawn "$STATE/solr.log" "$STATE/solr.pid" "$VENV/bin/python" "$STANDIN" --host 127.0.0.1 \
        --port "$SOLR_PORT" --core ckan --ckan-venv "$VENV"
    local pid
    pid=$(read_pid "$STATE/solr.pid")
    for _ in $(seq 1 100); do
        pid_alive "$pid" || { tail -20 "$STATE/solr.log" >&2; die "the Solr stand-in exited"; }
        port_in_use "$SOLR_PORT" && return 0
        sleep 0.05
    done
    die "the Solr stand-in did not listen on 127.0.0.1:$SOLR_PORT (log: $STATE/solr.log)"
}

# wait_for_ckan PID [READY_DIR WORKERS]: until status_show answers and, with gunicorn, every
# worker has loaded CKAN (each drops a file in READY_DIR), so no worker is still starting up
# when the first requests arrive.
wait_for_ckan() {
    local pid=$1
    "$VENV/bin/python" - "$PORT" "$pid" "${CKAN_TEST_START_TIMEOUT:-120}" "${2:-}" "${3:-0}" <<'PY' || { tail -40 "$STATE/ckan.log" >&2; die "CKAN did not come up (log: $STATE/ckan.log)"; }
import json, os, sys, time, urllib.request
port, pid, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
ready_dir, workers = sys.argv[4], int(sys.argv[5])
url = f"http://127.0.0.1:{port}/api/3/action/status_show"
deadline = time.time() + timeout
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("CKAN process exited")
    if workers and len(os.listdir(ready_dir)) < workers:
        time.sleep(0.2)
        continue
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            if json.load(r).get("success"):
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.2)
sys.exit("timed out waiting for status_show")
PY
}

# The WSGI entry and gunicorn settings for --web-workers, in the state dir. The entry is the one
# CKAN's deployment guide gives (wsgi.py: CKANConfigLoader + make_app, logging from the ini).
write_gunicorn_files() {
    cat >"$STATE/ckan_wsgi.py" <<'PY'
"""WSGI entry for CKAN, as in CKAN's own wsgi.py; the ini comes from CKAN_INI."""
import os
from logging.config import fileConfig as loggingFileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

config_path = os.environ["CKAN_INI"]
loggingFileConfig(config_path)
application = make_app(CKANConfigLoader(config_path).get_config())
PY
    cat >"$STATE/gunicorn.conf.py" <<PY
"""gunicorn settings for the CKAN test server (written by ckan-test-server.sh)."""
import os

bind = "127.0.0.1:$PORT"
workers = $WEB_WORKERS
worker_class = "sync"
timeout = 120
graceful_timeout = 5
READY_DIR = "$STATE/web-ready"


def post_worker_init(worker):
    # CKAN is loaded in this worker (no preload: each worker opens its own database pool)
    open(os.path.join(READY_DIR, str(os.getpid())), "w").close()
PY
}

start_ckan_web() {
    port_in_use "$PORT" && die "port $PORT (CKAN) is already in use; set CKAN_TEST_PORT"
    if [[ -z "$WEB_WORKERS" ]]; then
        spawn "$STATE/ckan.log" "$STATE/ckan.pid" "$VENV/bin/ckan" -c "$STATE/ckan.ini" \
            run -H 127.0.0.1 -p "$PORT" -r -t
        wait_for_ckan "$(read_pid "$STATE/ckan.pid")"
        return
    fi
    [[ -x "$VENV/bin/gunicorn" ]] || die "gunicorn is not in the CKAN venv ($VENV); --web-workers needs it"
    write_gunicorn_files
    rm -rf "$STATE/web-ready"
    mkdir -p "$STATE/web-ready"
    # CKAN_INI on the command line also lets stop/status recognise the processes by it
    spawn "$STATE/ckan.log" "$STATE/ckan.pid" "$VENV/bin/gunicorn" -c "$STATE/gunicorn.conf.py" \
        --chdir "$STATE" --env "CKAN_INI=$STATE/ckan.ini" ckan_wsgi:application
    wait_for_ckan "$(read_pid "$STATE/ckan.pid")" "$STATE/web-ready" "$WEB_WORKERS"
}

stop_ckan_web() { stop_session "$STATE/ckan.pid" "$STATE/ckan.ini" "CKAN"; }

web_server() {
    if [[ -n "$WEB_WORKERS" ]]; then echo "gunicorn, $WEB_WORKERS worker processes"
    else echo "ckan run, one process"; fi
}

stop_all() {
    stop_ckan_web
    stop_pid "$STATE/solr.pid" "solr_standin.py" "Solr stand-in"
    stop_pid "$STATE/redis.pid" "redis-server" "Redis"
}

ckan_running() {
    local pid
    pid=$(read_pid "$STATE/ckan.pid")
    [[ -n "$pid" ]] && pid_matches "$pid" "$STATE/ckan.ini"
}

all_running() {
    local cp sp rp
    cp=$(read_pid "$STATE/ckan.pid"); sp=$(read_pid "$STATE/solr.pid"); rp=$(read_pid "$STATE/redis.pid")
    pid_matches "$cp" "$STATE/ckan.ini" && pid_matches "$sp" "solr_standin.py" && pid_matches "$rp" "redis-server"
}

fingerprint() {
    printf 'pin=%s scheming_pin=%s scheming=%s schema=%s schema_sha=%s standin=%s thaitags=%s ports=%s/%s/%s' \
        "$CKAN_PIN" "$SCHEMING_PIN" "$SCHEMING" "$SCHEMA" "$( [[ $SCHEMING == 1 ]] && sha_of "$SCHEMA" )" \
        "$(sha_of "$STANDIN")" "$(thaitags_sha)" "$PORT" "$SOLR_PORT" "$REDIS_PORT"
    [[ -z "$WEB_WORKERS" ]] || printf ' web_workers=%s gunicorn=%s' "$WEB_WORKERS" "$GUNICORN_PIN"
}

print_env() {
    local pfx=""
    [[ $EXPORT == 1 ]] && pfx="export "
    printf '%sCKAN_TEST_URL=%q\n' "$pfx" "$(cat "$STATE/url")"
    printf '%sCKAN_TEST_TOKEN_FILE=%q\n' "$pfx" "$STATE/token"
    printf '%sCKAN_TEST_SCHEMING=%s\n' "$pfx" "$( [[ $(cat "$STATE/mode") == scheming ]] && echo true || echo false)"
    printf '%sCKAN_TEST_STATE_DIR=%q\n' "$pfx" "$STATE"
}

# ---------------------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------------------
cmd_start() {
    mkdir -p "$CKAN_TEST_HOME/run"
    lock 8 "$CKAN_TEST_HOME/locks/instance-$NAME.lock"
    local want
    want=$(fingerprint)
    if load_state; then
        if [[ $FRESH == 0 && "$CFG_FINGERPRINT" == "$want" ]] && all_running \
            && "$VENV/bin/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1]+'/api/3/action/status_show', timeout=5)" "$(cat "$STATE/url")" 2>/dev/null; then
            log "instance '$NAME' is already running with this configuration; nothing to do"
            print_env
            echo "CKAN_TEST_REUSED=true"
            return 0
        fi
        log "instance '$NAME': stopping what is running before a clean start"
    fi
    # also ends processes left by an earlier start that failed half-way (pid files only)
    stop_all
    trap 'rc=$?; if [[ $rc != 0 ]]; then log "start failed; stopping what it started (logs kept in $STATE)"; stop_all; fi' EXIT
    local p
    for p in "$PORT" "$SOLR_PORT" "$REDIS_PORT"; do
        port_in_use "$p" && die "port $p is already in use (CKAN $PORT, Solr stand-in $SOLR_PORT, Redis $REDIS_PORT); choose others with CKAN_TEST_PORT, CKAN_TEST_SOLR_PORT, CKAN_TEST_REDIS_PORT"
    done
    mkdir -p "$STATE"
    chmod 700 "$STATE"
    rm -f "$STATE/url" "$STATE/token" "$STATE/config.env"
    : >"$STATE/ckan.log"; : >"$STATE/solr.log"

    ( lock 9 "$CKAN_TEST_HOME/locks/install.lock"; ensure_system; ensure_venv; ensure_gunicorn )
    log "system packages and CKAN venv in place"
    ensure_postgres
    start_redis
    start_solr
    log "Redis and Solr stand-in up"
    lock 9 "$CKAN_TEST_HOME/locks/template.lock"
    ensure_template
    psql_admin -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" \
        -c "CREATE DATABASE $DB_NAME OWNER $DB_ROLE TEMPLATE $TEMPLATE_DB"
    flock -u 9
    exec 9>&-
    log "fresh database $DB_NAME cloned from $TEMPLATE_DB"

    cp "$BASE_DIR/ckan.ini" "$STATE/ckan.ini"
    chmod 600 "$STATE/ckan.ini"
    mkdir -p "$STATE/storage"
    local settings=(
        "sqlalchemy.url=$(db_url "$DB_NAME")"
        "ckan.site_url=http://127.0.0.1:$PORT"
        "solr_url=http://127.0.0.1:$SOLR_PORT/solr/ckan"
        "ckan.redis.url=redis://127.0.0.1:$REDIS_PORT/0"
        "ckan.storage_path=$STATE/storage"
    )
    if [[ $SCHEMING == 1 ]]; then
        settings+=("ckan.plugins=scheming_datasets thai_tags"
                   "scheming.dataset_schemas=file://$SCHEMA"
                   "scheming.presets=ckanext.scheming:presets.json")
    else
        settings+=("ckan.plugins=thai_tags")
    fi
    ckan_cli config-tool "$STATE/ckan.ini" "${settings[@]}" >>"$STATE/ckan.log" 2>&1 \
        || { tail -20 "$STATE/ckan.log" >&2; die "ckan config-tool failed"; }
    log "ckan.ini written"

    echo "http://127.0.0.1:$PORT" >"$STATE/url"
    (umask 077; cp "$BASE_DIR/token" "$STATE/token")
    chmod 600 "$STATE/token"
    if [[ $SCHEMING == 1 ]]; then echo scheming >"$STATE/mode"; else echo extras >"$STATE/mode"; fi
    start_ckan_web
    {
        printf 'CFG_FINGERPRINT=%q\n' "$want"
        printf 'CFG_PORT=%q\nCFG_SOLR_PORT=%q\nCFG_REDIS_PORT=%q\n' "$PORT" "$SOLR_PORT" "$REDIS_PORT"
        printf 'CFG_SCHEMING=%q\nCFG_SCHEMA=%q\nCFG_DB=%q\n' "$SCHEMING" "$SCHEMA" "$DB_NAME"
        printf 'CFG_WEB_WORKERS=%q\n' "$WEB_WORKERS"
    } >"$STATE/config.env"
    log "CKAN $(sed -n 's/^ckan=//p' "$VENV/.catalog-tools-install") serving http://127.0.0.1:$PORT ($(cat "$STATE/mode") config, $(web_server), instance '$NAME')"
    trap - EXIT
    print_env
    echo "CKAN_TEST_REUSED=false"
}

cmd_stop() {
    lock 8 "$CKAN_TEST_HOME/locks/instance-$NAME.lock"
    [[ -d "$STATE" ]] || { log "instance '$NAME' has no state; nothing to stop"; return 0; }
    stop_all   # by pid files, so it also ends what a start that died half-way left behind
    rm -f "$STATE/config.env"
    log "instance '$NAME' stopped (PostgreSQL left running)"
}

cmd_status() {
    if ! load_state; then
        echo "instance '$NAME': not started"
        return 3
    fi
    local rc=0 pid
    pid=$(read_pid "$STATE/ckan.pid")
    WEB_WORKERS=${CFG_WEB_WORKERS:-}
    if pid_matches "$pid" "$STATE/ckan.ini"; then
        echo "ckan:  running (pid $pid) $(cat "$STATE/url") [$(cat "$STATE/mode")]"
        [[ -z "$WEB_WORKERS" ]] || echo "web:   gunicorn, $WEB_WORKERS workers: pids $(session_members "$pid" "$STATE/ckan.ini" | tr '\n' ' ')"
    else echo "ckan:  stopped"; rc=3; fi
    pid=$(read_pid "$STATE/solr.pid")
    if pid_matches "$pid" "solr_standin.py"; then echo "solr:  running (pid $pid) http://127.0.0.1:$CFG_SOLR_PORT/solr/ckan"; else echo "solr:  stopped"; rc=3; fi
    pid=$(read_pid "$STATE/redis.pid")
    if pid_matches "$pid" "redis-server"; then echo "redis: running (pid $pid) 127.0.0.1:$CFG_REDIS_PORT"; else echo "redis: stopped"; rc=3; fi
    echo "state: $STATE"
    return $rc
}

cmd_env() {
    load_state || die "instance '$NAME' is not running (run: $0 start)"
    print_env
}

cmd_stop_web() {
    lock 8 "$CKAN_TEST_HOME/locks/instance-$NAME.lock"
    load_state || die "instance '$NAME' is not running"
    stop_ckan_web
}

cmd_start_web() {
    lock 8 "$CKAN_TEST_HOME/locks/instance-$NAME.lock"
    load_state || die "instance '$NAME' is not running"
    PORT=$CFG_PORT
    WEB_WORKERS=${CFG_WEB_WORKERS:-}
    if ckan_running; then
        log "CKAN web process already running"
        return 0
    fi
    start_ckan_web
    log "CKAN web process restarted on $(cat "$STATE/url")"
}

case "$CMD" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    stop-web) cmd_stop_web ;;
    start-web) cmd_start_web ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
esac
