#!/usr/bin/env bash
# Runs the tajo binary the way a user does and checks exit codes and output.
# Usage: smoke_test.sh PATH_TO_TAJO REPO_ROOT
set -u
tajo=$1
root=$2
failures=0
passes=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {  # check NAME EXPECTED_RC PATTERN_IN_OUTPUT [FORBIDDEN_PATTERN] -- command...
  local name=$1 want_rc=$2 pattern=$3 forbidden=$4
  shift 5
  "$@" >"$tmp/out" 2>&1
  local rc=$?
  if [ "$rc" -ne "$want_rc" ]; then
    echo "FAIL $name: exit $rc, wanted $want_rc"; sed 's/^/  | /' "$tmp/out"; failures=$((failures + 1)); return
  fi
  if ! grep -qE -- "$pattern" "$tmp/out"; then
    echo "FAIL $name: output lacks /$pattern/"; sed 's/^/  | /' "$tmp/out"; failures=$((failures + 1)); return
  fi
  if [ -n "$forbidden" ] && grep -qE -- "$forbidden" "$tmp/out"; then
    echo "FAIL $name: output shows /$forbidden/"; sed 's/^/  | /' "$tmp/out"; failures=$((failures + 1)); return
  fi
  echo "ok   $name"; passes=$((passes + 1))
}

check_fails() {  # check_fails NAME PATTERN_IN_OUTPUT -- command...: any non-zero exit
  local name=$1 pattern=$2
  shift 3
  "$@" >"$tmp/out" 2>&1
  local rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "FAIL $name: exit 0, wanted non-zero"; sed 's/^/  | /' "$tmp/out"; failures=$((failures + 1)); return
  fi
  if ! grep -qE -- "$pattern" "$tmp/out"; then
    echo "FAIL $name: output lacks /$pattern/"; sed 's/^/  | /' "$tmp/out"; failures=$((failures + 1)); return
  fi
  echo "ok   $name"; passes=$((passes + 1))
}

token=pat-na1-smoke-token-0000-1111
key=xkeysib-smoke-key-0000-1111-2222
check help 0 "config" "" -- "$tajo" --help
check config-help 0 "check" "" -- "$tajo" config --help
check version 0 "^tajo [0-9]" "" -- "$tajo" --version
check no-command 2 "a command is required" "" -- "$tajo"
check unknown-command 109 "frobnicate" "" -- "$tajo" frobnicate
check example-valid 0 "valid" "$token|$key" -- env HUBSPOT_ACCESS_TOKEN=$token BREVO_API_KEY=$key \
  "$tajo" config check --config "$root/examples/tajo.yaml"
check example-via-env-var 0 "valid" "$token|$key" -- env TAJO_CONFIG="$root/examples/tajo.yaml" \
  HUBSPOT_ACCESS_TOKEN=$token BREVO_API_KEY=$key "$tajo" config check
check example-missing-variable 1 "HUBSPOT_ACCESS_TOKEN" "" -- env -u HUBSPOT_ACCESS_TOKEN BREVO_API_KEY=$key \
  "$tajo" config check --config "$root/examples/tajo.yaml"
printf 'connectors:\n  hubspot:\n    acess_token: x\n' >"$tmp/typo.yaml"
check typo-did-you-mean 1 "access_token" "" -- "$tajo" config check --config "$tmp/typo.yaml"
printf 'connectors: [unclosed\n' >"$tmp/trunc.yaml"
check truncated-yaml 1 "trunc.yaml:[0-9]+:[0-9]+" "" -- "$tajo" config check --config "$tmp/trunc.yaml"
check missing-file 1 "nope.yaml" "" -- "$tajo" config check --config "$tmp/nope.yaml"
check bad-log-format 2 "log-format" "" -- "$tajo" --log-format xml config check --config "$tmp/nope.yaml"

# `tajo connectors ...`: the help of each command names its options; a missing connector is refused.
for sub in test sync status; do
  check "connectors-help-$sub" 0 "^ +$sub" "" -- "$tajo" connectors --help
done
for opt in --type --resources --direction --since --dry-run --progress --batch-size --config; do
  check "connectors-sync-help$opt" 0 "$opt" "" -- "$tajo" connectors sync --help
done
check connectors-sync-help-choices 0 "full \\| incremental" "" -- "$tajo" connectors sync --help
for opt in --json --config; do
  check "connectors-status-help$opt" 0 "$opt" "" -- "$tajo" connectors status --help
done
check_fails connectors-sync-without-connector "connector" -- "$tajo" connectors sync
check_fails connectors-status-without-connector "connector" -- "$tajo" connectors status
check_fails connectors-without-command "subcommand|required" -- "$tajo" connectors
printf 'connectors:\n  hubspot:\n    access_token: %s\nbrevo:\n  api_key: %s\nstore: "%s/t.db"\n' \
  "$token" "$key" "$tmp" >"$tmp/sync.yaml"
check connectors-sync-bad-type 2 "full or incremental" "$token|$key" -- \
  "$tajo" connectors sync hubspot --type sometimes --config "$tmp/sync.yaml"
check connectors-sync-unknown-connector 2 "expected hubspot" "$token|$key" -- \
  "$tajo" connectors sync brevo --config "$tmp/sync.yaml"
check connectors-status-before-sync 0 '"connected": false' "$token|$key" -- \
  "$tajo" connectors status hubspot --json --config "$tmp/sync.yaml"

# The example tajo serve configuration loads (its secrets come from the environment).
check example-serve-config 0 "valid" "$token|$key|serve-secret-0123" -- env HUBSPOT_ACCESS_TOKEN="$token" \
  BREVO_API_KEY="$key" HUBSPOT_CLIENT_SECRET=serve-secret-0123 TAJO_API_KEY=serve-secret-0123 \
  BREVO_WEBHOOK_TOKEN=serve-secret-0123 "$tajo" config check --config "$root/examples/tajo-serve-sandbox.yaml"

# `tajo serve` and `tajo dlq`.
check serve-help 0 "SIGTERM" "" -- "$tajo" serve --help
for sub in list show replay drop; do
  check "dlq-help-$sub" 0 "^ +$sub" "" -- "$tajo" dlq --help
done
check serve-without-client-secret 1 "client_secret" "$token|$key" -- "$tajo" serve --config "$tmp/sync.yaml"
check dlq-list-empty 0 "dead-letter queue is empty" "$token|$key" -- "$tajo" dlq list --config "$tmp/sync.yaml"
check dlq-replay-needs-target 2 "needs an ID or --all" "" -- "$tajo" dlq replay --config "$tmp/sync.yaml"
check dlq-show-unknown 1 "no dead letter with id 7" "$token|$key" -- "$tajo" dlq show 7 --config "$tmp/sync.yaml"
check dlq-drop-all-empty 0 "Dropped 0 dead letters" "" -- "$tajo" dlq drop --all --config "$tmp/sync.yaml"

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
