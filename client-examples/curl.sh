#!/usr/bin/env bash
# Submit an alert, read it back, and call the seed-compatible endpoint, with curl only.
# Usage: VIGIL_TOKEN=<token> ./client-examples/curl.sh   (VIGIL_URL defaults to http://127.0.0.1:4000)
set -euo pipefail
url=${VIGIL_URL:-http://127.0.0.1:4000}
auth="Authorization: Bearer ${VIGIL_TOKEN:?set VIGIL_TOKEN to an API key}"

echo '# health (no key needed)'
curl -sS "$url/healthz"; echo

echo '# submitAlert'
curl -sS "$url/graphql" -H 'content-type: application/json' -H "$auth" --data-binary @- <<'JSON'
{"query": "mutation($log: String!) { submitAlert(input: { log: $log }) { __typename ... on SubmitAlertSuccess { alert { id } } ... on ValidationError { code message } } }",
 "variables": {"log": "Nov 23 04:00:00 web-01 sshd[2211]: Failed password for root from 185.22.13.9 port 22 ssh2"}}
JSON
echo

echo '# POST /api/analyze (the seed contract)'
curl -sS "$url/api/analyze" -H 'content-type: application/json' -H "$auth" \
  -d '{"log": "Failed SSH login from 185.22.13.9 user root"}'; echo

echo '# the IOC, with its alerts'
curl -sS "$url/graphql" -H 'content-type: application/json' -H "$auth" \
  -d '{"query": "{ ioc(type: IPV4, value: \"185.22.13.9\") { value sightings alerts(first: 5) { edges { roles node { id message } } } } }"}'; echo
