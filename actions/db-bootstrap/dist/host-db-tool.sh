# shellcheck shell=bash
# One of the tool's own commands (its plan, its head), behind the prefix, as the workflow wrote it.
"${inside[@]}" "${TOOL_COMMAND}"
