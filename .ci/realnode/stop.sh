#!/bin/bash
# .ci/realnode/stop.sh: stops what start.sh started (in $REALNODE_RUN, default $REALNODE_HOME/run), by PID only:
#   1. the processes in the pods' cgroups (/sys/fs/cgroup/pids/realnode/**/cgroup.procs): the containers
#   2. every process in the namespace holder's mount namespace (kubelet, containerd, its shims, the control plane,
#      anything run with RUN_DIR/enter), the holder last: SIGTERM, then SIGKILL after 10 s
#   3. the cgroups /sys/fs/cgroup/*/realnode (depth first) and the empty mountpoint directories start.sh made
# RUN_DIR (logs, etcd data, container logs) is kept; KEEP_RUN=0 deletes it.
set -uo pipefail
R=${REALNODE_HOME:-$HOME/.cache/fc-operator/realnode}
D=${REALNODE_RUN:-$R/run}
[[ ${REALNODE_REUSE:-0} = 1 ]] && { echo "REALNODE_REUSE=1: the real node in $D keeps running" >&2; exit 0; }
[[ -f $D/ns.pid ]] || { echo "no $D/ns.pid: nothing to stop" >&2; exit 0; }
NSPID=$(cat "$D/ns.pid")
MNT=$(readlink /proc/$NSPID/ns/mnt 2>/dev/null || true)
HOSTMNT=$(readlink /proc/self/ns/mnt)

pods_pids() { find /sys/fs/cgroup/pids/realnode -name cgroup.procs -exec cat {} + 2>/dev/null | sort -un; }
ns_pids() {  # processes in the holder's mount namespace (never the host's own namespace)
  [[ -n $MNT && $MNT != "$HOSTMNT" ]] || return 0
  local p; for p in /proc/[0-9]*; do
    [[ $(readlink $p/ns/mnt 2>/dev/null) = "$MNT" ]] && echo ${p#/proc/}
  done | grep -vx "$NSPID" | sort -n
}
stop_pids() {  # stop_pids LABEL PID... : TERM, wait up to 10 s, KILL
  local label=$1; shift; (($#)) || return 0
  echo "stopping $label: $*" >&2
  kill -TERM "$@" 2>/dev/null
  for i in $(seq 100); do
    local alive=0; for p in "$@"; do kill -0 $p 2>/dev/null && alive=1; done
    ((alive)) || return 0; sleep 0.1
  done
  kill -KILL "$@" 2>/dev/null; sleep 0.5
}
# kubelet first (so it does not restart containers), then the containers, then the rest, then the holder
[[ -f $D/kubelet.pid ]] && stop_pids kubelet $(cat "$D/kubelet.pid")
stop_pids containers $(pods_pids)
stop_pids "namespace processes" $(ns_pids)
stop_pids "namespace holder" $NSPID
# cgroups (empty now), deepest first
for h in /sys/fs/cgroup/*/; do
  [[ -d $h/realnode ]] && find "$h/realnode" -depth -type d -exec rmdir {} \; 2>/dev/null
  [[ -d $h/realnode ]] && echo "WARNING: could not remove $h/realnode (still in use?)" >&2
done
[[ -f $D/created-dirs ]] && while read -r m; do rmdir "$m" 2>/dev/null || true; done < "$D/created-dirs"
rm -f "$D"/*.pid
[[ ${KEEP_RUN:-1} = 0 ]] && rm -rf "$D"
echo "stopped (logs kept in $D)" >&2
