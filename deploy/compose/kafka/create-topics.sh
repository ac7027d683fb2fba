#!/bin/bash
# One-shot: creates the topics in topics.txt (idempotent, --if-not-exists) and raises partitions that are below the list.
set -euo pipefail
topics=/opt/kafka/bin/kafka-topics.sh
bootstrap="${BOOTSTRAP_SERVERS:?BOOTSTRAP_SERVERS is not set}"
replication="${REPLICATION_FACTOR:-1}"
existing=$("$topics" --bootstrap-server "$bootstrap" --list)
while read -r name partitions policy; do
  [[ -z "${name}" || "${name}" == \#* ]] && continue
  if grep -qx "${name}" <<<"${existing}"; then
    current=$("$topics" --bootstrap-server "$bootstrap" --describe --topic "${name}" | sed -n 's/.*PartitionCount: *\([0-9]*\).*/\1/p' | head -1)
    if (( current < partitions )); then
      echo "raising ${name} from ${current} to ${partitions} partitions"
      "$topics" --bootstrap-server "$bootstrap" --alter --topic "${name}" --partitions "${partitions}"
    fi
    continue
  fi
  echo "creating ${name} (${partitions} partitions, cleanup.policy=${policy})"
  "$topics" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "${name}" \
    --partitions "${partitions}" --replication-factor "${replication}" --config "cleanup.policy=${policy}"
done < /sagebench/topics.txt
echo "topics ready"
