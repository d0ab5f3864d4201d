#!/usr/bin/env bash
# Starts a REAL single-node Kubernetes 1.20.2 cluster inside one private network + mount namespace:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy (iptables), containerd (CRI, runc,
# CNI bridge 10.88.0.0/16) and a real kubelet (cgroupfs, cgroup v1) that runs pods for real. Build first
# (.ci/realnode/build.sh); docs/realnode.md explains every setting.
#
# Usage:  .ci/realnode/start.sh [IMAGE.tar...]   the extra docker archives are imported too (e.g. the
#                                                 operator's image from Jib)
#         RUN/enter [CMD...]                      CMD (default bash) inside, KUBECONFIG set: kubectl, ctr, curl
#         .ci/realnode/stop.sh                    stops it (logs kept in RUN)
# RUN is $REALNODE_RUN (default $REALNODE_HOME/run); it is wiped and recreated. Prints RUN on stdout.
# REALNODE_REUSE=1 keeps a node that is already running (only the given archives are imported), and makes
# stop.sh leave it running: for a quick edit-test loop (./mvnw verify -Prealnode -Drealnode.reuse=1).
#
# Nothing listens on or sends to the host's network: the namespace has only lo (127.0.0.1 and the node IP
# 10.99.0.1) and the bridge cni0 (10.88.0.1) with the pods' veths, and no route out. The host sees only
# processes, cgroups under /sys/fs/cgroup/*/realnode (cgroup v1 is not namespaced) and empty mountpoint
# folders; stop.sh removes them.
set -Eeuo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
R=${REALNODE_HOME:-$HOME/.cache/fc-operator/realnode}
D=${REALNODE_RUN:-$R/run}
trap 'echo "[realnode] start FAILED at line $LINENO: $BASH_COMMAND (logs in $D; clean up with $HERE/stop.sh)" >&2' ERR
B=$R/bin
KB=$R/kube-bin
NODE=realnode NODE_IP=10.99.0.1 POD_CIDR=10.88.0.0/16 SERVICE_CIDR=10.96.0.0/24 KUBERNETES_SVC=10.96.0.1 CLUSTER_DNS=10.96.0.10
PAUSE_IMAGE=registry.k8s.io/pause:3.6-offline
T0=$(date +%s%N)
say() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '[realnode %d.%01ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
for f in containerd ctr runc kubectl iptables; do [[ -x $B/$f ]] || die "$B/$f missing: run .ci/realnode/build.sh"; done
for f in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
  [[ -x $KB/$f ]] || die "$KB/$f missing: run .ci/realnode/build.sh"; done
[[ -f $R/images/pause.tar && -f $R/images/python.tar ]] || die "images missing: run .ci/realnode/build.sh"
for f in "$@"; do [[ -f $f ]] || die "no image archive $f"; done
[[ $(id -u) = 0 ]] || die "needs root (network and mount namespaces, cgroups)"
if [[ -f $D/ns.pid ]] && kill -0 "$(cat "$D/ns.pid")" 2>/dev/null; then
  if [[ ${REALNODE_REUSE:-0} = 1 && -x $D/enter ]]; then   # keep the running node; only import the new images
    for img in "$@"; do "$D/enter" ctr -n k8s.io images import "$img" >/dev/null; done
    say "reusing the real node in $D (REALNODE_REUSE=1); imported: $*"; echo "$D"; exit 0
  fi
  say "a real node from an earlier run is still up in $D: stopping it first"; REALNODE_RUN=$D "$HERE/stop.sh"
fi

rm -rf "$D"; mkdir -p "$D"/{etcd-data,certs,kcm-certs,sched-certs,kubelet,containerd,run-containerd,pods-logs,containers-logs,netns,cni,cni-ipam,sysctl,tmp}
cd "$D"

# ---- the namespaces: a holder process owns a new network + mount namespace -------------------------------------------
setsid unshare --net --mount --propagation private -- sleep infinity < /dev/null > /dev/null 2>&1 &
echo $! > ns.pid; NSPID=$(cat ns.pid)
for _ in $(seq 100); do [[ $(readlink /proc/$NSPID/ns/net) != $(readlink /proc/self/ns/net) ]] && break; sleep 0.05; done
[[ $(readlink /proc/$NSPID/ns/net) != $(readlink /proc/self/ns/net) ]] || die "namespace holder did not start"
IN=(nsenter -t "$NSPID" --net --mount)
export PATH=$B:$PATH
# the node IP on lo: this kernel has no dummy driver, and the kubelet refuses a 127.x node IP
"${IN[@]}" sh -ec "ip link set lo up; ip addr add $NODE_IP/32 dev lo"
# ClusterIPs are nobody's address: a connection to one needs a route before kube-proxy's OUTPUT rules can DNAT it
# (to a pod, or to the API server); through lo, from the node IP (pods answer the node IP, not 127.0.0.1)
"${IN[@]}" ip route add $SERVICE_CIDR dev lo src $NODE_IP
# no route leaves the namespace (it has none but lo and, later, cni0): checked, not assumed
[[ -z $("${IN[@]}" ip route show default) ]] || die "the namespace has a default route"
# the paths the kubelet and containerd hard-code, backed by RUN (the host gets only empty mountpoint folders)
for m in /var/lib/kubelet /var/lib/containerd /run/containerd /var/log/pods /var/log/containers /run/netns; do
  [[ -e $m ]] || { mkdir -p $m; echo $m >> created-dirs; }   # stop.sh removes only these
done
# the node name resolves to the node IP; DNS goes to 127.0.0.1 where nothing listens (fails fast; no cluster DNS)
{ cat /etc/hosts; echo "$NODE_IP $NODE"; } > hosts
echo "nameserver 127.0.0.1" > resolv.conf
# the kubelet sets six global sysctls at start: plain files shadow them inside the mount namespace
SYSCTLS="vm/overcommit_memory vm/panic_on_oom kernel/panic kernel/panic_on_oops kernel/keys/root_maxkeys kernel/keys/root_maxbytes"
for s in $SYSCTLS; do cat /proc/sys/$s > "sysctl/${s//\//.}"; done
"${IN[@]}" sh -ec "
  mount --bind $D/kubelet /var/lib/kubelet
  mount --bind $D/containerd /var/lib/containerd
  mount --bind $D/run-containerd /run/containerd
  mount --bind $D/pods-logs /var/log/pods
  mount --bind $D/containers-logs /var/log/containers
  mount --bind $D/netns /run/netns
  mount --bind $D/hosts /etc/hosts; mount --bind $D/resolv.conf /etc/resolv.conf
  for s in $SYSCTLS; do mount --bind $D/sysctl/\$(echo \$s | tr / .) /proc/sys/\$s; done
"
say "namespaces ready (holder pid $NSPID)"

# ---- cgroup v1: the kubelet's cgroupRoot /realnode must exist in every hierarchy -------------------------------------
for h in /sys/fs/cgroup/*/; do
  [[ -f $h/cgroup.procs ]] || continue
  mkdir -p "$h/realnode"
  if [[ -f $h/cpuset.cpus ]]; then cat "$h/cpuset.cpus" > "$h/realnode/cpuset.cpus"; cat "$h/cpuset.mems" > "$h/realnode/cpuset.mems"; fi
done

# ---- control plane ------------------------------------------------------------------------------------------------------
openssl genrsa -out sa.key 2048 2>/dev/null
echo "admin-token,admin,admin,system:masters" > tokens.csv
cat > kubeconfig <<'KUBECONFIG_END'
apiVersion: v1
kind: Config
clusters: [{name: realnode, cluster: {server: "https://127.0.0.1:16443", insecure-skip-tls-verify: true}}]
users: [{name: admin, user: {token: admin-token}}]
contexts: [{name: realnode, context: {cluster: realnode, user: admin}}]
current-context: realnode
KUBECONFIG_END
start() {  # start NAME CMD...: CMD inside the namespaces, log RUN/NAME.log, pid RUN/NAME.pid
  local n=$1; shift
  "${IN[@]}" setsid "$@" < /dev/null > "$D/$n.log" 2>&1 &
  echo $! > "$D/$n.pid"
}
start etcd "$KB/etcd" --name default --data-dir "$D/etcd-data" --listen-client-urls http://127.0.0.1:2379 \
  --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
  --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster default=http://127.0.0.1:2380 \
  --listen-metrics-urls http://127.0.0.1:2381
# all addresses of the private namespace: 127.0.0.1 for the kubeconfig, the node IP for Service kubernetes
start apiserver "$KB/kube-apiserver" --etcd-servers http://127.0.0.1:2379 --bind-address 0.0.0.0 \
  --advertise-address $NODE_IP --secure-port 16443 --insecure-port 0 --cert-dir "$D/certs" --token-auth-file "$D/tokens.csv" \
  --authorization-mode Node,RBAC --service-account-issuer https://kubernetes.default.svc \
  --service-account-key-file "$D/sa.key" --service-account-signing-key-file "$D/sa.key" \
  --service-cluster-ip-range $SERVICE_CIDR --allow-privileged --kubelet-preferred-address-types InternalIP,Hostname
K=("${IN[@]}" env KUBECONFIG="$D/kubeconfig" "$B/kubectl")
for _ in $(seq 600); do "${K[@]}" get ns default >/dev/null 2>&1 && break; sleep 0.1; done
"${K[@]}" get ns default >/dev/null 2>&1 || die "apiserver not up (see $D/apiserver.log)"
say "apiserver up"
KF=(--kubeconfig="$D/kubeconfig" --authentication-kubeconfig="$D/kubeconfig" --authorization-kubeconfig="$D/kubeconfig"
  --leader-elect=false --bind-address=127.0.0.1 --port=0)
start kcm "$KB/kube-controller-manager" "${KF[@]}" --secure-port=10257 --cert-dir="$D/kcm-certs" --controllers='*' \
  --service-account-private-key-file="$D/sa.key" --root-ca-file="$D/certs/apiserver.crt" --use-service-account-credentials
start sched "$KB/kube-scheduler" "${KF[@]}" --secure-port=10259 --cert-dir="$D/sched-certs"

# ---- kube-proxy: ClusterIP Services route (iptables mode); the conntrack sysctls are global: left alone ----------------
cat > kube-proxy.yaml <<KUBE_PROXY_END
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $D/kubeconfig}
hostnameOverride: $NODE
bindAddress: $NODE_IP
clusterCIDR: $POD_CIDR
mode: iptables
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
KUBE_PROXY_END
start kube-proxy "$KB/kube-proxy" --config="$D/kube-proxy.yaml" --v=1

# ---- containerd (CRI v1alpha2 for kubelet 1.20) -------------------------------------------------------------------------
cat > containerd.toml <<CONTAINERD_END
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  enable_selinux = false
  # root here lacks CAP_SYS_RESOURCE: runc cannot set the sandbox's oom_score_adj -998 unless it is clamped
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = "$B/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$R/root/usr/lib/cni"
    conf_dir = "$D/cni"
    max_conf_num = 1
CONTAINERD_END
cat > cni/10-realnode.conflist <<CNI_END
{"cniVersion": "0.4.0", "name": "realnode", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}],
            "dataDir": "$D/cni-ipam"}}]}
CNI_END
start containerd env TMPDIR="$D/tmp" "$B/containerd" --config "$D/containerd.toml"
CTR=("${IN[@]}" "$B/ctr" --address /run/containerd/containerd.sock -n k8s.io)
for _ in $(seq 300); do "${CTR[@]}" version >/dev/null 2>&1 && break; sleep 0.1; done
"${CTR[@]}" version >/dev/null 2>&1 || die "containerd not up (see $D/containerd.log)"
say "containerd up"
for img in "$R"/images/*.tar "$@"; do "${CTR[@]}" images import "$img" >/dev/null; done   # nothing is ever pulled
say "images: $("${CTR[@]}" images ls -q | grep -v '^sha256' | tr '\n' ' ')"

# ---- the real kubelet -----------------------------------------------------------------------------------------------------
cat > kubelet.yaml <<KUBELET_END
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
cgroupRoot: /realnode
cgroupsPerQOS: true
failSwapOn: false
address: $NODE_IP
readOnlyPort: 0
authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
authorization: {mode: AlwaysAllow}
resolvConf: $D/resolv.conf
# a cluster's DNS address, served by nobody (no CoreDNS here): without one the kubelet warns MissingClusterDNS on every
# pod, and a pod's events would not look like a real cluster's
clusterDNS: [$CLUSTER_DNS]
clusterDomain: cluster.local
evictionHard: {memory.available: 100Mi, nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100   # images cannot be pulled again here: never collect them
imageGCLowThresholdPercent: 99
serializeImagePulls: false
KUBELET_END
start kubelet "$KB/kubelet" --config="$D/kubelet.yaml" --kubeconfig="$D/kubeconfig" --hostname-override=$NODE \
  --node-ip=$NODE_IP --container-runtime=remote --container-runtime-endpoint=unix:///run/containerd/containerd.sock \
  --runtime-request-timeout=2m --cert-dir="$D/kubelet/pki" --v=2
for _ in $(seq 1200); do
  "${K[@]}" get node $NODE 2>/dev/null | grep -q ' Ready' && "${K[@]}" get sa default >/dev/null 2>&1 && break; sleep 0.25
done
"${K[@]}" get node $NODE 2>/dev/null | grep -q ' Ready' || die "node not Ready after 300 s (see $D/kubelet.log)"
say "node $NODE Ready"
# kube-proxy has written the kubernetes Service's rules once its ClusterIP answers (inside the namespace only)
for _ in $(seq 400); do "${IN[@]}" curl -sk -o /dev/null --max-time 1 https://$KUBERNETES_SVC/version && break; sleep 0.25; done
"${IN[@]}" curl -sk -o /dev/null --max-time 1 https://$KUBERNETES_SVC/version ||
  die "Service kubernetes ($KUBERNETES_SVC) does not route (see $D/kube-proxy.log)"
say "kube-proxy routes ClusterIPs"

cat > enter <<ENTER_END
#!/bin/sh
# Runs a command (default: bash) inside the real node's namespaces (network + mount), with KUBECONFIG set.
export KUBECONFIG=$D/kubeconfig PATH=$B:\$PATH CONTAINERD_ADDRESS=/run/containerd/containerd.sock CONTAINERD_NAMESPACE=k8s.io
[ \$# -gt 0 ] || set -- bash
exec nsenter -t $NSPID --net --mount --wd="\$(pwd)" -- "\$@"
ENTER_END
chmod +x enter
say "cluster up in $D: $D/enter kubectl get pods -A; logs in $D/*.log; stop: $HERE/stop.sh"
echo "$D"
