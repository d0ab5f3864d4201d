#!/usr/bin/env bash
# Prints the machine's own Debian mirrors, read from its apt configuration, as two words:
#   MAIN_URI SECURITY_URI
# (SECURITY_URI is "-" when none is configured). Nothing here names a mirror: the URIs come from
# /etc/apt/sources.list.d/*.sources (deb822) or /etc/apt/sources.list (one-line style).
# FC_DEBIAN_MIRROR / FC_DEBIAN_SECURITY_MIRROR override them.
set -euo pipefail
main=${FC_DEBIAN_MIRROR:-}
security=${FC_DEBIAN_SECURITY_MIRROR:-}
uris() {  # every deb URI of the apt configuration, one per line
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r $f ]] && sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr ' ' '\n'
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r $f ]] && sed -n 's/^deb\(-src\)\?[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\3/p' "$f"
  done
  return 0
}
all=$(uris | sed 's:/*$::' | awk 'NF && !seen[$0]++')
[[ -n $main ]] || main=$(grep -E '/debian$' <<<"$all" | head -n1 || true)
[[ -n $security ]] || security=$(grep -E '/debian-security$' <<<"$all" | head -n1 || true)
if [[ -z $main ]]; then
  echo "debian-mirror: no Debian mirror (a URI ending in /debian) in the apt configuration; set FC_DEBIAN_MIRROR" >&2
  exit 1
fi
echo "$main ${security:--}"
