#!/usr/bin/env bash
# Runs PostgreSQL 15, Redis 7 and RabbitMQ 3.10 from Debian packages, and Azurite (Azure Blob Storage's emulator,
# from npm) on 127.0.0.1, without Docker, for local development and tests. It also installs Prometheus and
# Alertmanager from Debian packages, which the AppHost runs beside the services. See usage() below.
set -euo pipefail

readonly SCRIPT_NAME=servers.sh
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$SCRIPT_DIR")
STATE=$(realpath -m "${GRAPHEXEC_SERVERS_DIR:-$REPO_ROOT/.servers}")
readonly SCRIPT_DIR REPO_ROOT STATE

PG_PORT=${GRAPHEXEC_PG_PORT:-5432}
REDIS_PORT=${GRAPHEXEC_REDIS_PORT:-6379}
RMQ_PORT=${GRAPHEXEC_RABBITMQ_PORT:-5672}
RMQ_MGMT_PORT=${GRAPHEXEC_RABBITMQ_MGMT_PORT:-15672}
RMQ_DIST_PORT=${GRAPHEXEC_RABBITMQ_DIST_PORT:-25672}
EPMD_PORT=${GRAPHEXEC_EPMD_PORT:-4369}
AZURITE_PORT=${GRAPHEXEC_AZURITE_PORT:-10000}
readonly PG_PORT REDIS_PORT RMQ_PORT RMQ_MGMT_PORT RMQ_DIST_PORT EPMD_PORT AZURITE_PORT

readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly RMQ_BIN=/usr/lib/rabbitmq/bin
readonly RMQ_USER=graphexec
readonly RMQ_BOOT_TIMEOUT=${GRAPHEXEC_RABBITMQ_TIMEOUT:-60}
readonly AZURITE_VERSION=3.37.0
# Azurite's own account replaces its well-known development account (the one whose key every tutorial prints).
readonly AZURITE_ACCOUNT=graphexec
readonly AZURITE_BOOT_TIMEOUT=30
readonly STOP_TIMEOUT=20
readonly MARKER=.graphexec-servers
readonly POLICY_RC=/usr/sbin/policy-rc.d
readonly POLICY_RC_SAVED=/usr/sbin/policy-rc.d.graphexec-saved

readonly SECRETS=$STATE/secrets
readonly RUN=$STATE/run
readonly REDIS_DIR=$STATE/redis
readonly RMQ_DIR=$STATE/rabbitmq
readonly RMQ_HOME=$RMQ_DIR/home
readonly AZURITE_DIR=$STATE/azurite
readonly AZURITE_DATA=$AZURITE_DIR/data
# Installed per version, so that a new pin installs beside the old one instead of over a running server.
readonly AZURITE_APP=$AZURITE_DIR/app-$AZURITE_VERSION
readonly AZURITE_BLOB_MAIN=node_modules/azurite/dist/src/blob/main.js
readonly PG_LOCATION_FILE=$STATE/postgres.location
readonly CS_JSON=$STATE/connection-strings.json
readonly CS_ENV=$STATE/connection-strings.env
# The cluster lives in the state folder unless user postgres cannot reach it (see choose_pg_root).
PG_ROOT=$(cat "$PG_LOCATION_FILE" 2>/dev/null || printf '%s' "$STATE/postgres")
PG_DATA=$PG_ROOT/data

usage() {
  cat <<EOF
usage: eng/$SCRIPT_NAME COMMAND

Local PostgreSQL 15, Redis 7, RabbitMQ 3.10 (with management) and Azurite $AZURITE_VERSION (blob
storage only) on 127.0.0.1, no Docker needed.

commands:
  up            install missing Debian packages and Azurite (npm, into the state folder), start the
                servers (if not running), wait until they are ready and write the connection strings
  install       only install what is missing (the servers' packages, Prometheus, Alertmanager and
                promtool), starting nothing
  down          stop the processes 'up' started (by recorded PID); data is kept
  down --purge  stop, then delete the state folder (data, logs, passwords)
  purge         same as 'down --purge'
  restart NAME  stop one server (postgres, redis, rabbitmq or azurite) by its recorded PID and start it again,
                data kept; for fault tests (clients see it go away and come back on the same port)
  status        one line per server; exit 0 when all run, 3 otherwise
  env           print 'export ConnectionStrings__...' lines: eval "\$(eng/$SCRIPT_NAME env)"
  -h, --help    this text

state folder: \${GRAPHEXEC_SERVERS_DIR:-<repo>/.servers}  (now: $STATE)
  connection-strings.json / .env   what the AppHost and tests read (mode 600)
ports (env): GRAPHEXEC_PG_PORT=$PG_PORT GRAPHEXEC_REDIS_PORT=$REDIS_PORT
  GRAPHEXEC_RABBITMQ_PORT=$RMQ_PORT GRAPHEXEC_RABBITMQ_MGMT_PORT=$RMQ_MGMT_PORT
  GRAPHEXEC_RABBITMQ_DIST_PORT=$RMQ_DIST_PORT GRAPHEXEC_EPMD_PORT=$EPMD_PORT
  GRAPHEXEC_AZURITE_PORT=$AZURITE_PORT
rabbitmqctl against this node:
  HOME=$RMQ_HOME RABBITMQ_CONF_ENV_FILE=$RMQ_DIR/rabbitmq-env.conf $RMQ_BIN/rabbitmqctl status
EOF
}

# ---------------------------------------------------------------- helpers

die() { printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2; exit 1; }
warn() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
line() { if [[ -n ${3:-} ]]; then printf '%-9s %-16s %s\n' "$1" "$2" "$3"; else printf '%-9s %s\n' "$1" "$2"; fi; }

now_ms() { local t=${EPOCHREALTIME/./}; printf '%s' $((t / 1000)); }
secs_since() { local ms=$(($(now_ms) - $1)); printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }

tail_log() {
  local file=$1
  [[ -s $file ]] || return 0
  printf -- '--- last 20 lines of %s ---\n' "$file" >&2
  tail -n 20 "$file" >&2
  printf -- '---\n' >&2
}

need_root() { [[ $EUID -eq 0 ]] || die "'$1' needs root (it installs packages and runs postgres via runuser)"; }

check_settings() {
  local name port
  for name in PG_PORT REDIS_PORT RMQ_PORT RMQ_MGMT_PORT RMQ_DIST_PORT EPMD_PORT AZURITE_PORT; do
    port=${!name}
    if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then die "$name='$port' is not a TCP port"; fi
  done
  local all="$PG_PORT $REDIS_PORT $RMQ_PORT $RMQ_MGMT_PORT $RMQ_DIST_PORT $EPMD_PORT $AZURITE_PORT"
  [[ $(tr ' ' '\n' <<<"$all" | sort -u | wc -l) -eq 7 ]] || die "the seven ports must differ: $all"
  # The paths end up unquoted in server config files and shell-sourced env files.
  [[ $STATE =~ ^[A-Za-z0-9._/@+-]+$ ]] || die "state folder path '$STATE' has characters this script does not quote; set GRAPHEXEC_SERVERS_DIR"
}

# Alphanumeric only: a ';' breaks Npgsql connection strings, and ':' '@' '/' break the AMQP URI.
gen_secret() { # [length, default 32]
  local s='' length=${1:-32}
  while ((${#s} < length)); do s+=$(head -c 256 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9'); done
  printf '%s' "${s:0:length}"
}

secret() { # name [length of a new one]
  local file=$SECRETS/$1 value
  if [[ ! -s $file ]]; then
    (umask 077 && gen_secret "${2:-32}" >"$file.tmp" && mv -f "$file.tmp" "$file")
  fi
  value=$(<"$file")
  [[ $value =~ ^[A-Za-z0-9]{24,}$ ]] || die "$file must hold an alphanumeric password of at least 24 characters"
  printf '%s' "$value"
}

# Writes a mode-600 file, leaving it untouched when unchanged (file watchers reload on mtime).
write_private() {
  local file=$1 content=$2
  if [[ -f $file && "$(<"$file")" == "$content" ]]; then return 0; fi
  (umask 077 && printf '%s\n' "$content" >"$file.tmp")
  mv -f "$file.tmp" "$file"
}

tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Who listens on a port (any address), e.g. 'redis-server (pid 42)'; empty when free.
port_user() {
  local out
  out=$(ss -Hltnp "sport = :$1" 2>/dev/null) || true
  [[ -n $out ]] || return 0
  local who
  who=$(sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p' <<<"$out" | head -n 1)
  printf '%s' "${who:-an unknown process}"
}

require_free_port() {
  local port=$1 what=$2 who
  who=$(port_user "$port")
  [[ -z $who ]] || die "port $port ($what) is already in use by $who; stop it or choose another port (GRAPHEXEC_*_PORT)"
}

# ------------------------------------------------------------- processes

# Alive means: exists and is not a zombie. PID 1 here reaps slowly, so a stopped daemon can linger as Z.
proc_alive() {
  local pid=$1 stat
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != [ZX] ]]
}

# Identity of a recorded PID, so that a reused PID is never taken for (or signalled as) ours:
# the executable must match and the command line must carry something specific to this state folder.
is_ours() {
  local name=$1 pid=$2 exes needle actual cmd
  case $name in
    postgres) exes='|postgres|' needle="-D $PG_DATA" ;;
    redis) exes='|redis-server|redis-check-rdb|' needle="127.0.0.1:$(recorded_port redis)" ;; # Debian's redis-server is a symlink to redis-check-rdb
    rabbitmq) exes='|beam.smp|' needle="-home $RMQ_HOME" ;;
    epmd) exes='|epmd|' needle="-port $(recorded_port epmd)" ;;
    azurite) exes='|node|nodejs|' needle="--location $AZURITE_DATA" ;; # Debian's node is a symlink to nodejs
    *) return 1 ;;
  esac
  proc_alive "$pid" || return 1
  if actual=$(readlink "/proc/$pid/exe" 2>/dev/null); then
    actual=${actual% (deleted)}
    actual=${actual##*/}
  else
    actual=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1 # not root: exe of other users is unreadable
  fi
  [[ $exes == *"|$actual|"* ]] || return 1
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ "$cmd " == *"$needle "* ]]
}

recorded_port() { cat "$RUN/$1.port" 2>/dev/null || true; }

native_pidfile() {
  case $1 in
    postgres) printf '%s' "$PG_DATA/postmaster.pid" ;;
    redis) printf '%s' "$REDIS_DIR/redis.pid" ;;
    rabbitmq) printf '%s' "$RMQ_DIR/rabbitmq.pid" ;;
    *) printf '%s' /nonexistent ;;
  esac
}

# PID of our running server, from our record or else the server's own pid file.
running_pid() {
  local name=$1 pid file
  for file in "$RUN/$name.pid" "$(native_pidfile "$name")"; do
    pid=$(head -n 1 "$file" 2>/dev/null) || continue
    pid=${pid//[[:space:]]/}
    if is_ours "$name" "$pid"; then
      printf '%s' "$pid"
      return 0
    fi
  done
  return 1
}

record() { # name pid port
  printf '%s\n' "$2" >"$RUN/$1.pid"
  printf '%s\n' "$3" >"$RUN/$1.port"
}

endpoint() {
  local name=$1 ports
  ports=$(recorded_port "$name")
  case $name in
    rabbitmq)
      read -r amqp mgmt dist <<<"$ports"
      printf '127.0.0.1:%s (management %s, dist %s)' "$amqp" "$mgmt" "$dist"
      ;;
    *) printf '127.0.0.1:%s' "$ports" ;;
  esac
}

# up must not silently keep a server on other ports than the environment now asks for.
check_running_ports() {
  local name=$1 want=$2 have
  have=$(recorded_port "$name")
  [[ -z $have || $have == "$want" ]] || die "$name already runs on port(s) $have but the environment asks for $want; run '$SCRIPT_NAME down' first"
}

# ---------------------------------------------------------------- install

POLICY_GUARD=0
restore_policy_rc() {
  ((POLICY_GUARD)) || return 0
  rm -f "$POLICY_RC"
  if [[ -e $POLICY_RC_SAVED || -L $POLICY_RC_SAVED ]]; then mv -f "$POLICY_RC_SAVED" "$POLICY_RC"; fi
  POLICY_GUARD=0
}
UP_STARTED=0
on_exit() {
  local rc=$?
  restore_policy_rc
  if ((rc != 0 && UP_STARTED)); then
    warn "servers started by this run keep running; 'eng/$SCRIPT_NAME down' stops them"
  fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

install_missing() {
  local pkgs=()
  [[ -x $PG_BIN/postgres && -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl && -x $PG_BIN/psql &&
    -f /usr/lib/postgresql/15/lib/pg_stat_statements.so ]] || pkgs+=(postgresql)
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || pkgs+=(redis-server)
  [[ -x $RMQ_BIN/rabbitmq-server ]] && command -v epmd >/dev/null || pkgs+=(rabbitmq-server)
  command -v curl >/dev/null || pkgs+=(curl)
  command -v ss >/dev/null || pkgs+=(iproute2)
  command -v openssl >/dev/null || pkgs+=(openssl)
  command -v node >/dev/null || pkgs+=(nodejs)
  command -v npm >/dev/null || pkgs+=(npm)
  # Run by the AppHost (eng/run.sh), not by this script; promtool tests the alert rules (eng/test.sh).
  command -v prometheus >/dev/null && command -v promtool >/dev/null || pkgs+=(prometheus)
  command -v prometheus-alertmanager >/dev/null || pkgs+=(prometheus-alertmanager)
  ((${#pkgs[@]})) || return 0

  local log=$STATE/install.log t0
  t0=$(now_ms)
  line apt installing "${pkgs[*]} (log: $log)"
  # A leftover from an interrupted run is the original file: put it back first.
  if [[ -e $POLICY_RC_SAVED || -L $POLICY_RC_SAVED ]]; then mv -f "$POLICY_RC_SAVED" "$POLICY_RC"; fi
  # policy-rc.d exiting 101 stops the packages from starting their default system-wide instances.
  if [[ -e $POLICY_RC || -L $POLICY_RC ]]; then mv "$POLICY_RC" "$POLICY_RC_SAVED"; fi
  POLICY_GUARD=1
  printf '#!/bin/sh\n# temporary, from eng/%s while it installs packages\nexit 101\n' "$SCRIPT_NAME" >"$POLICY_RC"
  chmod 755 "$POLICY_RC"
  {
    apt-get update -o DPkg::Lock::Timeout=600 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        -o DPkg::Lock::Timeout=600 "${pkgs[@]}"
  } >"$log" 2>&1 || {
    tail_log "$log"
    die "apt-get failed installing: ${pkgs[*]}"
  }
  restore_policy_rc
  [[ -f /usr/lib/postgresql/15/lib/pg_stat_statements.so ]] || die "pg_stat_statements is missing from postgresql-15"
  line apt installed "$(secs_since "$t0")"
}

# ---------------------------------------------------------------- state folder

ensure_state() {
  if [[ -d $STATE && ! -f $STATE/$MARKER && -n $(ls -A "$STATE") ]]; then
    die "$STATE is not empty and was not made by this script; refusing to use it (set GRAPHEXEC_SERVERS_DIR)"
  fi
  # 711: user postgres may need to traverse it to reach its cluster; nothing in it is listable.
  if [[ ! -d $STATE ]]; then
    mkdir -p "$(dirname "$STATE")"
    mkdir -m 711 "$STATE"
  fi
  : >"$STATE/$MARKER"
  install -d -m 700 "$SECRETS" "$REDIS_DIR" "$RMQ_DIR" "$RMQ_HOME" "$AZURITE_DIR" "$AZURITE_DATA"
  install -d -m 755 "$RUN" # pids and ports only, so that status works for other users too
}

# Serialises up/down/purge (tests and people may call up concurrently). Daemons get fd 9 closed.
take_lock() {
  exec 9>"$STATE/.lock"
  flock -w 300 9 || die "another $SCRIPT_NAME holds $STATE/.lock"
}

# ---------------------------------------------------------------- postgres

choose_pg_root() {
  [[ -f $PG_LOCATION_FILE ]] && return 0
  local root=$STATE/postgres
  # Postgres refuses to run as root, so user postgres must reach the data dir; the unix socket path
  # (<root>/.s.PGSQL.<port>) must also fit in 107 bytes.
  if ! runuser -u postgres -- test -x "$STATE" || ((${#root} + 17 > 107)); then
    root=/var/lib/postgresql/graphexec/$(printf '%s' "$STATE" | sha256sum | cut -c1-12)
  fi
  printf '%s\n' "$root" >"$PG_LOCATION_FILE"
  PG_ROOT=$root
  PG_DATA=$root/data
}

pg_psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_ROOT" -p "$PG_PORT" -U postgres "$@"; }

pg_up() {
  local pid pw t0
  t0=$(now_ms)
  if pid=$(running_pid postgres); then
    check_running_ports postgres "$PG_PORT"
    "$PG_BIN/pg_isready" -q -h "$PG_ROOT" -p "$PG_PORT" -U postgres -d postgres -t 30 || die "postgres (pid $pid) runs but does not accept connections"
    record postgres "$pid" "$PG_PORT"
    line postgres 'already running' "pid $pid  $(endpoint postgres)"
    return 0
  fi
  [[ $PG_ROOT == "$STATE/postgres" ]] || line postgres note "cluster kept in $PG_ROOT (user postgres cannot reach $STATE)"
  pw=$(secret postgres.password)
  install -d -o postgres -g postgres -m 700 "$PG_ROOT"
  if [[ ! -f $PG_DATA/PG_VERSION ]]; then
    local pwfile=$PG_ROOT/.initdb-pw
    (umask 077 && printf '%s\n' "$pw" >"$pwfile")
    chown postgres:postgres "$pwfile"
    if ! runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" -E UTF8 \
      --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >"$PG_ROOT/initdb.log" 2>&1 9>&-; then
      rm -f "$pwfile"
      tail_log "$PG_ROOT/initdb.log"
      die "postgres initdb failed"
    fi
    rm -f "$pwfile"
    printf "\ninclude_if_exists = 'graphexec.conf'\n" >>"$PG_DATA/postgresql.conf"
  fi
  # Rewritten on every start so that port changes apply; fsync and synchronous_commit stay on because
  # the tests prove that nothing acknowledged is lost.
  cat >"$PG_DATA/graphexec.conf" <<EOF
# written by eng/$SCRIPT_NAME on every start
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_ROOT'
max_connections = 300
shared_buffers = 512MB
fsync = on
synchronous_commit = on
# Under load the default 1 GB of WAL forced a checkpoint every few seconds, and the first change of every page after
# a checkpoint writes the whole page to the WAL: more than half of the WAL's bytes were page images. Checkpoints
# every 15 minutes (or 4 GB), with page images compressed, cut that and the backends' own buffer writes.
max_wal_size = 4GB
min_wal_size = 512MB
checkpoint_timeout = 15min
wal_compression = lz4
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
EOF
  chown postgres:postgres "$PG_DATA/graphexec.conf"
  chmod 600 "$PG_DATA/graphexec.conf"

  require_free_port "$PG_PORT" postgres
  if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_ROOT/postgres.log" -w -t 60 start \
    >/dev/null 2>&1 9>&-; then
    tail_log "$PG_ROOT/postgres.log"
    die "postgres failed to start (log: $PG_ROOT/postgres.log)"
  fi
  pid=$(head -n 1 "$PG_DATA/postmaster.pid")
  record postgres "$pid" "$PG_PORT"
  # Local socket auth is trust, so this needs no password. The password is (re)set every start so that it
  # always matches the secrets file; pg_stat_statements goes into the 'postgres' database, keeping
  # 'graphexec' exactly as the application's migrations leave it.
  pg_psql -d postgres >/dev/null <<EOF
SET client_min_messages = warning;
SELECT 'CREATE DATABASE graphexec' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'graphexec')\gexec
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
ALTER ROLE postgres PASSWORD '$pw';
EOF
  line postgres started "pid $pid  $(endpoint postgres)  ($(secs_since "$t0"))"
}

# ---------------------------------------------------------------- redis

redis_ping() { REDISCLI_AUTH=$1 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -qx PONG; }

redis_up() {
  local pid pw t0 conf=$REDIS_DIR/redis.conf
  t0=$(now_ms)
  pw=$(secret redis.password)
  if pid=$(running_pid redis); then
    check_running_ports redis "$REDIS_PORT"
    redis_ping "$pw" || die "redis (pid $pid) runs but does not answer PING with the recorded password"
    record redis "$pid" "$REDIS_PORT"
    line redis 'already running' "pid $pid  $(endpoint redis)"
    return 0
  fi
  require_free_port "$REDIS_PORT" redis
  # A config file (mode 600) rather than --requirepass, so the password never shows in ps.
  write_private "$conf" "# written by eng/$SCRIPT_NAME on every start
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
dir $REDIS_DIR
pidfile $REDIS_DIR/redis.pid
logfile $REDIS_DIR/redis.log
save \"\"
appendonly no
requirepass $pw"
  rm -f "$REDIS_DIR/redis.pid"
  printf '%s\n' "$REDIS_PORT" >"$RUN/redis.port"
  if ! redis-server "$conf" </dev/null >>"$REDIS_DIR/redis.log" 2>&1 9>&-; then
    tail_log "$REDIS_DIR/redis.log"
    die "redis-server failed to start"
  fi
  local deadline=$((SECONDS + 15))
  while :; do
    pid=$(head -n 1 "$REDIS_DIR/redis.pid" 2>/dev/null) || pid=''
    if [[ -n $pid ]] && is_ours redis "$pid" && redis_ping "$pw"; then break; fi
    if [[ -n $pid ]] && ! proc_alive "$pid" || ((SECONDS >= deadline)); then
      tail_log "$REDIS_DIR/redis.log"
      die "redis did not become ready (log: $REDIS_DIR/redis.log)"
    fi
    sleep 0.05
  done
  record redis "$pid" "$REDIS_PORT"
  line redis started "pid $pid  $(endpoint redis)  ($(secs_since "$t0"))"
}

# ---------------------------------------------------------------- epmd + rabbitmq

# RabbitMQ would otherwise start its own epmd daemon, a process 'down' could not account for.
epmd_up() {
  local pid
  if pid=$(running_pid epmd); then
    check_running_ports epmd "$EPMD_PORT"
    line epmd 'already running' "pid $pid  $(endpoint epmd)"
    return 0
  fi
  require_free_port "$EPMD_PORT" epmd
  printf '%s\n' "$EPMD_PORT" >"$RUN/epmd.port"
  # setsid: own session, so the daemon outlives this shell and its terminal. A background job is
  # not a process-group leader, so setsid execs without forking and $! is epmd itself.
  setsid epmd -address 127.0.0.1 -port "$EPMD_PORT" </dev/null >"$RMQ_DIR/epmd.log" 2>&1 9>&- &
  pid=$!
  record epmd "$pid" "$EPMD_PORT"
  local deadline=$((SECONDS + 10))
  # A names request rather than a bare connect, which epmd logs as a partial packet.
  until epmd -port "$EPMD_PORT" -names >/dev/null 2>&1; do
    if ! proc_alive "$pid" || ((SECONDS >= deadline)); then
      tail_log "$RMQ_DIR/epmd.log"
      die "epmd did not start on 127.0.0.1:$EPMD_PORT"
    fi
    sleep 0.02
  done
  is_ours epmd "$pid" || die "epmd was started but pid $pid is not epmd (setsid forked?)"
  line epmd started "pid $pid  $(endpoint epmd)"
}

RMQ_LAUNCHED=''
RMQ_T0=0

rmq_write_config() {
  local pw=$1
  # Sourced by the rabbitmq-server/rabbitmqctl scripts and parsed by the broker (rabbit_env), so the CLI
  # needs only HOME and RABBITMQ_CONF_ENV_FILE to reach this node. Replaces /etc/rabbitmq/rabbitmq-env.conf.
  # inet_dist_use_interface keeps the distribution listener off other interfaces.
  cat >"$RMQ_DIR/rabbitmq-env.conf" <<EOF
# written by eng/$SCRIPT_NAME on every start
NODENAME=rabbit@localhost
DIST_PORT=$RMQ_DIST_PORT
MNESIA_BASE=$RMQ_DIR/mnesia
LOG_BASE=$RMQ_DIR/log
CONFIG_FILE=$RMQ_DIR/rabbitmq.conf
ADVANCED_CONFIG_FILE=$RMQ_DIR/advanced.config
ENABLED_PLUGINS_FILE=$RMQ_DIR/enabled_plugins
PID_FILE=$RMQ_DIR/rabbitmq.pid
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} -noinput"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
ERL_EPMD_ADDRESS=127.0.0.1
ERL_EPMD_PORT=$EPMD_PORT
export ERL_EPMD_ADDRESS ERL_EPMD_PORT
EOF
  printf '[rabbitmq_management].\n' >"$RMQ_DIR/enabled_plugins"
  # default_user is created only when the node's database is first initialised; guest is not created then.
  write_private "$RMQ_DIR/rabbitmq.conf" "# written by eng/$SCRIPT_NAME on every start
listeners.tcp.default = 127.0.0.1:$RMQ_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RMQ_MGMT_PORT
default_user = $RMQ_USER
default_pass = $pw
default_user_tags.administrator = true
default_vhost = /
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
log.console = false
log.file.level = info"
  if [[ ! -s $RMQ_HOME/.erlang.cookie ]]; then
    (umask 077 && gen_secret >"$RMQ_HOME/.erlang.cookie")
    chmod 400 "$RMQ_HOME/.erlang.cookie"
  fi
}

# Starts the broker without waiting, so postgres and redis start meanwhile (RabbitMQ needs 6-9 s).
rabbitmq_launch() {
  local pid pw
  pw=$(secret rabbitmq.password)
  if pid=$(running_pid rabbitmq); then
    check_running_ports rabbitmq "$RMQ_PORT $RMQ_MGMT_PORT $RMQ_DIST_PORT"
    RMQ_LAUNCHED=''
    return 0
  fi
  require_free_port "$RMQ_PORT" 'rabbitmq amqp'
  require_free_port "$RMQ_MGMT_PORT" 'rabbitmq management'
  require_free_port "$RMQ_DIST_PORT" 'rabbitmq distribution'
  rmq_write_config "$pw"
  rm -f "$RMQ_DIR/rabbitmq.pid"
  RMQ_T0=$(now_ms)
  # Debian's /usr/sbin/rabbitmq-server wrapper, run as root, does cd /var/lib/rabbitmq and
  # 'su rabbitmq' (which resets HOME), so the real script is run directly, as root.
  # RABBITMQ_ALLOW_INPUT makes that script exec erl instead of staying as a signal-forwarding parent
  # shell; erl execs erlexec, which execs beam.smp, so $! is the broker's PID (-noinput is in the
  # env file because that mode no longer adds it).
  (
    cd "$RMQ_DIR"
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    export HOME=$RMQ_HOME RABBITMQ_CONF_ENV_FILE=$RMQ_DIR/rabbitmq-env.conf RABBITMQ_ALLOW_INPUT=true \
      ERL_CRASH_DUMP=$RMQ_DIR/log/erl_crash.dump
    exec setsid "$RMQ_BIN/rabbitmq-server" </dev/null >"$RMQ_DIR/startup.log" 2>&1 9>&-
  ) &
  pid=$!
  record rabbitmq "$pid" "$RMQ_PORT $RMQ_MGMT_PORT $RMQ_DIST_PORT"
  RMQ_LAUNCHED=$pid
}

rmq_fail() {
  tail_log "$RMQ_DIR/startup.log"
  tail_log "$RMQ_DIR/log/rabbit@localhost.log"
  die "$*"
}

# Ready = management API answers the app user with 200 and the AMQP port accepts. Polling the
# HTTP API avoids rabbitmqctl, which costs about 1.2 s per call.
rabbitmq_wait() {
  local pid pw code deadline
  pw=$(secret rabbitmq.password)
  if [[ -n $RMQ_LAUNCHED ]]; then pid=$RMQ_LAUNCHED; else pid=$(running_pid rabbitmq); fi
  deadline=$((SECONDS + RMQ_BOOT_TIMEOUT))
  while :; do
    proc_alive "$pid" || rmq_fail "rabbitmq exited while booting"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -K <(printf 'user = "%s:%s"\n' "$RMQ_USER" "$pw") \
      "http://127.0.0.1:$RMQ_MGMT_PORT/api/overview" 2>/dev/null) || true
    if [[ $code == 200 ]] && tcp_open "$RMQ_PORT"; then break; fi
    [[ $code != 401 ]] || rmq_fail "rabbitmq rejects user $RMQ_USER: $SECRETS/rabbitmq.password no longer matches the broker's database; run '$SCRIPT_NAME down --purge'"
    ((SECONDS < deadline)) || rmq_fail "rabbitmq not ready after ${RMQ_BOOT_TIMEOUT} s (logs: $RMQ_DIR/log)"
    sleep 0.2
  done
  if [[ -z $RMQ_LAUNCHED ]]; then
    line rabbitmq 'already running' "pid $pid  $(endpoint rabbitmq)"
    return 0
  fi
  local filed
  filed=$(head -n 1 "$RMQ_DIR/rabbitmq.pid" 2>/dev/null) || filed=''
  [[ $filed == "$pid" ]] || warn "rabbitmq pid file says '$filed', launched pid is $pid"
  is_ours rabbitmq "$pid" || rmq_fail "pid $pid is not the expected beam.smp of this node"
  line rabbitmq started "pid $pid  $(endpoint rabbitmq)  ($(secs_since "$RMQ_T0"))"
}

# ---------------------------------------------------------------- azurite

# Azurite, pinned, from the npm registry into the state folder: no global install, nothing shared with other state
# folders, and 'down --purge' takes it away with the rest. Installed aside and then moved into place, so that an
# interrupted install is never taken for a complete one.
azurite_install() {
  [[ -f $AZURITE_APP/$AZURITE_BLOB_MAIN ]] && return 0
  local log=$AZURITE_DIR/install.log staging=$AZURITE_APP.partial t0
  t0=$(now_ms)
  line azurite installing "azurite@$AZURITE_VERSION from npm into $AZURITE_APP (log: $log)"
  rm -rf -- "$staging"
  mkdir -p "$staging"
  # A package.json of its own, or npm would install into whichever parent folder has one.
  printf '{ "name": "graphexec-azurite", "private": true }\n' >"$staging/package.json"
  if ! (cd "$staging" && npm install --no-audit --no-fund --omit=dev --save-exact "azurite@$AZURITE_VERSION") >"$log" 2>&1; then
    tail_log "$log"
    die "npm failed installing azurite@$AZURITE_VERSION"
  fi
  [[ -f $staging/$AZURITE_BLOB_MAIN ]] || die "azurite@$AZURITE_VERSION installed without its blob server (log: $log)"
  mv -T "$staging" "$AZURITE_APP"
  line azurite installed "$(secs_since "$t0")"
}

# 88 alphanumeric characters are valid base64 (66 bytes), the shape of a real storage account key.
azurite_key() { secret azurite.key 88; }

# HTTP status of a List Containers request signed with the account key (Shared Key, as the SDK signs): 200 means
# Azurite runs with this account and key, 403 that it knows the account under another key, 404 another account.
azurite_probe() {
  local key=$1 date version=2025-01-05 hexkey signature
  date=$(LC_ALL=C TZ=GMT date '+%a, %d %b %Y %H:%M:%S GMT')
  hexkey=$(printf '%s' "$key" | base64 -d | od -An -vtx1 | tr -d ' \n')
  # Path-style addressing (the account in the path, as on an emulator) names the account twice in the signed resource.
  signature=$(printf 'GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:%s\nx-ms-version:%s\n/%s/%s\ncomp:list' \
    "$date" "$version" "$AZURITE_ACCOUNT" "$AZURITE_ACCOUNT" |
    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hexkey" -binary | base64 -w 0)
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H "x-ms-date: $date" -H "x-ms-version: $version" \
    -K <(printf 'header = "Authorization: SharedKey %s:%s"\n' "$AZURITE_ACCOUNT" "$signature") \
    "http://127.0.0.1:$AZURITE_PORT/$AZURITE_ACCOUNT?comp=list" 2>/dev/null || true
}

AZURITE_LAUNCHED=''
AZURITE_T0=0

# Starts the blob service without waiting: Node needs 2-3 s to boot here, which postgres and redis use meanwhile.
azurite_launch() {
  local pid key
  key=$(azurite_key)
  if pid=$(running_pid azurite); then
    check_running_ports azurite "$AZURITE_PORT"
    AZURITE_LAUNCHED=''
    return 0
  fi
  require_free_port "$AZURITE_PORT" azurite
  AZURITE_T0=$(now_ms)
  # The account comes from the environment (AZURITE_ACCOUNTS), so the key never shows in ps. The SDK is newer than
  # Azurite, hence --skipApiVersionCheck; --loose ignores the headers Azurite does not implement instead of failing
  # the request. setsid execs without forking here (see epmd_up), so $! is node itself.
  (
    cd "$AZURITE_DIR"
    export AZURITE_ACCOUNTS="$AZURITE_ACCOUNT:$key"
    exec setsid node "$AZURITE_APP/$AZURITE_BLOB_MAIN" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" --location "$AZURITE_DATA" \
      --skipApiVersionCheck --loose --disableTelemetry --silent </dev/null >>"$AZURITE_DIR/azurite.log" 2>&1 9>&-
  ) &
  pid=$!
  record azurite "$pid" "$AZURITE_PORT"
  AZURITE_LAUNCHED=$pid
}

azurite_wait() {
  local pid key code deadline
  key=$(azurite_key)
  if [[ -n $AZURITE_LAUNCHED ]]; then pid=$AZURITE_LAUNCHED; else pid=$(running_pid azurite); fi
  deadline=$((SECONDS + AZURITE_BOOT_TIMEOUT))
  while :; do
    code=$(azurite_probe "$key")
    [[ $code != 200 ]] || break
    if ! proc_alive "$pid"; then
      tail_log "$AZURITE_DIR/azurite.log"
      die "azurite exited while starting (log: $AZURITE_DIR/azurite.log)"
    fi
    if [[ $code == 403 || $code == 404 ]]; then
      die "azurite (pid $pid) rejects account $AZURITE_ACCOUNT with the key in $SECRETS/azurite.key (HTTP $code); run '$SCRIPT_NAME restart azurite'"
    fi
    if ((SECONDS >= deadline)); then
      tail_log "$AZURITE_DIR/azurite.log"
      die "azurite not ready after $AZURITE_BOOT_TIMEOUT s (log: $AZURITE_DIR/azurite.log)"
    fi
    sleep 0.1
  done
  if [[ -z $AZURITE_LAUNCHED ]]; then
    record azurite "$pid" "$AZURITE_PORT"
    line azurite 'already running' "pid $pid  $(endpoint azurite)"
    return 0
  fi
  is_ours azurite "$pid" || die "pid $pid is not the expected node of this state folder's azurite"
  line azurite started "pid $pid  $(endpoint azurite)  ($(secs_since "$AZURITE_T0"))"
}

# ---------------------------------------------------------------- connection strings

write_connection_strings() {
  local pgpw redispw rmqpw pg redis rmq mgmt blobs
  pgpw=$(secret postgres.password)
  redispw=$(secret redis.password)
  rmqpw=$(secret rabbitmq.password)
  pg="Host=127.0.0.1;Port=$PG_PORT;Database=graphexec;Username=postgres;Password=$pgpw"
  rmq="amqp://$RMQ_USER:$rmqpw@127.0.0.1:$RMQ_PORT"
  redis="127.0.0.1:$REDIS_PORT,password=$redispw"
  mgmt="http://127.0.0.1:$RMQ_MGMT_PORT"
  blobs="DefaultEndpointsProtocol=http;AccountName=$AZURITE_ACCOUNT;AccountKey=$(azurite_key);BlobEndpoint=http://127.0.0.1:$AZURITE_PORT/$AZURITE_ACCOUNT;"
  write_private "$CS_JSON" "{
  \"ConnectionStrings\": {
    \"graphexec\": \"$pg\",
    \"rabbitmq\": \"$rmq\",
    \"redis\": \"$redis\",
    \"blobs\": \"$blobs\"
  },
  \"RabbitMQ\": {
    \"ManagementUri\": \"$mgmt\"
  }
}"
  write_private "$CS_ENV" "export ConnectionStrings__graphexec='$pg'
export ConnectionStrings__rabbitmq='$rmq'
export ConnectionStrings__redis='$redis'
export ConnectionStrings__blobs='$blobs'
export RabbitMQ__ManagementUri='$mgmt'"
}

# ---------------------------------------------------------------- commands

cmd_up() {
  need_root up
  local t0
  t0=$(now_ms)
  ensure_state
  take_lock
  install_missing
  azurite_install
  choose_pg_root
  # Every port is checked before anything starts, so a conflict fails fast and leaves nothing half-up.
  if running_pid postgres >/dev/null; then check_running_ports postgres "$PG_PORT"; else require_free_port "$PG_PORT" postgres; fi
  if running_pid redis >/dev/null; then check_running_ports redis "$REDIS_PORT"; else require_free_port "$REDIS_PORT" redis; fi
  if running_pid epmd >/dev/null; then check_running_ports epmd "$EPMD_PORT"; else require_free_port "$EPMD_PORT" epmd; fi
  if running_pid rabbitmq >/dev/null; then
    check_running_ports rabbitmq "$RMQ_PORT $RMQ_MGMT_PORT $RMQ_DIST_PORT"
  else
    require_free_port "$RMQ_PORT" 'rabbitmq amqp'
    require_free_port "$RMQ_MGMT_PORT" 'rabbitmq management'
    require_free_port "$RMQ_DIST_PORT" 'rabbitmq distribution'
  fi
  if running_pid azurite >/dev/null; then check_running_ports azurite "$AZURITE_PORT"; else require_free_port "$AZURITE_PORT" azurite; fi
  UP_STARTED=1
  epmd_up
  rabbitmq_launch
  azurite_launch
  pg_up
  redis_up
  azurite_wait
  rabbitmq_wait
  write_connection_strings
  UP_STARTED=0
  line up "ready in $(secs_since "$t0")" "connection strings: $CS_JSON"
}

# Postgres gets SIGINT (fast shutdown: disconnects clients, clean checkpoint); its SIGTERM is 'smart'
# shutdown, which waits for every client to leave. The others shut down cleanly on SIGTERM.
stop_signal() { if [[ $1 == postgres ]]; then printf INT; else printf TERM; fi; }

# Signals the given servers' recorded PIDs, waits up to STOP_TIMEOUT s, then SIGKILLs what is left.
stop_group() {
  local name pid i
  local -a names=() pids=()
  for name in "$@"; do
    if pid=$(running_pid "$name"); then
      kill -s "$(stop_signal "$name")" "$pid" 2>/dev/null || true
      names+=("$name")
      pids+=("$pid")
    else
      line "$name" 'not running'
      rm -f "$RUN/$name.pid"
    fi
  done
  ((${#pids[@]})) || return 0
  local deadline=$((SECONDS + STOP_TIMEOUT)) resend=$((SECONDS + 3)) left
  while :; do
    left=0
    for pid in "${pids[@]}"; do if proc_alive "$pid"; then left=1; fi; done
    ((left && SECONDS < deadline)) || break
    # A broker still booting drops SIGTERM (its handler is not installed yet), so repeat the signal.
    if ((SECONDS >= resend)); then
      for i in "${!pids[@]}"; do
        if proc_alive "${pids[$i]}"; then kill -s "$(stop_signal "${names[$i]}")" "${pids[$i]}" 2>/dev/null || true; fi
      done
      resend=$((SECONDS + 3))
    fi
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    name=${names[$i]} pid=${pids[$i]}
    if proc_alive "$pid"; then
      kill -s KILL "$pid" 2>/dev/null || true
      local kill_deadline=$((SECONDS + 5))
      while proc_alive "$pid" && ((SECONDS < kill_deadline)); do sleep 0.1; done
      if proc_alive "$pid"; then line "$name" 'STILL RUNNING' "pid $pid (even after SIGKILL)"; continue; fi
      line "$name" killed "pid $pid (did not stop within $STOP_TIMEOUT s)"
    else
      line "$name" stopped "pid $pid"
    fi
    rm -f "$RUN/$name.pid"
  done
}

cmd_down() {
  local purge=$1 t0
  need_root down
  t0=$(now_ms)
  if [[ ! -d $STATE ]]; then
    line down 'nothing to do' "no state folder $STATE"
    return 0
  fi
  [[ -f $STATE/$MARKER ]] || die "$STATE was not made by this script; refusing to touch it"
  take_lock
  # The broker first: while it runs it may start a new epmd if its own disappears.
  stop_group rabbitmq redis postgres azurite
  stop_group epmd
  local name
  for name in postgres redis rabbitmq azurite epmd; do
    if running_pid "$name" >/dev/null; then die "$name still runs after down"; fi
  done
  if ((purge)); then
    if [[ $PG_ROOT != "$STATE/postgres" && $PG_ROOT == /var/lib/postgresql/graphexec/* ]]; then
      rm -rf -- "$PG_ROOT"
      rmdir --ignore-fail-on-non-empty /var/lib/postgresql/graphexec
    fi
    rm -rf -- "$STATE"
    line down purged "$STATE$([[ $PG_ROOT == "$STATE/postgres" ]] || printf ' and %s' "$PG_ROOT")"
  fi
  line down "done in $(secs_since "$t0")"
}

cmd_restart() {
  local name=$1 t0
  need_root restart
  t0=$(now_ms)
  [[ -f $STATE/$MARKER ]] || die "no servers in $STATE: run 'eng/$SCRIPT_NAME up' first"
  running_pid "$name" >/dev/null || die "$name is not running: run 'eng/$SCRIPT_NAME up'"
  take_lock
  choose_pg_root
  stop_group "$name"
  case $name in
    postgres) pg_up ;;
    redis) redis_up ;;
    azurite)
      azurite_launch
      azurite_wait
      ;;
    rabbitmq)
      epmd_up
      rabbitmq_launch
      rabbitmq_wait
      ;;
  esac
  line restart "$name in $(secs_since "$t0")"
}

cmd_status() {
  local name pid all=0
  for name in postgres redis rabbitmq azurite epmd; do
    if pid=$(running_pid "$name"); then
      line "$name" running "pid $pid  $(endpoint "$name")"
    else
      line "$name" stopped
      all=3
    fi
  done
  return $all
}

cmd_install() {
  need_root install
  ensure_state
  take_lock
  install_missing
}

cmd_env() {
  [[ -f $CS_ENV ]] || die "no connection strings yet: run 'eng/$SCRIPT_NAME up'"
  local name
  for name in postgres redis rabbitmq azurite; do
    running_pid "$name" >/dev/null || warn "$name is not running (eng/$SCRIPT_NAME up)"
  done
  cat "$CS_ENV"
}

main() {
  local verb=${1:-}
  [[ $# -gt 0 ]] && shift
  case $verb in
    -h | --help | help) usage ;;
    up | status | env | install)
      [[ $# -eq 0 ]] || die "'$verb' takes no arguments"
      check_settings
      "cmd_$verb"
      ;;
    down)
      check_settings
      case ${1:-} in
        '') cmd_down 0 ;;
        --purge) cmd_down 1 ;;
        *) die "unknown option for down: $1" ;;
      esac
      ;;
    purge)
      check_settings
      cmd_down 1
      ;;
    restart)
      [[ $# -eq 1 && $1 =~ ^(postgres|redis|rabbitmq|azurite)$ ]] || die "'restart' takes one of: postgres redis rabbitmq azurite"
      check_settings
      cmd_restart "$1"
      ;;
    '') usage >&2 && exit 2 ;;
    *) die "unknown command '$verb' (try --help)" ;;
  esac
}

main "$@"
