#!/usr/bin/env bash
# Builds everything the real-node tier (-Prealnode, docs/realnode.md) needs, offline, from Debian bookworm
# packages only, with a private apt configuration (the machine's own mirror, .ci/lib/debian-mirror.sh).
# Nothing is installed system-wide: packages are downloaded and unpacked with dpkg -x under $REALNODE_HOME.
#
#   kube      kubelet, kube-proxy and the control plane 1.20.2: .ci/kube-binaries.sh (one cached build)
#   apt       the private apt lists (bookworm, bookworm-updates, bookworm-security)
#   runtime   containerd 1.6, runc 1.1, the CNI plugins, iptables, conntrack, kubectl 1.20.2, mmdebstrap,
#             unpacked into $REALNODE_HOME/root; wrappers in $REALNODE_HOME/bin set LD_LIBRARY_PATH
#   pause     the sandbox image: a static C program (registry.k8s.io/pause:3.6-offline)
#   python    the function runtime image (mmdebstrap --variant=essential + python3), tagged with every name
#             the operator renders by default (python:3.9-slim, python:3.10-slim, python:3.12-slim)
#   node      the Node.js runtime image (mmdebstrap --variant=essential + Debian's nodejs), tagged with every
#             name the operator renders by default (node:18-slim, node:20-slim)
#   customimage custom.debian12's default image (python:3.12-slim-bookworm: the python layer) and the custom-container
#             example's image (fc-custom-demo:1: that layer + examples/custom-container/server.py in /app)
#   codeimage an image with /code for `code.image` (busybox sh/cp + src/test/resources/realnode/code-image)
#   jre       the base image the tier builds the operator's image on with Jib (tar://, Debian's
#             openjdk-17-jre-headless): the pom's default base, eclipse-temurin:17-jre, cannot be pulled here
#
# Usage:  .ci/realnode/build.sh [STEP...]      (default: every step, in the order above)
# Every step is cached: it is skipped when its output exists and was made by the same recipe (a stamp
# holds a hash of the step's code); delete $REALNODE_HOME/stamps/STEP to redo one.
# Prints REALNODE_HOME as the only line on stdout (progress goes to stderr).
# Env: REALNODE_HOME (default ~/.cache/fc-operator/realnode), FC_KUBE_CACHE (see kube-binaries.sh).
# Images are docker archives in $REALNODE_HOME/images, imported by start.sh (nothing is ever pulled).
set -Eeuo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PROJECT=$(cd "$HERE/../.." && pwd)
R=${REALNODE_HOME:-$HOME/.cache/fc-operator/realnode}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
say() { printf '[realnode build %s] %s\n' "$(date +%T)" "$*" >&2; }
trap 'say "FAILED at line $LINENO: $BASH_COMMAND"' ERR
mkdir -p "$R/bin" "$R/images" "$R/stamps" "$R/apt/lists/partial" "$R/apt/cache/archives/partial"

read -r MIRROR SECURITY < <("$PROJECT/.ci/lib/debian-mirror.sh")
SOURCES=("deb [signed-by=$KEYRING] $MIRROR bookworm main" "deb [signed-by=$KEYRING] $MIRROR bookworm-updates main")
[[ $SECURITY = - ]] || SOURCES+=("deb [signed-by=$KEYRING] $SECURITY bookworm-security main")
APT=(apt-get -q -o "Dir::Etc::SourceList=$R/apt/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
  -o "Dir::State::Lists=$R/apt/lists" -o "Dir::State::status=$R/apt/status" -o "Dir::Cache=$R/apt/cache"
  -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")

# a step's recipe: the code of its function and of the helpers it uses, so editing one step redoes only that one
recipe() { { declare -f "step_$1" docker_archive debian_rootfs; printf '%s\n' "${SOURCES[@]}"; } | sha256sum | cut -c1-16; }
fresh() { [[ $(cat "$R/stamps/$1" 2>/dev/null) = "$(recipe "$1")" ]]; }   # fresh STEP: made by this recipe
stamp() { recipe "$1" > "$R/stamps/$1"; }

step_kube() {   # not stamped here: kube-binaries.sh checks its own SHA256SUMS
  local bin; bin=$("$PROJECT/.ci/kube-binaries.sh")
  ln -sfn "$bin" "$R/kube-bin"
}

step_apt() {
  printf '%s\n' "${SOURCES[@]}" > "$R/apt/sources.list"
  : > "$R/apt/status"
  "${APT[@]}" -qq update
}

RUNTIME_DEBS=(containerd runc containernetworking-plugins iptables libip4tc2 libip6tc2 libxtables12 libnftnl11
  libnetfilter-conntrack3 libnfnetlink0 libmnl0 libseccomp2 conntrack kubernetes-client mmdebstrap busybox-static)
step_runtime() {
  fresh runtime && [[ -x $R/bin/containerd ]] && { say "runtime already unpacked"; return; }
  rm -rf "$R/debs" "$R/root"; mkdir -p "$R/debs" "$R/root"
  (cd "$R/debs" && "${APT[@]}" -qq download "${RUNTIME_DEBS[@]}")
  local f; for f in "$R"/debs/*.deb; do dpkg -x "$f" "$R/root"; done
  local L=$R/root/usr/lib/x86_64-linux-gnu:$R/root/lib/x86_64-linux-gnu b
  for b in containerd containerd-shim-runc-v2 containerd-shim containerd-shim-runc-v1 ctr kubectl; do
    ln -sf "$R/root/usr/bin/$b" "$R/bin/$b"; done
  printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec %s "$@"\n' "$L" "$R/root/usr/sbin/runc" > "$R/bin/runc"
  printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec %s "$@"\n' "$L" "$R/root/usr/sbin/conntrack" > "$R/bin/conntrack"
  # Debian's /usr/sbin/iptables is an update-alternatives link made by postinst, not in the .deb: call the
  # nft multi-binary with the applet name, extensions from the unpacked xtables folder
  for b in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
    printf '#!/bin/sh\nLD_LIBRARY_PATH=%s XTABLES_LIBDIR=%s exec %s %s "$@"\n' "$L" \
      "$R/root/usr/lib/x86_64-linux-gnu/xtables" "$R/root/usr/sbin/xtables-nft-multi" "$b" > "$R/bin/$b"
  done
  chmod +x "$R/bin"/*
  "$R/bin/containerd" --version >&2; "$R/bin/runc" --version | head -1 >&2
  stamp runtime
}

# docker_archive OUT.tar LAYER.tar CONFIG-JSON TAG...: a one-layer docker archive (what `ctr images import` and
# Jib's tar:// base image read)
docker_archive() {
  python3 - "$@" <<'PY'
import hashlib, json, os, shutil, sys, tarfile, tempfile
out, layer, extra, tags = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4:]
h = hashlib.sha256()
with open(layer, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
config = {"architecture": "amd64", "os": "linux", "created": "2026-01-01T00:00:00Z",
          "config": dict({"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}, **extra),
          "rootfs": {"type": "layers", "diff_ids": ["sha256:" + h.hexdigest()]},
          "history": [{"created": "2026-01-01T00:00:00Z", "created_by": ".ci/realnode/build.sh"}]}
cfg = json.dumps(config, sort_keys=True).encode()
cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
d = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(out)))
try:
    with open(os.path.join(d, cfg_name), "wb") as f:
        f.write(cfg)
    os.mkdir(os.path.join(d, "layer"))
    os.link(layer, os.path.join(d, "layer", "layer.tar"))
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump([{"Config": cfg_name, "RepoTags": tags, "Layers": ["layer/layer.tar"]}], f)
    with tarfile.open(out + ".new", "w") as t:
        for n in ("manifest.json", cfg_name, "layer"):
            t.add(os.path.join(d, n), n)
    os.rename(out + ".new", out)
finally:
    shutil.rmtree(d)
PY
}

# debian_rootfs LAYER.tar PACKAGES [HOOK...]: a minimal bookworm root filesystem as a tar (mmdebstrap, root mode)
debian_rootfs() {
  local out=$1 include=$2; shift 2
  local hooks=() h; for h in "$@"; do hooks+=(--customize-hook="$h"); done
  [[ $(id -u) = 0 ]] || { say "mmdebstrap --mode=root needs root"; return 1; }
  PATH=$R/root/usr/bin:$PATH perl "$R/root/usr/bin/mmdebstrap" --quiet --mode=root --variant=essential \
    --include="$include" --format=tar "${hooks[@]}" \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/locale/*' \
    bookworm "$out" "${SOURCES[@]}"
}

PAUSE_IMAGE=registry.k8s.io/pause:3.6-offline
step_pause() {
  fresh pause && [[ -f $R/images/pause.tar ]] && { say "pause image already built"; return; }
  local d=$R/work-pause; rm -rf "$d"; mkdir -p "$d/rootfs"
  cat > "$d/pause.c" <<'C'
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static void die(int s) { (void)s; _exit(0); }
static void reap(int s) { (void)s; while (waitpid(-1, NULL, WNOHANG) > 0) {} }
int main(void) {
  signal(SIGINT, die); signal(SIGTERM, die); signal(SIGCHLD, reap);
  for (;;) pause();
}
C
  gcc -static -Os -o "$d/rootfs/pause" "$d/pause.c"; strip "$d/rootfs/pause"
  tar -C "$d/rootfs" --owner=0 --group=0 --numeric-owner -cf "$d/layer.tar" pause
  docker_archive "$R/images/pause.tar" "$d/layer.tar" '{"Entrypoint":["/pause"],"User":"65535:65535"}' "$PAUSE_IMAGE"
  rm -rf "$d"; stamp pause
}

# every image name the operator renders for a Python runtime by default (OperatorConfig: python:<version>-slim)
PYTHON_TAGS=(docker.io/library/python:3.9-slim docker.io/library/python:3.10-slim docker.io/library/python:3.12-slim)
step_python() {
  fresh python && [[ -f $R/images/python.tar ]] && { say "python image already built"; return; }
  local d=$R/work-python; rm -rf "$d"; mkdir -p "$d"
  debian_rootfs "$d/layer.tar" python3,ca-certificates
  docker_archive "$R/images/python.tar" "$d/layer.tar" '{"Cmd":["python3"],"WorkingDir":"/"}' "${PYTHON_TAGS[@]}"
  rm -rf "$d"; stamp python
}

# every image name the operator renders for a Node.js runtime by default (InstanceSettings: node:<version>-slim);
# Debian 12's nodejs is 18, as the python image's python3 is 3.11 under every Python tag
NODE_TAGS=(docker.io/library/node:18-slim docker.io/library/node:20-slim)
step_node() {
  fresh node && [[ -f $R/images/node.tar ]] && { say "node image already built"; return; }
  local d=$R/work-node; rm -rf "$d"; mkdir -p "$d"
  debian_rootfs "$d/layer.tar" nodejs,ca-certificates
  docker_archive "$R/images/node.tar" "$d/layer.tar" '{"Cmd":["node"],"WorkingDir":"/"}' "${NODE_TAGS[@]}"
  rm -rf "$d"; stamp node
}

CODE_IMAGE=docker.io/library/fc-code-demo:1
step_codeimage() {
  local src=$PROJECT/src/test/resources/realnode/code-image
  local recipe; recipe=$(recipe codeimage)-$(cat "$src"/* | sha256sum | cut -c1-16)
  [[ $(cat "$R/stamps/codeimage" 2>/dev/null) = "$recipe" && -f $R/images/code-demo.tar ]] &&
    { say "code image already built"; return; }
  local d=$R/work-code; rm -rf "$d"; mkdir -p "$d/rootfs/bin" "$d/rootfs/code"
  cp "$R/root/bin/busybox" "$d/rootfs/bin/busybox"
  local a; for a in sh cp ls cat; do ln -s busybox "$d/rootfs/bin/$a"; done
  cp -r "$src"/. "$d/rootfs/code/"
  tar -C "$d/rootfs" --owner=0 --group=0 --numeric-owner -cf "$d/layer.tar" bin code
  docker_archive "$R/images/code-demo.tar" "$d/layer.tar" '{"Cmd":["sh"]}' "$CODE_IMAGE"
  rm -rf "$d"; echo "$recipe" > "$R/stamps/codeimage"
}

# The custom runtimes' images, from the python image's layer (so no second mmdebstrap): custom.debian12's default
# (InstanceSettings.DEBIAN12_IMAGE: Debian 12 with python3), and the custom-container example's image, that layer
# plus examples/custom-container/server.py in /app, as its Dockerfile builds it.
DEBIAN12_IMAGE=docker.io/library/python:3.12-slim-bookworm
CUSTOM_IMAGE=docker.io/library/fc-custom-demo:1
step_customimage() {
  local src=$PROJECT/examples/custom-container
  local recipe; recipe=$(recipe customimage)-$(cat "$R/stamps/python" "$src/server.py" | sha256sum | cut -c1-16)
  [[ $(cat "$R/stamps/customimage" 2>/dev/null) = "$recipe" && -f $R/images/custom-demo.tar && -f $R/images/debian12.tar ]] &&
    { say "custom images already built"; return; }
  local d=$R/work-custom; rm -rf "$d"; mkdir -p "$d/app"
  python3 - "$R/images/python.tar" "$d/layer.tar" <<'PY'
import json, sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    layer = json.load(t.extractfile("manifest.json"))[0]["Layers"][0]
    with open(sys.argv[2], "wb") as out:
        out.write(t.extractfile(layer).read())
PY
  docker_archive "$R/images/debian12.tar" "$d/layer.tar" '{"Cmd":["python3"],"WorkingDir":"/"}' "$DEBIAN12_IMAGE"
  cp "$src/server.py" "$d/app/server.py"
  tar -C "$d" --owner=0 --group=0 --numeric-owner -rf "$d/layer.tar" app   # appended: one layer still
  docker_archive "$R/images/custom-demo.tar" "$d/layer.tar" '{"Cmd":["python3","server.py"],"WorkingDir":"/app"}' \
    "$CUSTOM_IMAGE"
  rm -rf "$d"; echo "$recipe" > "$R/stamps/customimage"
}

# not imported into containerd: Jib reads it (tar://) and writes the operator's image on top
step_jre() {
  fresh jre && [[ -f $R/base/jre.tar ]] && { say "JRE base image already built"; return; }
  local d=$R/work-jre; rm -rf "$d"; mkdir -p "$d" "$R/base"
  debian_rootfs "$d/layer.tar" openjdk-17-jre-headless,ca-certificates
  docker_archive "$R/base/jre.tar" "$d/layer.tar" '{"WorkingDir":"/"}' docker.io/library/fc-jre-base:17
  rm -rf "$d"; stamp jre
}

STEPS=("$@"); ((${#STEPS[@]})) || STEPS=(kube apt runtime pause python node customimage codeimage jre)
for step in "${STEPS[@]}"; do
  t0=$(date +%s); say "step $step"; "step_$step"; say "step $step done in $(( $(date +%s) - t0 )) s"
done
echo "$R"
