#!/bin/bash
# MariaDB init (runs once, on an empty data directory, sourced by the mariadb image's entrypoint):
# one schema and one user per service, each user allowed only its own schema. Passwords come from the environment
# (SAGEBENCH_<SERVICE>_DB_PASSWORD), never from this file. The same script serves docker compose and Kubernetes.
set -eu
for service in design launcher monitor results; do
  var="SAGEBENCH_${service^^}_DB_PASSWORD"
  password="${!var:-}"
  if [[ -z "${password}" ]]; then
    echo >&2 "sagebench: ${var} is not set"; exit 1
  fi
  if [[ "${password}" == *"'"* || "${password}" == *'\'* ]]; then
    echo >&2 "sagebench: ${var} must not contain quotes or backslashes"; exit 1
  fi
  echo "sagebench: schema and user sagebench_${service}"
  docker_process_sql <<SQL
CREATE DATABASE IF NOT EXISTS \`sagebench_${service}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'sagebench_${service}'@'%' IDENTIFIED BY '${password}';
GRANT ALL PRIVILEGES ON \`sagebench_${service}\`.* TO 'sagebench_${service}'@'%';
FLUSH PRIVILEGES;
SQL
done
