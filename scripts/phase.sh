# Sourced by test.sh and scripts/sanitize.sh: `phase NAME COMMAND...` runs COMMAND and prints
# "[time] NAME: N s", so a CI log shows where the suite's wall time goes.
phase() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "[time] $name: $((SECONDS - start)) s"
}
