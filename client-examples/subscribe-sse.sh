#!/usr/bin/env bash
# Stream every stage event of one alert over Server-Sent Events (stored ones first, then live).
# Usage: VIGIL_TOKEN=<token> ./client-examples/subscribe-sse.sh <alertId>
set -euo pipefail
url=${VIGIL_URL:-http://127.0.0.1:4000}
curl -sS -N "$url/graphql" -H 'accept: text/event-stream' -H 'content-type: application/json' \
  -H "Authorization: Bearer ${VIGIL_TOKEN:?set VIGIL_TOKEN to an API key}" \
  -d "{\"query\": \"subscription(\$id: ID!) { pipelineEvents(alertId: \$id) { seq stage status summary } }\", \"variables\": {\"id\": \"${1:?alert id}\"}}"
