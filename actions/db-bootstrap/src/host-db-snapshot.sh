# shellcheck shell=bash
# Read only: the schema as it is now.
echo "${MARK}:snapshot-begin"
snapshot
echo "${MARK}:snapshot-end"
