#!/usr/bin/env bash
# Starts a local PostgreSQL server on 127.0.0.1:5432 when none answers, installing
# Debian's package if needed, and makes sure an ordinary role "kb" (password "kb",
# LOGIN CREATEDB, not a superuser) exists and owns a database "kb".
# Prints the SQLAlchemy URL of that database on stdout (messages go to stderr).
#
# Leaves running: the PostgreSQL server it started (it says so);
# stop it with `pg_ctlcluster <version> <cluster> stop`.
set -euo pipefail
# Every tool below may print on stdout (pg_ctlcluster says "Removed stale pid file."
# after an unclean stop), so stdout goes to stderr and only the URL reaches fd 3.
exec 3>&1 1>&2
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "Installing Debian package postgresql" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  read -r version cluster _ < <(pg_lsclusters -h | head -n 1) || true
  if [ -z "${version:-}" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
    cluster=main
    $SUDO pg_createcluster "$version" "$cluster" >/dev/null
  fi
  # the server outlives this script: it must not hold fd 3, or "$(scripts/postgres.sh)" never ends
  $SUDO pg_ctlcluster "$version" "$cluster" start 3>&-
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  echo "PostgreSQL $version/$cluster started and left running on 127.0.0.1:5432;" \
       "stop it with: ${SUDO:+sudo }pg_ctlcluster $version $cluster stop" >&2
fi
if [ "$(id -u)" -eq 0 ]; then AS_PG=(runuser -u postgres --); else AS_PG=(sudo -u postgres); fi
"${AS_PG[@]}" psql -q -v ON_ERROR_STOP=1 -h /var/run/postgresql >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kb') THEN
    CREATE ROLE kb LOGIN CREATEDB NOSUPERUSER PASSWORD 'kb';
  ELSE
    -- an older version of this script made it a superuser: kb never needs that
    ALTER ROLE kb LOGIN CREATEDB NOSUPERUSER;
  END IF;
END $$;
SELECT 'CREATE DATABASE kb OWNER kb'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'kb') \gexec
SQL
echo "postgresql+psycopg://kb:kb@127.0.0.1:5432/kb" >&3
